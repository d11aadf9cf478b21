const c=696,d=[696],i={5696:((r,n,o)=>{o.r(n),o.d(n,{REPORT_SCHEMA:()=>t,metricsReportJson:()=>s});const t=1;function s(e){return`${JSON.stringify({schema:t,...e},null,2)}
`}})};export{c as id,d as ids,i as modules};
