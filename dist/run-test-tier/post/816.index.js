export const id = 816;
export const ids = [816];
export const modules = {

/***/ 9816:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   renderTierSummary: () => (/* binding */ renderTierSummary)
/* harmony export */ });
/* harmony import */ var _summary_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6566);
/* harmony import */ var _duration_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5784);
/* harmony import */ var _tier_verdict_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4008);



/**
 * The job summary of one tier, rendered from its JSON report so both always agree: the verdict
 * and why, counts, time against the budget, each failure collapsed with its message and trace,
 * flaky tests and the ten slowest. Long lists are cut (a step summary is limited to 1 MiB);
 * the JSON report keeps them.
 */
const SUMMARY_FAILURES = 50;
const SUMMARY_FLAKY = 50;
/** The message, then the trace, unless the trace already opens with the message. */
function failureText(message, trace) {
    const firstLine = trace.split('\n', 1)[0] ?? '';
    if (message && firstLine.includes(message))
        return trace;
    return [message, trace].filter(Boolean).join('\n\n') || '(no message in the report)';
}
function seconds(value) {
    return (0,_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(value * 1_000);
}
function renderTierSummary(report, budget, reportPath) {
    const passed = report.verdict === 'passed';
    const heading = `${passed ? '✅' : '❌'} ${report.tier} tests ${passed ? 'passed' : 'failed'}`;
    const c = report.counts;
    const parts = [];
    if (report.reasons.length > 0)
        parts.push(`<ul>${report.reasons.map((r) => `<li>${(0,_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .escapeHtml */ .ZD)(r)}</li>`).join('')}</ul>\n`);
    if (report.warnings.length > 0)
        parts.push(`<ul>${report.warnings.map((w) => `<li>⚠️ ${(0,_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .escapeHtml */ .ZD)(w)}</li>`).join('')}</ul>\n`);
    parts.push((0,_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .keyValueTable */ .z2)([
        ['Tier', report.tier],
        ['Verdict', passed ? '✅ passed' : '❌ failed'],
        ['Tests', `${c.total} total: ${c.passed} passed${c.flaky ? ` (${c.flaky} flaky)` : ''}, ${c.failed} failed, ${c.skipped} skipped`],
        ['Duration', `${(0,_tier_verdict_js__WEBPACK_IMPORTED_MODULE_2__/* .describeBudget */ .No)(budget)}${budget.exceeded ? ' ⚠️' : ''}`],
        ['Time in tests', seconds(report.testSeconds)],
        ['Test command', report.exitCode === 0 ? 'exit code 0' : `exit code ${report.exitCode}`],
        ['Reports', `${report.reports.length} file${report.reports.length === 1 ? '' : 's'}${report.staleReports.length ? ` (${report.staleReports.length} older than the tier ignored)` : ''}`],
        ['Stack', report.stack ? `${report.stack.services.map((s) => `${s.service}: ${s.health ?? s.state}`).join(', ')} (compose project ${report.stack.project}, ready in ${seconds(report.stack.readySeconds)})` : undefined],
        ['JSON report', reportPath],
    ]));
    if (report.failures.length > 0) {
        parts.push(`<h4>Failures (${c.failed})</h4>\n`);
        for (const f of report.failures.slice(0, SUMMARY_FAILURES)) {
            const where = f.location ? ` — ${f.location.file}${f.location.line ? `:${f.location.line}` : ''}` : '';
            const attempts = f.attempts > 1 ? ` (${f.attempts} attempts)` : '';
            parts.push((0,_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .details */ .zH)(`❌ ${f.title}${attempts}${where}`, (0,_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .codeBlock */ .DV)(failureText(f.message, f.details))));
        }
        const more = c.failed - Math.min(report.failures.length, SUMMARY_FAILURES);
        if (more > 0)
            parts.push(`<p>… and ${more} more failure${more === 1 ? '' : 's'}: see the JSON report.</p>\n`);
    }
    if (report.flaky.length > 0) {
        parts.push(`<h4>Flaky tests (${c.flaky}): failed, then passed on a rerun</h4>\n`);
        parts.push((0,_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .htmlTable */ .I$)(['test', 'failed attempts', 'first failure'], report.flaky.slice(0, SUMMARY_FLAKY).map((f) => [f.title, f.failedAttempts, f.message])));
    }
    if (report.slowest.length > 0) {
        parts.push(`<h4>Slowest tests</h4>\n`);
        parts.push((0,_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .htmlTable */ .I$)(['test', 'time', 'outcome'], report.slowest.map((t) => [t.title, seconds(t.seconds), t.outcome])));
    }
    return { heading, html: parts.join('') };
}


/***/ })

};
