export const id = 771;
export const ids = [771,639];
export const modules = {

/***/ 211:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  oh: () => (/* binding */ describeTaskDefinition),
  Vj: () => (/* binding */ isClientException),
  eQ: () => (/* binding */ registerTaskDefinition),
  FT: () => (/* binding */ tagResource)
});

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var dist_cjs = __webpack_require__(212);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
;// CONCATENATED MODULE: ./shared/ecs/raw-json.ts
const stackOf = (command) => command.middlewareStack;
/**
 * Replaces the serialized body of `command` with `body`, byte for byte. Runs at the start of the
 * build step, i.e. after the SDK serialized (and validated) the typed input, and before
 * content-length and signing, which then cover the raw body.
 */
function sendBodyVerbatim(command, body) {
    const text = JSON.stringify(body);
    stackOf(command).add((next) => async (args) => {
        args.request.body = text;
        // The SDK sets content-length later in this step; a stale one from a retry must not stay.
        delete args.request.headers['content-length'];
        delete args.request.headers['Content-Length'];
        return next(args);
    }, { step: 'build', name: 'ctpVerbatimJsonBody', priority: 'high', override: true });
    return command;
}
/**
 * Captures the response body of `command` as parsed JSON, before the SDK's deserializer (which
 * runs outside this middleware) reduces it to the members its model knows. The captured value is
 * available once `send` resolves.
 */
function captureResponseJson(command) {
    let captured;
    stackOf(command).add((next) => async (args) => {
        const result = await next(args);
        const { response } = result;
        const bytes = await readAll(response.body);
        // Hand the deserializer the same bytes: it accepts a Uint8Array as a body.
        response.body = bytes;
        if (response.statusCode !== undefined && response.statusCode < 300) {
            try {
                captured = JSON.parse(Buffer.from(bytes).toString('utf8'));
            }
            catch {
                captured = undefined;
            }
        }
        return result;
    }, { step: 'deserialize', name: 'ctpCaptureResponseJson', priority: 'low', override: true });
    return {
        command,
        json: () => {
            if (!captured)
                throw new Error('the raw JSON response was not captured (no successful response)');
            return captured;
        },
    };
}
async function readAll(body) {
    if (body === undefined || body === null)
        return new Uint8Array();
    if (body instanceof Uint8Array)
        return body;
    if (typeof body === 'string')
        return Buffer.from(body);
    const chunks = [];
    for await (const chunk of body)
        chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
    return Buffer.concat(chunks);
}

// EXTERNAL MODULE: ./shared/ecs/render-task-definition.ts
var render_task_definition = __webpack_require__(8878);
;// CONCATENATED MODULE: ./shared/ecs/register-task-definition.ts
/**
 * Reading and registering task definitions with every field intact: both directions go through
 * raw-json.ts so fields the SDK's model does not know survive the round trip.
 */




async function describeTaskDefinition(ecs, ref) {
    const { command, json } = captureResponseJson(new dist_cjs/* DescribeTaskDefinitionCommand */.Zy$({ taskDefinition: ref }));
    try {
        await ecs.send(command);
    }
    catch (error) {
        if (isClientException(error))
            throw new errors/* UserError */.yo(`Task definition '${ref}' was not found: ${error.message}`, { cause: error });
        throw error;
    }
    const raw = json().taskDefinition;
    if (!raw || typeof raw.taskDefinitionArn !== 'string')
        throw new Error(`DescribeTaskDefinition ${ref} answered without a task definition`);
    return { arn: raw.taskDefinitionArn, status: String(raw.status ?? 'ACTIVE'), document: (0,render_task_definition/* registrableTaskDefinition */.xH)(raw, ref) };
}
/** Registers `document` verbatim (plus `tags`) and returns the new revision's ARN. */
async function registerTaskDefinition(ecs, document, tags) {
    const documentTags = Array.isArray(document.tags) ? document.tags : [];
    const merged = new Map();
    for (const t of [...documentTags, ...tags])
        merged.set(t.key, t.value);
    const body = { ...document };
    if (merged.size > 0)
        body.tags = [...merged].map(([key, value]) => ({ key, value }));
    else
        delete body.tags;
    // The typed input is only what the SDK validates and serializes; the wire body is `body`.
    const command = sendBodyVerbatim(new dist_cjs/* RegisterTaskDefinitionCommand */.$Hl(body), body);
    try {
        const out = await ecs.send(command);
        const arn = out.taskDefinition?.taskDefinitionArn;
        if (!arn)
            throw new Error('RegisterTaskDefinition answered without a task definition ARN');
        return arn;
    }
    catch (error) {
        if (isClientException(error)) {
            throw new errors/* UserError */.yo(`ECS refused to register task definition family '${String(document.family)}': ${error.message}`, { cause: error });
        }
        throw error;
    }
}
async function tagResource(ecs, arn, tags) {
    if (tags.length === 0)
        return;
    await ecs.send(new dist_cjs/* TagResourceCommand */.eqU({ resourceArn: arn, tags: tags.map((t) => ({ key: t.key, value: t.value })) }));
}
function isClientException(error) {
    const name = error?.name ?? '';
    return name === 'ClientException' || name === 'InvalidParameterException';
}


/***/ }),

/***/ 8878:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   P9: () => (/* binding */ renderTaskDefinition),
/* harmony export */   _Z: () => (/* binding */ containerImages),
/* harmony export */   ik: () => (/* binding */ hasChanges),
/* harmony export */   xH: () => (/* binding */ registrableTaskDefinition)
/* harmony export */ });
/* unused harmony exports READ_ONLY_TASK_DEFINITION_FIELDS, containerNames, applyEnvironment, deepEqual */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2635);
/**
 * Rendering a task definition: a described (or hand-written) task definition in, the exact body
 * to register out. Nothing is rebuilt from a whitelist: every field is carried over verbatim,
 * including fields newer than the AWS SDK's model, and only the read-only fields that
 * DescribeTaskDefinition adds are dropped (ECS refuses them on RegisterTaskDefinition).
 * Pure: no SDK, no I/O, so the tables in the tests cover it.
 */

/** What DescribeTaskDefinition returns but RegisterTaskDefinition does not accept. */
const READ_ONLY_TASK_DEFINITION_FIELDS = [
    'taskDefinitionArn',
    'revision',
    'status',
    'requiresAttributes',
    'compatibilities',
    'registeredAt',
    'registeredBy',
    'deregisteredAt',
];
function hasChanges(changes) {
    return changes.images.size > 0 || changes.environment.size > 0;
}
/**
 * The registrable part of a task definition as DescribeTaskDefinition (or the AWS console's JSON
 * tab, or `aws ecs describe-task-definition > file.json`) gives it: the `{ taskDefinition: … }`
 * wrapper is unwrapped and the read-only fields are dropped. `tags` beside the wrapper are kept,
 * since RegisterTaskDefinition takes them.
 */
function registrableTaskDefinition(described, source) {
    if (!isObject(described))
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`The task definition from ${source} is not a JSON/YAML object.`);
    let document = described;
    if (isObject(described.taskDefinition) && described.containerDefinitions === undefined) {
        document = { ...described.taskDefinition, ...(Array.isArray(described.tags) && described.tags.length > 0 ? { tags: described.tags } : {}) };
    }
    const copy = structuredClone(document);
    for (const field of READ_ONLY_TASK_DEFINITION_FIELDS)
        delete copy[field];
    if (typeof copy.family !== 'string' || copy.family === '') {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`The task definition from ${source} has no \`family\`: ECS needs one to register a revision.`);
    }
    if (!Array.isArray(copy.containerDefinitions) || copy.containerDefinitions.length === 0 || !copy.containerDefinitions.every(isObject)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`The task definition from ${source} has no \`containerDefinitions\` list: ECS needs at least one container.`);
    }
    for (const [i, container] of copy.containerDefinitions.entries()) {
        if (typeof container.name !== 'string' || container.name === '') {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`The task definition from ${source}: container ${i + 1} has no \`name\`.`);
        }
    }
    return copy;
}
function containerNames(document) {
    return containers(document).map((c) => String(c.name));
}
function containerImages(document) {
    return containers(document).map((c) => ({ container: String(c.name), image: typeof c.image === 'string' ? c.image : '' }));
}
/**
 * Applies images and environment changes to a copy of `base`. Every container named in the
 * changes must exist; the error names the input, the container and the ones that do exist, and
 * is raised before anything could be registered.
 */
function renderTaskDefinition(base, changes) {
    const document = structuredClone(base);
    const defs = containers(document);
    const names = defs.map((c) => String(c.name));
    const family = String(document.family);
    const unknown = (input, line, container) => new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`Input '${input}' has an invalid value ${JSON.stringify(line)}: task definition family '${family}' has no container '${container}' (its containers: ${names.join(', ')}).`);
    for (const [container, image] of changes.images) {
        if (!names.includes(container))
            throw unknown('container-images', `${container}=${image}`, container);
    }
    for (const [container, vars] of changes.environment) {
        const first = [...vars.entries()][0];
        if (!names.includes(container))
            throw unknown('environment', `${container}.${first?.[0] ?? ''}=${first?.[1] ?? ''}`, container);
    }
    for (const def of defs) {
        const name = String(def.name);
        const image = changes.images.get(name);
        if (image !== undefined)
            def.image = image;
        const vars = changes.environment.get(name);
        if (vars)
            def.environment = applyEnvironment(def.environment, vars);
    }
    return {
        document,
        changed: !deepEqual(document, base),
        before: containerImages(base),
        after: containerImages(document),
    };
}
/** Changes in place of existing variables keep their position; new ones are appended in order. */
function applyEnvironment(current, changes) {
    const list = (Array.isArray(current) ? current : []).filter(isObject).map((e) => ({ ...e }));
    for (const [name, value] of changes) {
        const index = list.findIndex((e) => e.name === name);
        if (value === null) {
            if (index >= 0)
                list.splice(index, 1);
        }
        else if (index >= 0) {
            list[index].value = value;
        }
        else {
            list.push({ name, value });
        }
    }
    return list;
}
function containers(document) {
    return Array.isArray(document.containerDefinitions) ? document.containerDefinitions.filter(isObject) : [];
}
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function deepEqual(a, b) {
    if (a === b)
        return true;
    if (Array.isArray(a))
        return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
    if (isObject(a) && isObject(b)) {
        const ka = Object.keys(a).filter((k) => a[k] !== undefined);
        const kb = Object.keys(b).filter((k) => b[k] !== undefined);
        return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
    }
    return false;
}


/***/ }),

/***/ 2373:
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

/***/ 816:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   c: () => (/* binding */ OUTCOME_TAG),
/* harmony export */   f: () => (/* binding */ judgeRevision)
/* harmony export */ });
/* harmony import */ var _ecs_revision_tags_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2373);
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

/***/ 2066:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   IW: () => (/* binding */ SHA_TAG),
/* harmony export */   Pu: () => (/* binding */ imageMatch),
/* harmony export */   de: () => (/* binding */ commitMatches)
/* harmony export */ });
/* unused harmony export parseImageReference */
/* harmony import */ var _ecs_revision_tags_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2373);
/**
 * Whether a revision is the one a person named by commit or by image: the git SHA ecs-rolling-deploy
 * tagged it with, or an image one of its containers runs (by tag, whole reference or digest, as
 * written in the task definition or recorded in its image tags).
 */

const SHA_TAG = `${_ecs_revision_tags_js__WEBPACK_IMPORTED_MODULE_0__/* .TAG_PREFIX */ .C_}sha`;
const IMAGE_TAG_PREFIX = `${_ecs_revision_tags_js__WEBPACK_IMPORTED_MODULE_0__/* .TAG_PREFIX */ .C_}image:`;
/** A full or short (≥ 7 hex digits) SHA against the revision's commit-to-prod:sha tag. */
function commitMatches(revision, sha) {
    const tagged = revision.tags.get(SHA_TAG)?.toLowerCase();
    const wanted = sha.toLowerCase();
    return tagged !== undefined && wanted.length >= 7 && tagged.startsWith(wanted);
}
/** `repo/app:v2@sha256:…` → { name: 'repo/app', tag: 'v2', digest: 'sha256:…' }. */
function parseImageReference(image) {
    const at = image.indexOf('@');
    const digest = at >= 0 ? image.slice(at + 1) : undefined;
    const withoutDigest = at >= 0 ? image.slice(0, at) : image;
    const colon = withoutDigest.lastIndexOf(':');
    // A colon before the last slash belongs to a registry port (`host:5000/app`), not a tag.
    if (colon > withoutDigest.lastIndexOf('/'))
        return { name: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1), digest };
    return { name: withoutDigest, tag: undefined, digest };
}
/** The container whose image `value` names (tag, whole reference or digest), if any. */
function imageMatch(revision, value) {
    for (const { container, image } of revision.images) {
        const ref = parseImageReference(image);
        if (image === value || ref.tag === value || ref.digest === value || (ref.tag !== undefined && `${ref.name}:${ref.tag}` === value))
            return { container, image };
    }
    for (const [key, recorded] of revision.tags) {
        if (!key.startsWith(IMAGE_TAG_PREFIX))
            continue;
        const ref = parseImageReference(recorded);
        if (recorded === value || ref.tag === value || ref.digest === value)
            return { container: key.slice(IMAGE_TAG_PREFIX.length), image: recorded };
    }
    return undefined;
}


/***/ }),

/***/ 2771:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  RollbackRecord: () => (/* binding */ RollbackRecord)
});

// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
;// CONCATENATED MODULE: ./shared/github-deployments.ts
/**
 * The audit record of a deploy as a GitHub deployment: one deployment per release for an
 * environment, its payload naming the revisions, and statuses in_progress → success / failure /
 * error / inactive with the workflow run as log_url. @actions/github (Octokit) is loaded only when
 * a token is given, so it costs nothing at start-up. A GitHub outage never blocks a deploy: the
 * record degrades to a warning, and the ECS revision tags remain.
 */

async function createDeploymentRecord(options, logger) {
    const [owner, repo] = options.repository.split('/');
    if (!owner || !repo) {
        logger.warning(`Not recording a GitHub deployment: GITHUB_REPOSITORY is ${JSON.stringify(options.repository)}, expected owner/repo.`);
        return undefined;
    }
    try {
        const { getOctokit } = await __webpack_require__.e(/* import() */ 413).then(__webpack_require__.bind(__webpack_require__, 2413));
        const octokit = getOctokit(options.token, { baseUrl: options.apiUrl });
        const created = await octokit.rest.repos.createDeployment({
            owner,
            repo,
            ref: options.ref,
            environment: options.environment,
            description: options.description.slice(0, 140),
            payload: options.payload,
            // The commit passed its checks to get here; GitHub's own gate (required contexts, merging
            // the default branch in) would only refuse or alter the release.
            auto_merge: false,
            required_contexts: [],
            ...(options.productionEnvironment !== undefined ? { production_environment: options.productionEnvironment } : {}),
        });
        if (created.status !== 201 || !('id' in created.data)) {
            logger.warning(`GitHub did not create a deployment record: ${JSON.stringify(created.data).slice(0, 200)}`);
            return undefined;
        }
        const id = created.data.id;
        logger.info(`GitHub deployment ${id} created for environment '${options.environment}'.`);
        return {
            id,
            url: created.data.url,
            async setStatus(state, description) {
                try {
                    await octokit.rest.repos.createDeploymentStatus({
                        owner,
                        repo,
                        deployment_id: id,
                        state,
                        description: description.slice(0, 140),
                        ...(options.logUrl ? { log_url: options.logUrl } : {}),
                        ...(options.environmentUrl ? { environment_url: options.environmentUrl } : {}),
                        environment: options.environment,
                        auto_inactive: state === 'success',
                    });
                }
                catch (error) {
                    logger.warning(`Could not set GitHub deployment ${id} to ${state}: ${(0,errors/* errorMessage */.gJ)(error)}`);
                }
            },
        };
    }
    catch (error) {
        logger.warning(`Could not create a GitHub deployment record (the ECS revision tags remain the record): ${(0,errors/* errorMessage */.gJ)(error)}`);
        return undefined;
    }
}

// EXTERNAL MODULE: ./shared/ecs/register-task-definition.ts + 1 modules
var register_task_definition = __webpack_require__(211);
// EXTERNAL MODULE: ./shared/rollback/revision-match.ts
var revision_match = __webpack_require__(2066);
// EXTERNAL MODULE: ./shared/ecs/task-definition-source.ts
var task_definition_source = __webpack_require__(7639);
// EXTERNAL MODULE: ./shared/ecs/revision-tags.ts
var revision_tags = __webpack_require__(2373);
// EXTERNAL MODULE: ./shared/rollback/known-good-revision.ts
var known_good_revision = __webpack_require__(816);
;// CONCATENATED MODULE: ./shared/rollback/rollback-tags.ts
/**
 * What a rollback writes on the two revisions it touches, so the ECS history alone tells the
 * story without a GitHub token: the target learns when, from where, by whom and why it was
 * rolled back to; the revision rolled back from is marked `rolled-back`, which is what keeps a
 * later `to: previous` from choosing it again.
 */



const tag = (key, value) => ({ key: (0,revision_tags/* sanitizeTagKey */.Ln)(`${revision_tags/* TAG_PREFIX */.C_}${key}`), value: (0,revision_tags/* sanitizeTagValue */.Zz)(value) });
function rolledBackToTags(options) {
    return [
        tag('rolled-back-to-at', options.at.toISOString()),
        tag('rolled-back-to-from', (0,task_definition_source.revisionName)(options.from)),
        tag('rolled-back-to-reason', options.reason),
        tag('rolled-back-to-by', options.requestedBy),
    ];
}
function rolledBackFromTags(options) {
    return [{ key: known_good_revision/* OUTCOME_TAG */.c, value: 'rolled-back' }, tag('rolled-back-at', options.at.toISOString()), tag('rolled-back-to', (0,task_definition_source.revisionName)(options.to))];
}

;// CONCATENATED MODULE: ./shared/rollback/rollback-record.ts
/**
 * The audit record of one rollback, kept in both places the release history is read from: a
 * GitHub deployment (payload `kind: rollback` with from, to, reason, who, and the record that
 * chose the target; statuses in_progress → success / failure / error), and tags on the two
 * revisions (rollback-tags.ts). Written at the engine's hooks: the GitHub deployment once the
 * plan is final and before the service is touched, the tags once the service is on its way back.
 * Recording never blocks a rollback: a failure to record is a warning.
 */






class RollbackRecord {
    options;
    ecs;
    logger;
    deployment;
    constructor(options, ecs, logger) {
        this.options = options;
        this.ecs = ecs;
        this.logger = logger;
    }
    /** The GitHub deployment, once created. */
    get github() {
        return this.deployment;
    }
    /** Creates the GitHub deployment (before the service is touched). */
    async open(plan) {
        const { github, cluster, service, target, reason, requestedBy } = this.options;
        if (!github)
            return;
        const from = target.current.arn;
        const to = target.target.arn;
        const sha = target.target.tags.get(revision_match/* SHA_TAG */.IW) ?? target.deployment?.sha;
        this.deployment = await createDeploymentRecord({
            token: github.token,
            apiUrl: github.apiUrl,
            repository: github.repository,
            // The environment then shows the commit that runs after the rollback.
            ref: sha && /^[0-9a-f]{40}$/.test(sha) ? sha : github.fallbackRef,
            environment: github.environment,
            description: `Rollback ${(0,task_definition_source.revisionName)(from)} → ${(0,task_definition_source.revisionName)(to)}: ${reason}`,
            payload: {
                kind: 'rollback',
                cluster,
                service,
                // The same fields as an ecs-rolling-deploy record, so either reads the other's.
                taskDefinitionArn: to,
                previousTaskDefinitionArn: from,
                registered: false,
                images: Object.fromEntries(plan.after.map((i) => [i.container, i.image])),
                previousImages: Object.fromEntries(plan.before.map((i) => [i.container, i.image])),
                from,
                to,
                reason,
                requestedBy,
                source: target.source,
                chosenFrom: target.chosenFrom,
            },
            logUrl: github.logUrl,
        }, this.logger);
    }
    /** The service was updated: the record goes in_progress and both revisions are tagged. */
    async started(deploymentId) {
        const { target, reason, requestedBy } = this.options;
        const from = target.current.arn;
        const to = target.target.arn;
        await this.deployment?.setStatus('in_progress', `Rolling back to ${(0,task_definition_source.revisionName)(to)} (${deploymentId})`);
        // The decision is recorded once the service is on its way back, whatever the outcome.
        const at = new Date();
        try {
            await Promise.all([(0,register_task_definition/* tagResource */.FT)(this.ecs, to, rolledBackToTags({ from, at, reason, requestedBy })), (0,register_task_definition/* tagResource */.FT)(this.ecs, from, rolledBackFromTags({ to, at }))]);
        }
        catch (error) {
            this.logger.warning(`Could not tag the revisions with the rollback: ${(0,errors/* errorMessage */.gJ)(error)}`);
        }
    }
    async finish(state, description) {
        await this.deployment?.setStatus(state, description);
    }
}


/***/ })

};
