export const id = 164;
export const ids = [164,566,639];
export const modules = {

/***/ 7164:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   deploySummaryHtml: () => (/* binding */ deploySummaryHtml),
/* harmony export */   timelineRows: () => (/* binding */ timelineRows),
/* harmony export */   writeDeploySummary: () => (/* binding */ writeDeploySummary)
/* harmony export */ });
/* harmony import */ var _duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5784);
/* harmony import */ var _summary_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6566);
/* harmony import */ var _task_definition_source_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7639);
/**
 * The job summary of a deploy (or a rollback): the outcome at a glance, the revisions and images
 * before and after, the stopped tasks that explain a failure, and the timeline of the rollout.
 */



const OUTCOME = {
    succeeded: '✅ succeeded',
    started: '🚀 started (not followed)',
    'rolled-back': '↩️ failed and rolled back',
    failed: '❌ failed',
    cancelled: '⏹️ cancelled',
};
function deploySummaryHtml(result, record, options = {}) {
    const rolledBack = result.rolledBack
        ? `yes (${result.rollbackDeploymentId ?? ''}), back on ${(0,_task_definition_source_js__WEBPACK_IMPORTED_MODULE_2__.revisionName)(result.previousTaskDefinitionArn)}`
        : options.automaticRollback === false
            ? 'off: a failure is reported, never rolled forward'
            : 'no';
    const outcome = (0,_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .keyValueTable */ .z2)([
        ['Outcome', OUTCOME[result.status]],
        ['Revision', `${(0,_task_definition_source_js__WEBPACK_IMPORTED_MODULE_2__.revisionName)(result.previousTaskDefinitionArn)} → ${(0,_task_definition_source_js__WEBPACK_IMPORTED_MODULE_2__.revisionName)(result.taskDefinitionArn)}${result.registered ? ' (registered now)' : ' (existing)'}`],
        ['Deployment', result.deploymentId],
        ['Rolled back', rolledBack],
        ['Why', result.failure ? result.failure.reason : undefined],
        ['Duration', (0,_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a)(result.durationMs)],
        ['GitHub deployment', record ? `#${record.id}` : 'not recorded (no github-token): see the revision\'s commit-to-prod:* tags'],
    ]);
    const containers = [...new Set([...result.before.map((i) => i.container), ...result.after.map((i) => i.container)])];
    const images = (0,_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .htmlTable */ .I$)(['container', `before (${(0,_task_definition_source_js__WEBPACK_IMPORTED_MODULE_2__.revisionName)(result.previousTaskDefinitionArn)})`, `after (${(0,_task_definition_source_js__WEBPACK_IMPORTED_MODULE_2__.revisionName)(result.taskDefinitionArn)})`], containers.map((c) => {
        const before = result.before.find((i) => i.container === c)?.image;
        const after = result.after.find((i) => i.container === c)?.image;
        return [c, before, before === after ? '(unchanged)' : after];
    }));
    const failed = result.stoppedTasks.filter((t) => t.failed);
    const stopped = failed.length > 0
        ? (0,_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .htmlTable */ .I$)(['task', 'stopped reason', 'stop code', 'exit codes'], failed.map((t) => [t.taskId, t.stoppedReason, t.stopCode, t.containers.map((c) => `${c.name}=${c.exitCode ?? '?'}`).join(', ')]))
        : '';
    const timeline = (0,_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .htmlTable */ .I$)(['at', 'what happened'], timelineRows(result.timeline.entries));
    return [
        outcome,
        images,
        stopped ? `<p><b>Failed tasks of ${(0,_task_definition_source_js__WEBPACK_IMPORTED_MODULE_2__.revisionName)(result.taskDefinitionArn)}</b></p>\n${stopped}` : '',
        (0,_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .details */ .zH)(`Timeline (${result.timeline.entries.length} steps, ${result.stats.describeServicesCalls} DescribeServices calls)`, timeline),
        result.status === 'succeeded' ? '' : (0,_summary_js__WEBPACK_IMPORTED_MODULE_1__.codeBlock)(result.message),
    ].join('');
}
const TIMELINE_HEAD = 30;
const TIMELINE_TAIL = 70;
/** A long rollout of a large service keeps its start and its end; the middle is counted. */
function timelineRows(entries) {
    const row = (e) => [(0,_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a)(e.atMs), e.text];
    if (entries.length <= TIMELINE_HEAD + TIMELINE_TAIL)
        return entries.map(row);
    const skipped = entries.length - TIMELINE_HEAD - TIMELINE_TAIL;
    return [...entries.slice(0, TIMELINE_HEAD).map(row), ['…', `${skipped} more steps (see the job log)`], ...entries.slice(-TIMELINE_TAIL).map(row)];
}
async function writeDeploySummary(heading, result, record, options = {}) {
    await (0,_summary_js__WEBPACK_IMPORTED_MODULE_1__.writeSummary)(heading, deploySummaryHtml(result, record, options));
}


/***/ }),

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
