const g=320,y=[320],T={6320:((p,u,o)=>{o.d(u,{writeSummary:()=>s});var i=o(6257);function n(t){return t.replace(/&/g,"&amp;").replace(/</g,"&lt;").replace(/>/g,"&gt;").replace(/"/g,"&quot;")}function d(t){return t==null||t===""?"\u2014":n(String(t))}function c(t,e){const r=`<tr>${t.map(a=>`<th>${n(a)}</th>`).join("")}</tr>`,l=e.map(a=>`<tr>${a.map(m=>`<td>${d(m)}</td>`).join("")}</tr>`).join("");return`<table>${r}${l}</table>
`}function f(t){return c(["",""],t.filter(([,e])=>e!==void 0).map(([e,r])=>[e,r]))}function _(t,e){return`<details><summary>${n(t)}</summary>

${e}
</details>
`}function $(t){return`<pre><code>${n(t)}</code></pre>
`}async function s(t,...e){process.env.GITHUB_STEP_SUMMARY&&await i.z.addHeading(n(t),3).addRaw(e.join(""),!0).write()}})};export{g as id,y as ids,T as modules};
