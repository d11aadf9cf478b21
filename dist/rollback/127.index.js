export const id = 127;
export const ids = [127,639];
export const modules = {

/***/ 1316:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   W$: () => (/* binding */ rolloutCounts),
/* harmony export */   cH: () => (/* binding */ assessRollout),
/* harmony export */   sg: () => (/* binding */ primaryDeployment)
/* harmony export */ });
/* unused harmony export ourDeployment */
function ourDeployment(service, deploymentId) {
    return service?.deployments?.find((d) => d.id === deploymentId);
}
function primaryDeployment(service) {
    return service?.deployments?.find((d) => d.status === 'PRIMARY');
}
function rolloutCounts(service, deploymentId, observedFailures = 0) {
    const ours = ourDeployment(service, deploymentId);
    const others = (service?.deployments ?? []).filter((d) => d.id !== deploymentId);
    return {
        desired: ours?.desiredCount ?? service?.desiredCount ?? 0,
        running: ours?.runningCount ?? 0,
        pending: ours?.pendingCount ?? 0,
        oldRunning: others.reduce((sum, d) => sum + (d.runningCount ?? 0), 0),
        failed: Math.max(ours?.failedTasks ?? 0, observedFailures),
    };
}
function assessRollout(service, deploymentId, options) {
    const ours = ourDeployment(service, deploymentId);
    const primary = primaryDeployment(service);
    const replacedBy = primary && primary.id !== deploymentId ? { deploymentId: primary.id ?? '?', taskDefinition: primary.taskDefinition ?? '?' } : undefined;
    if (!service || service.status !== 'ACTIVE') {
        return { state: 'failed', cause: 'superseded', reason: `the service is ${service?.status ?? 'gone'}` };
    }
    // ECS's rollback replaces our deployment with one of the previous revision; a rollback that
    // already finished leaves no trace of ours but that.
    const rolledBackByEcs = replacedBy && (ours?.rolloutState === 'FAILED' || (!ours && replacedBy.taskDefinition === options.previousTaskDefinition));
    if (rolledBackByEcs) {
        return { state: 'failed', cause: 'circuit-breaker-rollback', reason: ours?.rolloutStateReason ?? 'ECS rolled the deployment back', replacedBy };
    }
    if (ours?.rolloutState === 'FAILED') {
        return { state: 'failed', cause: 'rollout-failed', reason: ours.rolloutStateReason ?? 'ECS marked the deployment FAILED' };
    }
    if (!ours)
        return { state: 'failed', cause: 'superseded', reason: `deployment ${deploymentId} is no longer on the service` };
    if (replacedBy) {
        return { state: 'failed', cause: 'superseded', reason: `deployment ${replacedBy.deploymentId} replaced it`, replacedBy };
    }
    const counts = rolloutCounts(service, deploymentId, options.observedFailures);
    if (counts.failed >= options.maxFailedTasks) {
        return { state: 'failed', cause: 'failed-tasks', reason: `${counts.failed} task${counts.failed === 1 ? '' : 's'} of the new revision failed (max-failed-tasks ${options.maxFailedTasks})` };
    }
    const completed = ours.rolloutState === 'COMPLETED' || ours.rolloutState === undefined;
    if (completed && counts.running === counts.desired && counts.pending === 0 && (service.deployments?.length ?? 0) === 1) {
        return { state: 'completed' };
    }
    return { state: 'in-progress' };
}


/***/ }),

/***/ 1896:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  P: () => (/* binding */ DEFAULT_POLL_INTERVAL_MS),
  Jv: () => (/* binding */ describeService),
  h4: () => (/* binding */ followRollout),
  E2: () => (/* binding */ isThrottling),
  Ql: () => (/* binding */ newStoppedTasks)
});

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var dist_cjs = __webpack_require__(212);
// EXTERNAL MODULE: ./shared/duration.ts
var duration = __webpack_require__(5784);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
// EXTERNAL MODULE: ./shared/ecs/assess-rollout.ts
var assess_rollout = __webpack_require__(1316);
;// CONCATENATED MODULE: ./shared/ecs/rollout-progress.ts
/**
 * One progress line per change of the rollout's counts, e.g.
 *   [1m05s] payments:8 2/3 running, 1 pending · payments:7 1 running · 0 failed
 * and nothing while they stay the same, so a long wait reads as a short list of steps.
 */

function progressKey(c) {
    return `${c.desired}/${c.running}/${c.pending}/${c.oldRunning}/${c.failed}`;
}
function progressLine(c, labels, elapsedMs) {
    const parts = [`${labels.revision} ${c.running}/${c.desired} running${c.pending > 0 ? `, ${c.pending} pending` : ''}`];
    if (c.oldRunning > 0 || labels.previous)
        parts.push(`${labels.previous ?? 'old'} ${c.oldRunning} running`);
    parts.push(`${c.failed} failed`);
    return `[${(0,duration/* formatDuration */.a)(elapsedMs)}] ${parts.join(' · ')}`;
}
class ProgressReporter {
    last;
    /** The line to print when the counts changed since the last call, else undefined. */
    update(c, labels, elapsedMs) {
        const key = progressKey(c);
        if (key === this.last)
            return undefined;
        this.last = key;
        return progressLine(c, labels, elapsedMs);
    }
}

// EXTERNAL MODULE: ./shared/ecs/stopped-task.ts
var stopped_task = __webpack_require__(1579);
// EXTERNAL MODULE: ./shared/ecs/task-definition-source.ts
var task_definition_source = __webpack_require__(7639);
;// CONCATENATED MODULE: ./shared/ecs/follow-rollout.ts
/**
 * Follows one deployment of a service until it completes, fails, runs out of time or is
 * cancelled, showing what ECS does on the way: every new service event once and in order, a
 * progress line whenever the counts change, and the stopped reason, stop code and exit codes of
 * every task of the deployment that stops.
 *
 * Polls DescribeServices every `pollIntervalMs` (2 s) at a fixed rate, backing off only when ECS
 * throttles; each wait is cut to the time left before the deadline, so the deadline is honoured
 * to within one API call.
 */







const DEFAULT_POLL_INTERVAL_MS = 2_000;
const MAX_THROTTLED_INTERVAL_MS = 30_000;
const MAX_TASK_WARNINGS = 5;
const MAX_ERRORS_IN_A_ROW = 5;
async function describeService(ecs, cluster, service, stats) {
    if (stats)
        stats.describeServicesCalls++;
    const out = await ecs.send(new dist_cjs/* DescribeServicesCommand */.H7c({ cluster, services: [service] }));
    return out.services?.[0];
}
function isThrottling(error) {
    const e = error;
    return e?.name === 'ThrottlingException' || e?.name === 'TooManyRequestsException' || e?.$retryable?.throttling === true;
}
async function followRollout(options, deps) {
    const { ecs, logger, clock, signal, timeline, stats } = deps;
    const baseInterval = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    const progress = new ProgressReporter();
    const seenStopped = new Set();
    const stoppedTasks = [];
    const labels = { revision: (0,task_definition_source.revisionName)(options.taskDefinitionArn), previous: options.previousTaskDefinitionArn ? (0,task_definition_source.revisionName)(options.previousTaskDefinitionArn) : undefined };
    let interval = baseInterval;
    let errorsInARow = 0;
    let service;
    const end = (verdict) => ({ verdict, stoppedTasks, service, endedAt: clock.now() });
    for (;;) {
        if (signal?.aborted)
            return end({ state: 'failed', cause: 'cancelled', reason: 'the job was cancelled' });
        const pollStarted = clock.now();
        try {
            service = await describeService(ecs, options.cluster, options.service, stats);
            const freshStopped = await newStoppedTasks(ecs, options.cluster, options.deploymentId, seenStopped);
            interval = baseInterval;
            for (const event of options.events.take(service?.events))
                logger.info(`  event: ${event.message ?? ''}`);
            for (const task of freshStopped) {
                stoppedTasks.push(task);
                const line = (0,stopped_task/* describeStoppedTask */.u)(task);
                // A warning each for the first few (they explain the failure); a crash loop of a large
                // service would otherwise bury the log's annotations.
                if (task.failed && stoppedTasks.filter((t) => t.failed).length <= MAX_TASK_WARNINGS) {
                    logger.warning(`${labels.revision}: ${line}`);
                    timeline.add(`${labels.revision}: ${line}`);
                }
                else {
                    logger.info(`  ${line}`);
                    if (task.failed)
                        timeline.add(`${labels.revision}: ${line}`);
                }
            }
            const observedFailures = stoppedTasks.filter((t) => t.failed).length;
            const counts = (0,assess_rollout/* rolloutCounts */.W$)(service, options.deploymentId, observedFailures);
            const line = progress.update(counts, labels, timeline.elapsed());
            if (line) {
                logger.info(line);
                timeline.add(line.replace(/^\[[^\]]*\] /, ''));
            }
            const verdict = (0,assess_rollout/* assessRollout */.cH)(service, options.deploymentId, {
                maxFailedTasks: options.maxFailedTasks,
                observedFailures,
                previousTaskDefinition: options.previousTaskDefinitionArn,
            });
            if (verdict.state !== 'in-progress')
                return end(verdict);
            errorsInARow = 0;
        }
        catch (error) {
            if (isThrottling(error)) {
                stats.throttled++;
                interval = Math.min(MAX_THROTTLED_INTERVAL_MS, interval * 2);
                logger.warning(`ECS is throttling DescribeServices; polling every ${(0,duration/* formatDuration */.a)(interval)} until it stops.`);
            }
            else {
                // The service was already updated: one failed poll (the SDK has retried it already) must
                // not abandon a rollout, but a persistent failure is reported rather than waited out.
                if (++errorsInARow >= MAX_ERRORS_IN_A_ROW)
                    throw error;
                logger.warning(`Could not read the rollout's state (${(0,errors/* errorMessage */.gJ)(error)}); trying again.`);
            }
        }
        const remaining = options.deadline - clock.now();
        if (remaining <= 0) {
            return end({ state: 'failed', cause: 'timed-out', reason: `the rollout did not complete within the deadline` });
        }
        await clock.sleep(Math.min(remaining, Math.max(0, pollStarted + interval - clock.now())), signal);
    }
}
/**
 * Stopped tasks of the deployment not reported yet (ECS starts service tasks with startedBy = the
 * deployment id). A task being stopped counts once ECS gave its reason, even while it still drains
 * from the load balancer: that is when the failure is known.
 */
async function newStoppedTasks(ecs, cluster, deploymentId, seen) {
    const listed = await ecs.send(new dist_cjs/* ListTasksCommand */.MYg({ cluster, startedBy: deploymentId, desiredStatus: 'STOPPED' }));
    const fresh = (listed.taskArns ?? []).filter((arn) => !seen.has(arn));
    if (fresh.length === 0)
        return [];
    const described = await ecs.send(new dist_cjs/* DescribeTasksCommand */.z8X({ cluster, tasks: fresh.slice(0, 100) }));
    const tasks = (described.tasks ?? []).filter((t) => t.taskArn && !seen.has(t.taskArn) && (t.lastStatus === 'STOPPED' || Boolean(t.stoppedReason)));
    for (const t of tasks)
        if (t.taskArn)
            seen.add(t.taskArn);
    return tasks.map(stopped_task/* toStoppedTask */._).sort((a, b) => (a.stoppedAt?.valueOf() ?? 0) - (b.stoppedAt?.valueOf() ?? 0));
}


/***/ }),

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

/***/ 5717:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   r: () => (/* binding */ requireService)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2635);
/* harmony import */ var _follow_rollout_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1896);


/**
 * The service a deploy or rollback acts on, or a UserError naming the `cluster` or `service`
 * input when it does not exist or is not ACTIVE — before anything is changed.
 */
async function requireService(ecs, cluster, name, stats) {
    let service;
    try {
        service = await (0,_follow_rollout_js__WEBPACK_IMPORTED_MODULE_1__/* .describeService */ .Jv)(ecs, cluster, name, stats);
    }
    catch (error) {
        if (error.name === 'ClusterNotFoundException') {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`Input 'cluster' has an invalid value ${JSON.stringify(cluster)}: no such ECS cluster in this account and region.`);
        }
        throw error;
    }
    if (!service || service.status !== 'ACTIVE') {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`Input 'service' has an invalid value ${JSON.stringify(name)}: no ACTIVE service of that name in cluster '${cluster}'${service ? ` (it is ${service.status})` : ''}.`);
    }
    return service;
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

/***/ 1579:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   _: () => (/* binding */ toStoppedTask),
/* harmony export */   u: () => (/* binding */ describeStoppedTask)
/* harmony export */ });
function toStoppedTask(task) {
    const taskArn = task.taskArn ?? '';
    const stoppedReason = task.stoppedReason ?? '';
    const stopCode = task.stopCode ?? '';
    const containers = (task.containers ?? []).map((c) => ({
        name: c.name ?? '?',
        ...(c.exitCode !== undefined && c.exitCode !== null ? { exitCode: c.exitCode } : {}),
        ...(c.reason ? { reason: c.reason } : {}),
    }));
    return {
        taskId: taskArn.split('/').at(-1) ?? taskArn,
        taskArn,
        taskDefinitionArn: task.taskDefinitionArn ?? '',
        stoppedReason,
        stopCode,
        containers,
        failed: isFailure(stopCode, stoppedReason, containers),
        ...(task.stoppedAt ? { stoppedAt: task.stoppedAt } : {}),
    };
}
function isFailure(stopCode, reason, containers) {
    if (stopCode === 'TaskFailedToStart' || stopCode === 'EssentialContainerExited')
        return true;
    if (stopCode === 'UserInitiated' || /^Scaling activity/i.test(reason) || /^Service deleted/i.test(reason))
        return false;
    return /health ?check|unhealthy|CannotPull|ResourceInitialization|OutOfMemory/i.test(reason) || containers.some((c) => c.exitCode !== undefined && c.exitCode !== 0);
}
/** `task 1a2b… stopped: Essential container in task exited (EssentialContainerExited; app exit 1)` */
function describeStoppedTask(t) {
    const exits = t.containers
        .filter((c) => c.exitCode !== undefined || c.reason)
        .map((c) => `${c.name} exit ${c.exitCode ?? '?'}${c.reason ? ` (${c.reason})` : ''}`);
    const detail = [t.stopCode, ...exits].filter(Boolean).join('; ');
    return `task ${t.taskId} stopped: ${t.stoppedReason || 'no reason given'}${detail ? ` (${detail})` : ''}`;
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


/***/ })

};
