export const id = 819;
export const ids = [819,566,639];
export const modules = {

/***/ 7639:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   classifyTaskDefinitionInput: () => (/* binding */ classifyTaskDefinitionInput),
/* harmony export */   revisionName: () => (/* binding */ revisionName),
/* harmony export */   revisionNumber: () => (/* binding */ revisionNumber)
/* harmony export */ });
const ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}(?::\d+)?$/;
const FAMILY_REVISION = /^[A-Za-z0-9_-]{1,255}(?::\d+)?$/;
/**
 * Classifies the input: empty → the service's current task definition; an ARN → existing; a
 * `family[:revision]` that is not also the name of an existing file → existing; anything else
 * is a document (file path or inline JSON/YAML), read by the caller.
 */
function classifyTaskDefinitionInput(text, fileExists) {
    if (text === undefined || text.trim() === '')
        return 'service';
    const value = text.trim();
    if (ARN.test(value))
        return 'existing';
    if (FAMILY_REVISION.test(value) && !fileExists(value))
        return 'existing';
    return 'document';
}
/** `arn:…:task-definition/payments:7` → `payments:7`; other text is returned as is. */
function revisionName(arnOrRef) {
    if (!arnOrRef)
        return '—';
    const m = /task-definition\/(.+)$/.exec(arnOrRef);
    return m?.[1] ?? arnOrRef;
}
/** The revision number of an ARN or `family:revision`, if there is one. */
function revisionNumber(arnOrRef) {
    const m = /:(\d+)$/.exec(arnOrRef ?? '');
    return m ? Number(m[1]) : undefined;
}


/***/ }),

/***/ 4819:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   planLines: () => (/* binding */ planLines),
/* harmony export */   planSummaryHtml: () => (/* binding */ planSummaryHtml)
/* harmony export */ });
/* harmony import */ var _summary_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6566);
/* harmony import */ var _ecs_task_definition_source_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7639);
/**
 * The plan of a rollback, shown before anything changes (and all a dry run does): the service,
 * what runs now, what it goes back to, the record that chose it, who asked and why.
 */


/** `GitHub deployment #12 of 'production' (…) [source: github-deployments]`: the record, and the output's word for it. */
const chosenFromText = (t) => `${t.chosenFrom} [source: ${t.source}]`;
/** One row per container: what runs now → what the rollback runs. */
function imageRows(plan) {
    const { current, target } = plan.target;
    const containers = [...new Set([...current.images.map((i) => i.container), ...target.images.map((i) => i.container)])];
    return containers.map((c) => {
        const now = current.images.find((i) => i.container === c)?.image ?? '(none)';
        const then = target.images.find((i) => i.container === c)?.image ?? '(none)';
        return [c, now, now === then ? '(unchanged)' : then];
    });
}
function planLines(plan) {
    const { current, target, skipped } = plan.target;
    return [
        `Service:      ${plan.cluster}/${plan.service}`,
        `Now running:  ${(0,_ecs_task_definition_source_js__WEBPACK_IMPORTED_MODULE_1__.revisionName)(current.arn)}`,
        `Roll back to: ${(0,_ecs_task_definition_source_js__WEBPACK_IMPORTED_MODULE_1__.revisionName)(target.arn)}${target.registeredAt ? ` (registered ${target.registeredAt.toISOString()})` : ''}`,
        ...imageRows(plan).map(([c, now, then]) => `  ${c}: ${now} → ${then}`),
        `Chosen from:  ${chosenFromText(plan.target)}`,
        ...(skipped.length ? [`Passed over:  ${skipped.join('; ')}`] : []),
        `Requested by: ${plan.requestedBy}`,
        `Reason:       ${plan.reason}`,
        ...(plan.dryRun ? ['Dry run:      nothing will be changed.'] : []),
    ];
}
function planSummaryHtml(plan) {
    const { current, target, skipped } = plan.target;
    return [
        (0,_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .keyValueTable */ .z2)([
            ['Service', `${plan.cluster}/${plan.service}`],
            ['Now running', (0,_ecs_task_definition_source_js__WEBPACK_IMPORTED_MODULE_1__.revisionName)(current.arn)],
            ['Roll back to', (0,_ecs_task_definition_source_js__WEBPACK_IMPORTED_MODULE_1__.revisionName)(target.arn)],
            ['Chosen from', chosenFromText(plan.target)],
            ['Passed over', skipped.length ? skipped.join('; ') : undefined],
            ['Requested by', plan.requestedBy],
            ['Reason', plan.reason],
            ['Dry run', plan.dryRun ? 'yes: nothing was changed' : undefined],
        ]),
        (0,_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .htmlTable */ .I$)(['container', `now (${(0,_ecs_task_definition_source_js__WEBPACK_IMPORTED_MODULE_1__.revisionName)(current.arn)})`, `rollback (${(0,_ecs_task_definition_source_js__WEBPACK_IMPORTED_MODULE_1__.revisionName)(target.arn)})`], imageRows(plan)),
    ].join('');
}


/***/ }),

/***/ 6566:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   I$: () => (/* binding */ htmlTable),
/* harmony export */   codeBlock: () => (/* binding */ codeBlock),
/* harmony export */   writeSummary: () => (/* binding */ writeSummary),
/* harmony export */   z2: () => (/* binding */ keyValueTable),
/* harmony export */   zH: () => (/* binding */ details)
/* harmony export */ });
/* unused harmony export escapeHtml */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6257);

function escapeHtml(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
function cellText(cell) {
    if (cell === undefined || cell === null || cell === '')
        return '—';
    return escapeHtml(String(cell));
}
/** An HTML table (the summary renders HTML; markdown tables break on `|` inside values). */
function htmlTable(headers, rows) {
    const head = `<tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
    const body = rows.map((row) => `<tr>${row.map((c) => `<td>${cellText(c)}</td>`).join('')}</tr>`).join('');
    return `<table>${head}${body}</table>\n`;
}
/** A two-column table of named values, skipping rows whose value is undefined. */
function keyValueTable(pairs) {
    return htmlTable(['', ''], pairs.filter(([, v]) => v !== undefined).map(([k, v]) => [k, v]));
}
function details(title, bodyHtml) {
    return `<details><summary>${escapeHtml(title)}</summary>\n\n${bodyHtml}\n</details>\n`;
}
function codeBlock(text) {
    return `<pre><code>${escapeHtml(text)}</code></pre>\n`;
}
/** Appends one section (heading + HTML) to the step summary; a no-op when there is no summary file. */
async function writeSummary(heading, ...parts) {
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    await _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .summary */ .z.addHeading(escapeHtml(heading), 3).addRaw(parts.join(''), true).write();
}


/***/ })

};
