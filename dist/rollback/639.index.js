export const id = 639;
export const ids = [639];
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


/***/ })

};
