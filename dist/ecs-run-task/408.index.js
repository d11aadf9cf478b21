const T=408,g=[408],b={1408:((y,u,r)=>{r.r(u),r.d(u,{codeBlock:()=>s,details:()=>m,escapeHtml:()=>n,htmlTable:()=>d,keyValueTable:()=>l,writeSummary:()=>p});var i=r(5806);function n(e){return e.replace(/&/g,"&amp;").replace(/</g,"&lt;").replace(/>/g,"&gt;").replace(/"/g,"&quot;")}function c(e){return e==null||e===""?"\u2014":n(String(e))}function d(e,t){const a=`<tr>${e.map(o=>`<th>${n(o)}</th>`).join("")}</tr>`,f=t.map(o=>`<tr>${o.map($=>`<td>${c($)}</td>`).join("")}</tr>`).join("");return`<table>${a}${f}</table>
`}function l(e){return d(["",""],e.filter(([,t])=>t!==void 0).map(([t,a])=>[t,a]))}function m(e,t){return`<details><summary>${n(e)}</summary>

${t}
</details>
`}function s(e){return`<pre><code>${n(e)}</code></pre>
`}async function p(e,...t){process.env.GITHUB_STEP_SUMMARY&&await i.z.addHeading(n(e),3).addRaw(t.join(""),!0).write()}})};export{T as id,g as ids,b as modules};
