export const id = 566;
export const ids = [566];
export const modules = {

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
