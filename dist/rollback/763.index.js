export const id = 763;
export const ids = [763,513];
export const modules = {

/***/ 3191:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   C_: () => (/* binding */ TAG_PREFIX),
/* harmony export */   Ln: () => (/* binding */ sanitizeTagKey),
/* harmony export */   Zz: () => (/* binding */ sanitizeTagValue)
/* harmony export */ });
/* unused harmony exports imageDigest, provenanceTags, mergeTags */
const TAG_PREFIX = 'commit-to-prod:';
const MAX_TAGS = 50;
function sanitizeTagValue(value) {
    return value.replace(/[^\p{L}\p{N} _.:/=+\-@]/gu, '_').slice(0, 256);
}
function sanitizeTagKey(key) {
    return key.replace(/[^\p{L}\p{N} _.:/=+\-@]/gu, '_').slice(0, 128);
}
/** `repo@sha256:abc` → `sha256:abc`; a reference by tag only has no digest. */
function imageDigest(image) {
    const at = image.lastIndexOf('@');
    return at >= 0 && /^sha256:[a-f0-9]{64}$/.test(image.slice(at + 1)) ? image.slice(at + 1) : undefined;
}
function provenanceTags(provenance) {
    const tags = [];
    const add = (key, value) => {
        if (value)
            tags.push({ key: sanitizeTagKey(`${TAG_PREFIX}${key}`), value: sanitizeTagValue(value) });
    };
    add('sha', provenance.sha);
    add('ref', provenance.ref);
    add('run', provenance.runUrl);
    for (const { container, image } of provenance.images)
        add(`image:${container}`, imageDigest(image) ?? image);
    return tags;
}
/**
 * Merges tag lists; later lists win on the same key (user tags over the defaults). ECS allows 50
 * tags per resource: the caller learns what was dropped instead of a failed registration.
 */
function mergeTags(...lists) {
    const byKey = new Map();
    for (const list of lists)
        for (const { key, value } of list)
            byKey.set(sanitizeTagKey(key), sanitizeTagValue(value));
    const all = [...byKey].map(([key, value]) => ({ key, value }));
    return { tags: all.slice(0, MAX_TAGS), dropped: all.slice(MAX_TAGS).map((t) => t.key) };
}


/***/ }),

/***/ 5513:
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

/***/ 586:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   c: () => (/* binding */ OUTCOME_TAG),
/* harmony export */   f: () => (/* binding */ judgeRevision)
/* harmony export */ });
/* harmony import */ var _ecs_revision_tags_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3191);
/**
 * The last known-good release according to ECS alone: the revision tags ecs-rolling-deploy writes
 * (commit-to-prod:outcome = succeeded, failed, rolled-back, …). Used when there is no GitHub token
 * or GitHub has no usable record. Registration order stands in for release order: a candidate
 * is older than the running revision and its recorded outcome is `succeeded`.
 */

const OUTCOME_TAG = `${_ecs_revision_tags_js__WEBPACK_IMPORTED_MODULE_0__/* .TAG_PREFIX */ .C_}outcome`;
function judgeRevision(revision, currentRevision) {
    if (revision.revision >= currentRevision)
        return { verdict: 'not-older' };
    if (revision.status !== 'ACTIVE')
        return { verdict: 'skip', why: `${revision.status.toLowerCase()} (deregistered)` };
    const outcome = revision.tags.get(OUTCOME_TAG);
    if (outcome === 'succeeded')
        return { verdict: 'candidate' };
    if (outcome === undefined)
        return { verdict: 'skip', why: `no ${OUTCOME_TAG} tag (not deployed by ecs-rolling-deploy)` };
    return { verdict: 'skip', why: `its deploy ${outcome === 'failed' ? 'failed' : outcome === 'rolled-back' ? 'was rolled back' : `ended ${outcome}`}` };
}


/***/ }),

/***/ 7763:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   rolledBackFromTags: () => (/* binding */ rolledBackFromTags),
/* harmony export */   rolledBackToTags: () => (/* binding */ rolledBackToTags)
/* harmony export */ });
/* harmony import */ var _ecs_revision_tags_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3191);
/* harmony import */ var _ecs_task_definition_source_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5513);
/* harmony import */ var _known_good_revision_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(586);
/**
 * What a rollback writes on the two revisions it touches, so the ECS history alone tells the
 * story without a GitHub token: the target learns when, from where, by whom and why it was
 * rolled back to; the revision rolled back from is marked `rolled-back`, which is what keeps a
 * later `to: previous` from choosing it again.
 */



const tag = (key, value) => ({ key: (0,_ecs_revision_tags_js__WEBPACK_IMPORTED_MODULE_0__/* .sanitizeTagKey */ .Ln)(`${_ecs_revision_tags_js__WEBPACK_IMPORTED_MODULE_0__/* .TAG_PREFIX */ .C_}${key}`), value: (0,_ecs_revision_tags_js__WEBPACK_IMPORTED_MODULE_0__/* .sanitizeTagValue */ .Zz)(value) });
function rolledBackToTags(options) {
    return [
        tag('rolled-back-to-at', options.at.toISOString()),
        tag('rolled-back-to-from', (0,_ecs_task_definition_source_js__WEBPACK_IMPORTED_MODULE_1__.revisionName)(options.from)),
        tag('rolled-back-to-reason', options.reason),
        tag('rolled-back-to-by', options.requestedBy),
    ];
}
function rolledBackFromTags(options) {
    return [{ key: _known_good_revision_js__WEBPACK_IMPORTED_MODULE_2__/* .OUTCOME_TAG */ .c, value: 'rolled-back' }, tag('rolled-back-at', options.at.toISOString()), tag('rolled-back-to', (0,_ecs_task_definition_source_js__WEBPACK_IMPORTED_MODULE_1__.revisionName)(options.to))];
}


/***/ })

};
