const s=584,d=[584],e={584:((t,n,o)=>{o.r(n),o.d(n,{metricsSummaryMarkdown:()=>r});function r(m){return`No summary yet for ${m.environments.join(", ")}.
`}})};export{s as id,d as ids,e as modules};
