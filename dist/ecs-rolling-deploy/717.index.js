export const id = 717;
export const ids = [717];
export const modules = {

/***/ 5717:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  deploy: () => (/* binding */ deploy),
  stoppedReasons: () => (/* binding */ stoppedReasons)
});

;// CONCATENATED MODULE: ./shared/clock.ts
const systemClock = {
    now: () => Date.now(),
    sleep(ms, signal) {
        return new Promise((resolve) => {
            if (signal?.aborted || ms <= 0)
                return resolve();
            const done = () => {
                clearTimeout(timer);
                signal?.removeEventListener('abort', done);
                resolve();
            };
            const timer = setTimeout(done, ms);
            signal?.addEventListener('abort', done, { once: true });
        });
    },
};

// EXTERNAL MODULE: ./shared/duration.ts
var duration = __webpack_require__(5784);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
;// CONCATENATED MODULE: ./shared/ecs/assess-rollout.ts
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

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var dist_cjs = __webpack_require__(212);
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

;// CONCATENATED MODULE: ./shared/ecs/stopped-task.ts
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
    const labels = { revision: (0,task_definition_source/* revisionName */.pd)(options.taskDefinitionArn), previous: options.previousTaskDefinitionArn ? (0,task_definition_source/* revisionName */.pd)(options.previousTaskDefinitionArn) : undefined };
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
                const line = describeStoppedTask(task);
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
            const counts = rolloutCounts(service, options.deploymentId, observedFailures);
            const line = progress.update(counts, labels, timeline.elapsed());
            if (line) {
                logger.info(line);
                timeline.add(line.replace(/^\[[^\]]*\] /, ''));
            }
            const verdict = assessRollout(service, options.deploymentId, {
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
    return tasks.map(toStoppedTask).sort((a, b) => (a.stoppedAt?.valueOf() ?? 0) - (b.stoppedAt?.valueOf() ?? 0));
}

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

;// CONCATENATED MODULE: ./shared/ecs/render-task-definition.ts
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
        throw new errors/* UserError */.yo(`The task definition from ${source} is not a JSON/YAML object.`);
    let document = described;
    if (isObject(described.taskDefinition) && described.containerDefinitions === undefined) {
        document = { ...described.taskDefinition, ...(Array.isArray(described.tags) && described.tags.length > 0 ? { tags: described.tags } : {}) };
    }
    const copy = structuredClone(document);
    for (const field of READ_ONLY_TASK_DEFINITION_FIELDS)
        delete copy[field];
    if (typeof copy.family !== 'string' || copy.family === '') {
        throw new errors/* UserError */.yo(`The task definition from ${source} has no \`family\`: ECS needs one to register a revision.`);
    }
    if (!Array.isArray(copy.containerDefinitions) || copy.containerDefinitions.length === 0 || !copy.containerDefinitions.every(isObject)) {
        throw new errors/* UserError */.yo(`The task definition from ${source} has no \`containerDefinitions\` list: ECS needs at least one container.`);
    }
    for (const [i, container] of copy.containerDefinitions.entries()) {
        if (typeof container.name !== 'string' || container.name === '') {
            throw new errors/* UserError */.yo(`The task definition from ${source}: container ${i + 1} has no \`name\`.`);
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
    const unknown = (input, line, container) => new errors/* UserError */.yo(`Input '${input}' has an invalid value ${JSON.stringify(line)}: task definition family '${family}' has no container '${container}' (its containers: ${names.join(', ')}).`);
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
    return { arn: raw.taskDefinitionArn, status: String(raw.status ?? 'ACTIVE'), document: registrableTaskDefinition(raw, ref) };
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

// EXTERNAL MODULE: ./shared/ecs/revision-tags.ts
var revision_tags = __webpack_require__(2373);
;// CONCATENATED MODULE: ./shared/ecs/update-service.ts
/**
 * UpdateService for a deploy or a rollback: the task definition, optionally the desired count
 * and deployment configuration, and which deployment ECS started for it.
 */




/**
 * The deployment configuration to send: the service's own, with only what was asked changed.
 * Sending the whole configuration matters because ECS treats an omitted circuit breaker in a
 * given configuration as "off".
 */
function deploymentConfiguration(current, update) {
    if (update.minimumHealthyPercent === undefined && update.maximumPercent === undefined && update.circuitBreaker === undefined)
        return undefined;
    const config = {};
    const max = update.maximumPercent ?? current?.maximumPercent;
    const min = update.minimumHealthyPercent ?? current?.minimumHealthyPercent;
    if (max !== undefined)
        config.maximumPercent = max;
    if (min !== undefined)
        config.minimumHealthyPercent = min;
    const breaker = update.circuitBreaker ?? current?.deploymentCircuitBreaker;
    if (breaker)
        config.deploymentCircuitBreaker = { enable: breaker.enable ?? false, rollback: breaker.rollback ?? false };
    if (current?.alarms)
        config.alarms = current.alarms;
    return config;
}
async function updateService(ecs, cluster, current, update) {
    const before = primaryDeployment(current)?.id;
    const config = deploymentConfiguration(current.deploymentConfiguration, update);
    try {
        const out = await ecs.send(new dist_cjs/* UpdateServiceCommand */.kZr({
            cluster,
            service: current.serviceName ?? current.serviceArn,
            taskDefinition: update.taskDefinitionArn,
            ...(update.desiredCount !== undefined ? { desiredCount: update.desiredCount } : {}),
            ...(config ? { deploymentConfiguration: config } : {}),
            ...(update.forceNewDeployment ? { forceNewDeployment: true } : {}),
        }));
        const service = out.service;
        const primary = primaryDeployment(service);
        if (!service || !primary?.id)
            throw new Error('UpdateService answered without a PRIMARY deployment');
        return { service, deploymentId: primary.id, startedDeployment: primary.id !== before };
    }
    catch (error) {
        if (isClientException(error)) {
            throw new errors/* UserError */.yo(`ECS refused to update service '${current.serviceName}': ${error.message}`, { cause: error });
        }
        throw error;
    }
}

;// CONCATENATED MODULE: ./shared/ecs/rollback-service.ts




async function rollBackService(options, deps) {
    const { logger, timeline } = deps;
    const to = (0,task_definition_source/* revisionName */.pd)(options.toTaskDefinitionArn);
    const primary = primaryDeployment(options.service);
    let deploymentId;
    let startedByEcs = false;
    if (primary?.id && primary.taskDefinition === options.toTaskDefinitionArn && primary.rolloutState !== 'FAILED') {
        deploymentId = primary.id;
        startedByEcs = true;
        logger.info(`ECS is already rolling back to ${to} (deployment ${deploymentId}); following it.`);
        timeline.add(`ECS rolls back to ${to} (${deploymentId})`);
    }
    else {
        const update = await updateService(deps.ecs, options.cluster, options.service, {
            taskDefinitionArn: options.toTaskDefinitionArn,
            desiredCount: options.desiredCount,
            // The revision being returned to ran before; if it fails now, leave the service on it
            // rather than let ECS bounce back to the failed one.
            forceNewDeployment: false,
        });
        deploymentId = update.deploymentId;
        logger.info(`Rolling back: service updated to ${to} (deployment ${deploymentId}).`);
        timeline.add(`rollback to ${to} started (${deploymentId})`);
    }
    if (!options.follow)
        return { deploymentId, startedByEcs };
    const follow = await followRollout({
        cluster: options.cluster,
        service: options.service.serviceName ?? options.service.serviceArn ?? '',
        deploymentId,
        taskDefinitionArn: options.toTaskDefinitionArn,
        previousTaskDefinitionArn: options.fromTaskDefinitionArn,
        deadline: options.deadline,
        // ECS's own circuit breaker decides about the revision that worked before.
        maxFailedTasks: Number.POSITIVE_INFINITY,
        events: options.events,
        ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
    }, deps);
    timeline.add(follow.verdict.state === 'completed' ? `rollback to ${to} completed` : `rollback to ${to} did not complete: ${follow.verdict.reason}`);
    return { deploymentId, startedByEcs, follow };
}

;// CONCATENATED MODULE: ./shared/ecs/service-events.ts
class ServiceEventStream {
    seen = new Set();
    /** Marks everything already there as seen: only events after this point are streamed. */
    prime(events) {
        for (const e of events ?? [])
            if (e.id)
                this.seen.add(e.id);
    }
    /** The events not seen before, oldest first. */
    take(events) {
        const fresh = [];
        // ECS lists newest first; walking it backwards keeps the order of events with equal times.
        for (const e of [...(events ?? [])].reverse()) {
            const key = e.id ?? `${e.createdAt?.valueOf() ?? ''}|${e.message ?? ''}`;
            if (this.seen.has(key))
                continue;
            this.seen.add(key);
            fresh.push(e);
        }
        return fresh.sort((a, b) => (a.createdAt?.valueOf() ?? 0) - (b.createdAt?.valueOf() ?? 0));
    }
}

;// CONCATENATED MODULE: ./shared/ecs/timeline.ts
/** What happened during a deploy and when, for the job summary and the audit record. */

class Timeline {
    now;
    startedAt;
    entries = [];
    constructor(now, startedAt) {
        this.now = now;
        this.startedAt = startedAt;
    }
    add(text) {
        this.entries.push({ atMs: this.now() - this.startedAt, text });
    }
    elapsed() {
        return this.now() - this.startedAt;
    }
    /** `[12s] service updated` lines, e.g. for a code block. */
    lines() {
        return this.entries.map((e) => `[${(0,duration/* formatDuration */.a)(e.atMs)}] ${e.text}`);
    }
}

;// CONCATENATED MODULE: ./shared/ecs/require-service.ts


/**
 * The service a deploy or rollback acts on, or a UserError naming the `cluster` or `service`
 * input when it does not exist or is not ACTIVE — before anything is changed.
 */
async function requireService(ecs, cluster, name, stats) {
    let service;
    try {
        service = await describeService(ecs, cluster, name, stats);
    }
    catch (error) {
        if (error.name === 'ClusterNotFoundException') {
            throw new errors/* UserError */.yo(`Input 'cluster' has an invalid value ${JSON.stringify(cluster)}: no such ECS cluster in this account and region.`);
        }
        throw error;
    }
    if (!service || service.status !== 'ACTIVE') {
        throw new errors/* UserError */.yo(`Input 'service' has an invalid value ${JSON.stringify(name)}: no ACTIVE service of that name in cluster '${cluster}'${service ? ` (it is ${service.status})` : ''}.`);
    }
    return service;
}

;// CONCATENATED MODULE: ./shared/ecs/deploy.ts















async function deploy(request, deps) {
    const clock = deps.clock ?? systemClock;
    const { ecs, logger, signal } = deps;
    const startedAt = clock.now();
    const deadline = startedAt + request.timeoutMs;
    const timeline = new Timeline(() => clock.now(), startedAt);
    const stats = { describeServicesCalls: 0, throttled: 0 };
    const followDeps = { ecs, logger, clock, signal, timeline, stats };
    const events = new ServiceEventStream();
    const where = `${request.cluster}/${request.service}`;
    // 1. The service as it is, and nothing else deploying to it.
    // Waits and rollouts are printed outside groups: a collapsed group would hide the progress
    // people are watching.
    let service = await waitUntilNoRolloutInProgress(await requireService(ecs, request.cluster, request.service, stats), request, deadline, events, followDeps);
    const previous = primaryDeployment(service)?.taskDefinition ?? service.taskDefinition;
    const previousDesired = service.desiredCount;
    // 2. The revision to deploy: rendered and registered only when something changed.
    const plan = await logger.group('Task definition', () => resolveRevision(request, previous, ecs, logger));
    timeline.add(plan.registered ? `registered ${(0,task_definition_source/* revisionName */.pd)(plan.taskDefinitionArn)}` : `deploying ${(0,task_definition_source/* revisionName */.pd)(plan.taskDefinitionArn)} as is (no new revision)`);
    await deps.hooks?.planned?.(plan);
    // 3. The update. A cancellation that arrived while registering stops here, before ECS is touched.
    if (signal?.aborted) {
        throw new errors/* UserError */.yo(`Cancelled before the service was updated: ${where} still runs ${(0,task_definition_source/* revisionName */.pd)(previous)}${plan.registered ? ` (${(0,task_definition_source/* revisionName */.pd)(plan.taskDefinitionArn)} was registered but not deployed)` : ''}.`);
    }
    events.prime(service.events);
    const update = await updateService(ecs, request.cluster, service, {
        taskDefinitionArn: plan.taskDefinitionArn,
        desiredCount: request.desiredCount,
        minimumHealthyPercent: request.minimumHealthyPercent,
        maximumPercent: request.maximumPercent,
        circuitBreaker: request.circuitBreaker === undefined ? undefined : { enable: request.circuitBreaker, rollback: request.circuitBreaker && (request.onFailure ?? 'roll-back') === 'roll-back' },
        forceNewDeployment: request.forceNewDeployment,
    });
    service = update.service;
    const deploymentId = update.deploymentId;
    await deps.hooks?.serviceUpdated?.({ ...plan, deploymentId });
    const base = { ...plan, deploymentId, stoppedTasks: [], timeline, stats, rolledBack: false };
    const finish = (status, message, extra = {}) => ({
        ...base,
        status,
        message,
        durationMs: clock.now() - startedAt,
        ...extra,
    });
    if (!update.startedDeployment) {
        timeline.add(`service already on ${(0,task_definition_source/* revisionName */.pd)(plan.taskDefinitionArn)}: no new deployment`);
        logger.info(`The service already runs ${(0,task_definition_source/* revisionName */.pd)(plan.taskDefinitionArn)} (deployment ${deploymentId}); ECS started no new deployment. Set force-new-deployment to replace its tasks.`);
        return finish('succeeded', `${where} already runs ${(0,task_definition_source/* revisionName */.pd)(plan.taskDefinitionArn)}.`);
    }
    timeline.add(`service updated: deployment ${deploymentId}`);
    logger.info(`Service updated to ${(0,task_definition_source/* revisionName */.pd)(plan.taskDefinitionArn)}: deployment ${deploymentId}.`);
    if (request.wait === false) {
        return finish('started', `Deployment ${deploymentId} of ${(0,task_definition_source/* revisionName */.pd)(plan.taskDefinitionArn)} started (not followed: wait is false).`);
    }
    // 4. Follow.
    logger.info(`── Rollout of ${(0,task_definition_source/* revisionName */.pd)(plan.taskDefinitionArn)} (deployment ${deploymentId}) ──`);
    const follow = await followRollout({
        cluster: request.cluster,
        service: request.service,
        deploymentId,
        taskDefinitionArn: plan.taskDefinitionArn,
        previousTaskDefinitionArn: previous,
        deadline,
        maxFailedTasks: request.maxFailedTasks,
        events,
        ...(request.pollIntervalMs !== undefined ? { pollIntervalMs: request.pollIntervalMs } : {}),
    }, followDeps);
    base.stoppedTasks = follow.stoppedTasks;
    const verdict = follow.verdict;
    if (verdict.state === 'completed') {
        const counts = rolloutCounts(follow.service, deploymentId);
        timeline.add(`rollout completed: ${counts.running}/${counts.desired} running`);
        logger.info(`Deployment ${deploymentId} completed: ${(0,task_definition_source/* revisionName */.pd)(plan.taskDefinitionArn)} runs ${counts.running}/${counts.desired} tasks (${(0,duration/* formatDuration */.a)(clock.now() - startedAt)}).`);
        const result = finish('succeeded', `${where} runs ${(0,task_definition_source/* revisionName */.pd)(plan.taskDefinitionArn)}.`, { completedAt: follow.endedAt });
        await recordOutcome(ecs, plan, result, logger);
        return result;
    }
    // 5. Failure: say what and why, then roll back.
    const what = failureHeadline(verdict, plan.taskDefinitionArn, where, request.timeoutMs);
    const why = stoppedReasons(follow.stoppedTasks);
    timeline.add(`rollout failed: ${verdict.reason}`);
    // The step's failure message repeats this with the outcome of the rollback: one error annotation, not two.
    logger.info(`✗ ${what}${why ? ` ${why}` : ''}`);
    const failure = { cause: verdict.cause, reason: verdict.reason };
    const ecsRolledBack = verdict.cause === 'circuit-breaker-rollback';
    const rollBack = ecsRolledBack || ((request.onFailure ?? 'roll-back') === 'roll-back' && verdict.cause !== 'superseded');
    if (!rollBack || !previous || previous === plan.taskDefinitionArn) {
        const note = verdict.cause === 'superseded' ? ' Left as it is: someone else deployed meanwhile.' : !previous ? ' No previous revision to roll back to.' : ' Not rolled back (rollback-on-failure is off); ECS keeps the service as it is.';
        const status = verdict.cause === 'cancelled' ? 'cancelled' : 'failed';
        const result = finish(status, `${what}${why ? ` ${why}` : ''}${note}`, { failure });
        await recordOutcome(ecs, plan, result, logger);
        return result;
    }
    const latest = follow.service ?? service;
    // Cancelled or out of time: start the rollback (one call, ECS finishes it) without waiting.
    const followRollback = verdict.cause !== 'cancelled' && verdict.cause !== 'timed-out';
    const rollbackStartedAt = clock.now();
    logger.info(`── Rollback to ${(0,task_definition_source/* revisionName */.pd)(previous)} ──`);
    const rollback = await rollBackService({
        cluster: request.cluster,
        service: latest,
        toTaskDefinitionArn: previous,
        fromTaskDefinitionArn: plan.taskDefinitionArn,
        desiredCount: request.desiredCount !== undefined ? previousDesired : undefined,
        deadline,
        events,
        pollIntervalMs: request.pollIntervalMs,
        follow: followRollback,
    }, followDeps);
    const rollbackVerdict = rollback.follow?.verdict;
    // Tasks that failed health checks drain before they stop; by now their reasons are known.
    const stoppedTasks = [...follow.stoppedTasks, ...(await lateStoppedTasks(ecs, request.cluster, deploymentId, follow.stoppedTasks, logger))];
    const why2 = stoppedReasons(stoppedTasks);
    let where2;
    let status;
    let rolledBack = false;
    if (!followRollback) {
        where2 = `Rollback to ${(0,task_definition_source/* revisionName */.pd)(previous)} started (deployment ${rollback.deploymentId}); ECS completes it.`;
        status = verdict.cause === 'cancelled' ? 'cancelled' : 'failed';
    }
    else if (rollbackVerdict?.state === 'completed') {
        const counts = rolloutCounts(rollback.follow?.service, rollback.deploymentId);
        where2 = `Rolled back: the service is back on revision ${(0,task_definition_source/* revisionName */.pd)(previous)} (${counts.running}/${counts.desired} running).`;
        status = 'rolled-back';
        rolledBack = true;
    }
    else {
        where2 = `The rollback to ${(0,task_definition_source/* revisionName */.pd)(previous)} (deployment ${rollback.deploymentId}) did not complete: ${rollbackVerdict?.reason ?? 'unknown'}.`;
        status = 'failed';
    }
    logger.info(where2);
    const result = finish(status, `${what}${why2 ? ` ${why2}` : ''} ${where2}`, {
        failure,
        rolledBack,
        rollbackDeploymentId: rollback.deploymentId,
        rollbackStartedAt,
        stoppedTasks,
    });
    await recordOutcome(ecs, plan, result, logger);
    return result;
}
async function lateStoppedTasks(ecs, cluster, deploymentId, known, logger) {
    try {
        const late = await newStoppedTasks(ecs, cluster, deploymentId, new Set(known.map((t) => t.taskArn)));
        for (const t of late)
            if (t.failed)
                logger.info(`  ${describeStoppedTask(t)}`);
        return late;
    }
    catch (error) {
        logger.debug(`could not list the stopped tasks of ${deploymentId}: ${error.message}`);
        return [];
    }
}
function inProgress(service) {
    return (service.deployments ?? []).find((d) => d.rolloutState === 'IN_PROGRESS');
}
/** Refuses, or waits (streaming its events), while another deployment is IN_PROGRESS. */
async function waitUntilNoRolloutInProgress(service, request, deadline, events, deps) {
    const { logger, clock, signal } = deps;
    let blocking = inProgress(service);
    if (!blocking)
        return service;
    const describe = (d) => `deployment ${d.id} of ${(0,task_definition_source/* revisionName */.pd)(d.taskDefinition)} (${d.runningCount ?? 0}/${d.desiredCount ?? 0} running, started ${d.createdAt ? d.createdAt.toISOString() : 'at an unknown time'})`;
    if (!request.waitForInProgress) {
        throw new errors/* UserError */.yo(`Another deployment of ${request.cluster}/${request.service} is IN_PROGRESS: ${describe(blocking)}. Not starting a second one on top of it; set wait-for-in-progress: true to wait for it, or retry when it is done.`);
    }
    logger.info(`Waiting for ${describe(blocking)} to finish (wait-for-in-progress).`);
    deps.timeline.add(`waiting for ${blocking.id} to finish`);
    events.prime(service.events);
    let interval = request.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    while (blocking) {
        const remaining = deadline - clock.now();
        if (signal?.aborted)
            throw new errors/* UserError */.yo('Cancelled while waiting for another deployment to finish; nothing was changed.');
        if (remaining <= 0) {
            throw new errors/* UserError */.yo(`Timed out waiting for ${describe(blocking)} to finish; nothing was changed.`);
        }
        await clock.sleep(Math.min(remaining, interval), signal);
        try {
            service = await requireService(deps.ecs, request.cluster, request.service, deps.stats);
            interval = request.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
        }
        catch (error) {
            if (!isThrottling(error))
                throw error;
            interval = Math.min(30_000, interval * 2);
            continue;
        }
        for (const e of events.take(service.events))
            logger.info(`  event: ${e.message ?? ''}`);
        blocking = inProgress(service);
    }
    deps.timeline.add('the other deployment finished');
    return service;
}
async function resolveRevision(request, current, ecs, logger) {
    const changes = request.changes ?? { images: new Map(), environment: new Map() };
    const previous = current;
    let base;
    let baseArn;
    const source = request.taskDefinition;
    const ref = source.kind === 'existing' ? source.ref : source.kind === 'service' ? current : undefined;
    // The running revision, for the before/after images (and as the base when deploying from it).
    const running = previous ? await describeTaskDefinition(ecs, previous).catch(() => undefined) : undefined;
    const beforeImages = running ? containerImages(running.document) : [];
    if (source.kind === 'document') {
        base = registrableTaskDefinition(source.document, source.source);
    }
    else {
        if (!ref)
            throw new errors/* UserError */.yo(`The service has no task definition to start from; give one in 'task-definition'.`);
        const described = running && ref === previous ? running : await describeTaskDefinition(ecs, ref);
        base = described.document;
        baseArn = described.arn;
        if (described.status !== 'ACTIVE')
            logger.warning(`${(0,task_definition_source/* revisionName */.pd)(described.arn)} is ${described.status}; ECS may refuse to deploy it.`);
    }
    const rendered = renderTaskDefinition(base, changes);
    const mustRegister = source.kind === 'document' || (hasChanges(changes) && rendered.changed) || !baseArn;
    if (!mustRegister) {
        logger.info(`Deploying ${(0,task_definition_source/* revisionName */.pd)(baseArn)} as is: no new revision registered.`);
        return { taskDefinitionArn: baseArn, previousTaskDefinitionArn: previous, registered: false, before: beforeImages, after: rendered.after };
    }
    if (request.register === 'never') {
        throw new errors/* UserError */.yo(`Deploying ${(0,task_definition_source/* revisionName */.pd)(baseArn ?? String(base.family))} would need a new revision (the changes alter it), but this deploy may not register one.`);
    }
    for (const { container, image } of rendered.after) {
        const was = rendered.before.find((b) => b.container === container)?.image;
        logger.info(`  ${container}: ${was && was !== image ? `${was} → ` : ''}${image}`);
    }
    const arn = await registerTaskDefinition(ecs, rendered.document, request.revisionTags ?? []);
    logger.info(`Registered ${(0,task_definition_source/* revisionName */.pd)(arn)}.`);
    return { taskDefinitionArn: arn, previousTaskDefinitionArn: previous, registered: true, before: beforeImages, after: rendered.after };
}
function failureHeadline(verdict, arn, where, timeoutMs) {
    const rev = (0,task_definition_source/* revisionName */.pd)(arn);
    switch (verdict.cause) {
        case 'failed-tasks':
            return `Deploy of ${rev} to ${where} failed: ${verdict.reason}.`;
        case 'circuit-breaker-rollback':
            return `Deploy of ${rev} to ${where} failed: ECS's deployment circuit breaker failed it (${verdict.reason}) and rolled back to ${(0,task_definition_source/* revisionName */.pd)(verdict.replacedBy?.taskDefinition)}.`;
        case 'rollout-failed':
            return `Deploy of ${rev} to ${where} failed: ECS marked the deployment FAILED (${verdict.reason}).`;
        case 'superseded':
            return `Deploy of ${rev} to ${where} failed: ${verdict.reason}.`;
        case 'timed-out':
            return `Deploy of ${rev} to ${where} timed out: not COMPLETED within the ${(0,duration/* formatDuration */.a)(timeoutMs)} timeout.`;
        case 'cancelled':
            return `Deploy of ${rev} to ${where} was cancelled.`;
    }
}
/** The distinct stopped reasons of failed tasks, e.g. "Stopped tasks: … (EssentialContainerExited; app exit 1) ×2". */
function stoppedReasons(tasks) {
    const failed = tasks.filter((t) => t.failed);
    if (failed.length === 0)
        return '';
    const counts = new Map();
    for (const t of failed) {
        const text = describeStoppedTask(t).replace(/^task \S+ stopped: /, '');
        counts.set(text, (counts.get(text) ?? 0) + 1);
    }
    return `Why: ${[...counts].map(([text, n]) => (n > 1 ? `${text} ×${n}` : text)).join('; ')}.`;
}
/** The revision's own record of how its deploy ended (the audit trail without a GitHub token). */
async function recordOutcome(ecs, plan, result, logger) {
    try {
        await tagResource(ecs, plan.taskDefinitionArn, [
            { key: `${revision_tags/* TAG_PREFIX */.C_}outcome`, value: result.status },
            ...(result.deploymentId ? [{ key: `${revision_tags/* TAG_PREFIX */.C_}deployment`, value: result.deploymentId }] : []),
        ]);
    }
    catch (error) {
        logger.warning(`Could not tag ${(0,task_definition_source/* revisionName */.pd)(plan.taskDefinitionArn)} with the outcome: ${error.message}`);
    }
}


/***/ })

};
