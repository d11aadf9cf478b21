const g=408,y=[408],T={1408:((_,i,o)=>{o.d(i,{DV:()=>l,I$:()=>u,escapeHtml:()=>n,writeSummary:()=>m,z2:()=>s});var d=o(5806);function n(e){return e.replace(/&/g,"&amp;").replace(/</g,"&lt;").replace(/>/g,"&gt;").replace(/"/g,"&quot;")}function c(e){return e==null||e===""?"\u2014":n(String(e))}function u(e,t){const r=`<tr>${e.map(a=>`<th>${n(a)}</th>`).join("")}</tr>`,p=t.map(a=>`<tr>${a.map(f=>`<td>${c(f)}</td>`).join("")}</tr>`).join("");return`<table>${r}${p}</table>
`}function s(e){return u(["",""],e.filter(([,t])=>t!==void 0).map(([t,r])=>[t,r]))}function $(e,t){return`<details><summary>${n(e)}</summary>

${t}
</details>
`}function l(e){return`<pre><code>${n(e)}</code></pre>
`}async function m(e,...t){process.env.GITHUB_STEP_SUMMARY&&await d.z.addHeading(n(e),3).addRaw(t.join(""),!0).write()}})};export{g as id,y as ids,T as modules};
