const g=408,y=[408],T={1408:((p,i,o)=>{o.d(i,{I$:()=>u,ZD:()=>n,writeSummary:()=>s});var d=o(5806);function n(t){return t.replace(/&/g,"&amp;").replace(/</g,"&lt;").replace(/>/g,"&gt;").replace(/"/g,"&quot;")}function c(t){return t==null||t===""?"\u2014":n(String(t))}function u(t,e){const r=`<tr>${t.map(a=>`<th>${n(a)}</th>`).join("")}</tr>`,l=e.map(a=>`<tr>${a.map(m=>`<td>${c(m)}</td>`).join("")}</tr>`).join("");return`<table>${r}${l}</table>
`}function f(t){return u(["",""],t.filter(([,e])=>e!==void 0).map(([e,r])=>[e,r]))}function _(t,e){return`<details><summary>${n(t)}</summary>

${e}
</details>
`}function $(t){return`<pre><code>${n(t)}</code></pre>
`}async function s(t,...e){process.env.GITHUB_STEP_SUMMARY&&await d.z.addHeading(n(t),3).addRaw(e.join(""),!0).write()}})};export{g as id,y as ids,T as modules};
