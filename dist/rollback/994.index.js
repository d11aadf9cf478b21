export const id = 994;
export const ids = [994,404];
export const modules = {

/***/ 7404:
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
// EXTERNAL MODULE: ./shared/ecs/assess-rollout.ts
var assess_rollout = __webpack_require__(1316);
// EXTERNAL MODULE: ./shared/ecs/follow-rollout.ts + 1 modules
var follow_rollout = __webpack_require__(1896);
// EXTERNAL MODULE: ./shared/ecs/register-task-definition.ts + 1 modules
var register_task_definition = __webpack_require__(211);
// EXTERNAL MODULE: ./shared/ecs/render-task-definition.ts
var render_task_definition = __webpack_require__(8878);
// EXTERNAL MODULE: ./shared/ecs/revision-tags.ts
var revision_tags = __webpack_require__(2373);
// EXTERNAL MODULE: ./shared/ecs/task-definition-source.ts
var task_definition_source = __webpack_require__(7639);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var dist_cjs = __webpack_require__(212);
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
    const before = (0,assess_rollout/* primaryDeployment */.sg)(current)?.id;
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
        const primary = (0,assess_rollout/* primaryDeployment */.sg)(service);
        if (!service || !primary?.id)
            throw new Error('UpdateService answered without a PRIMARY deployment');
        return { service, deploymentId: primary.id, startedDeployment: primary.id !== before };
    }
    catch (error) {
        if ((0,register_task_definition/* isClientException */.Vj)(error)) {
            throw new errors/* UserError */.yo(`ECS refused to update service '${current.serviceName}': ${error.message}`, { cause: error });
        }
        throw error;
    }
}

;// CONCATENATED MODULE: ./shared/ecs/rollback-service.ts




async function rollBackService(options, deps) {
    const { logger, timeline } = deps;
    const to = (0,task_definition_source.revisionName)(options.toTaskDefinitionArn);
    const primary = (0,assess_rollout/* primaryDeployment */.sg)(options.service);
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
    const follow = await (0,follow_rollout/* followRollout */.h4)({
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

// EXTERNAL MODULE: ./shared/ecs/stopped-task.ts
var stopped_task = __webpack_require__(1579);
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

// EXTERNAL MODULE: ./shared/ecs/require-service.ts
var require_service = __webpack_require__(5717);
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
    let service = await waitUntilNoRolloutInProgress(await (0,require_service/* requireService */.r)(ecs, request.cluster, request.service, stats), request, deadline, events, followDeps);
    const previous = (0,assess_rollout/* primaryDeployment */.sg)(service)?.taskDefinition ?? service.taskDefinition;
    const previousDesired = service.desiredCount;
    // 2. The revision to deploy: rendered and registered only when something changed.
    const plan = await logger.group('Task definition', () => resolveRevision(request, previous, ecs, logger));
    timeline.add(plan.registered ? `registered ${(0,task_definition_source.revisionName)(plan.taskDefinitionArn)}` : `deploying ${(0,task_definition_source.revisionName)(plan.taskDefinitionArn)} as is (no new revision)`);
    await deps.hooks?.planned?.(plan);
    // 3. The update. A cancellation that arrived while registering stops here, before ECS is touched.
    if (signal?.aborted) {
        throw new errors/* UserError */.yo(`Cancelled before the service was updated: ${where} still runs ${(0,task_definition_source.revisionName)(previous)}${plan.registered ? ` (${(0,task_definition_source.revisionName)(plan.taskDefinitionArn)} was registered but not deployed)` : ''}.`);
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
        timeline.add(`service already on ${(0,task_definition_source.revisionName)(plan.taskDefinitionArn)}: no new deployment`);
        logger.info(`The service already runs ${(0,task_definition_source.revisionName)(plan.taskDefinitionArn)} (deployment ${deploymentId}); ECS started no new deployment. Set force-new-deployment to replace its tasks.`);
        return finish('succeeded', `${where} already runs ${(0,task_definition_source.revisionName)(plan.taskDefinitionArn)}.`);
    }
    timeline.add(`service updated: deployment ${deploymentId}`);
    logger.info(`Service updated to ${(0,task_definition_source.revisionName)(plan.taskDefinitionArn)}: deployment ${deploymentId}.`);
    if (request.wait === false) {
        return finish('started', `Deployment ${deploymentId} of ${(0,task_definition_source.revisionName)(plan.taskDefinitionArn)} started (not followed: wait is false).`);
    }
    // 4. Follow.
    logger.info(`── Rollout of ${(0,task_definition_source.revisionName)(plan.taskDefinitionArn)} (deployment ${deploymentId}) ──`);
    const follow = await (0,follow_rollout/* followRollout */.h4)({
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
        const counts = (0,assess_rollout/* rolloutCounts */.W$)(follow.service, deploymentId);
        timeline.add(`rollout completed: ${counts.running}/${counts.desired} running`);
        logger.info(`Deployment ${deploymentId} completed: ${(0,task_definition_source.revisionName)(plan.taskDefinitionArn)} runs ${counts.running}/${counts.desired} tasks (${(0,duration/* formatDuration */.a)(clock.now() - startedAt)}).`);
        const result = finish('succeeded', `${where} runs ${(0,task_definition_source.revisionName)(plan.taskDefinitionArn)}.`, { completedAt: follow.endedAt });
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
    logger.info(`── Rollback to ${(0,task_definition_source.revisionName)(previous)} ──`);
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
        where2 = `Rollback to ${(0,task_definition_source.revisionName)(previous)} started (deployment ${rollback.deploymentId}); ECS completes it.`;
        status = verdict.cause === 'cancelled' ? 'cancelled' : 'failed';
    }
    else if (rollbackVerdict?.state === 'completed') {
        const counts = (0,assess_rollout/* rolloutCounts */.W$)(rollback.follow?.service, rollback.deploymentId);
        where2 = `Rolled back: the service is back on revision ${(0,task_definition_source.revisionName)(previous)} (${counts.running}/${counts.desired} running).`;
        status = 'rolled-back';
        rolledBack = true;
    }
    else {
        where2 = `The rollback to ${(0,task_definition_source.revisionName)(previous)} (deployment ${rollback.deploymentId}) did not complete: ${rollbackVerdict?.reason ?? 'unknown'}.`;
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
        const late = await (0,follow_rollout/* newStoppedTasks */.Ql)(ecs, cluster, deploymentId, new Set(known.map((t) => t.taskArn)));
        for (const t of late)
            if (t.failed)
                logger.info(`  ${(0,stopped_task/* describeStoppedTask */.u)(t)}`);
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
    const describe = (d) => `deployment ${d.id} of ${(0,task_definition_source.revisionName)(d.taskDefinition)} (${d.runningCount ?? 0}/${d.desiredCount ?? 0} running, started ${d.createdAt ? d.createdAt.toISOString() : 'at an unknown time'})`;
    if (!request.waitForInProgress) {
        throw new errors/* UserError */.yo(`Another deployment of ${request.cluster}/${request.service} is IN_PROGRESS: ${describe(blocking)}. Not starting a second one on top of it; set wait-for-in-progress: true to wait for it, or retry when it is done.`);
    }
    logger.info(`Waiting for ${describe(blocking)} to finish (wait-for-in-progress).`);
    deps.timeline.add(`waiting for ${blocking.id} to finish`);
    events.prime(service.events);
    let interval = request.pollIntervalMs ?? follow_rollout/* DEFAULT_POLL_INTERVAL_MS */.P;
    while (blocking) {
        const remaining = deadline - clock.now();
        if (signal?.aborted)
            throw new errors/* UserError */.yo('Cancelled while waiting for another deployment to finish; nothing was changed.');
        if (remaining <= 0) {
            throw new errors/* UserError */.yo(`Timed out waiting for ${describe(blocking)} to finish; nothing was changed.`);
        }
        await clock.sleep(Math.min(remaining, interval), signal);
        try {
            service = await (0,require_service/* requireService */.r)(deps.ecs, request.cluster, request.service, deps.stats);
            interval = request.pollIntervalMs ?? follow_rollout/* DEFAULT_POLL_INTERVAL_MS */.P;
        }
        catch (error) {
            if (!(0,follow_rollout/* isThrottling */.E2)(error))
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
    const running = previous ? await (0,register_task_definition/* describeTaskDefinition */.oh)(ecs, previous).catch(() => undefined) : undefined;
    const beforeImages = running ? (0,render_task_definition/* containerImages */._Z)(running.document) : [];
    if (source.kind === 'document') {
        base = (0,render_task_definition/* registrableTaskDefinition */.xH)(source.document, source.source);
    }
    else {
        if (!ref)
            throw new errors/* UserError */.yo(`The service has no task definition to start from; give one in 'task-definition'.`);
        const described = running && ref === previous ? running : await (0,register_task_definition/* describeTaskDefinition */.oh)(ecs, ref);
        base = described.document;
        baseArn = described.arn;
        if (described.status !== 'ACTIVE')
            logger.warning(`${(0,task_definition_source.revisionName)(described.arn)} is ${described.status}; ECS may refuse to deploy it.`);
    }
    const rendered = (0,render_task_definition/* renderTaskDefinition */.P9)(base, changes);
    const mustRegister = source.kind === 'document' || ((0,render_task_definition/* hasChanges */.ik)(changes) && rendered.changed) || !baseArn;
    if (!mustRegister) {
        logger.info(`Deploying ${(0,task_definition_source.revisionName)(baseArn)} as is: no new revision registered.`);
        return { taskDefinitionArn: baseArn, previousTaskDefinitionArn: previous, registered: false, before: beforeImages, after: rendered.after };
    }
    if (request.register === 'never') {
        throw new errors/* UserError */.yo(`Deploying ${(0,task_definition_source.revisionName)(baseArn ?? String(base.family))} would need a new revision (the changes alter it), but this deploy may not register one.`);
    }
    for (const { container, image } of rendered.after) {
        const was = rendered.before.find((b) => b.container === container)?.image;
        logger.info(`  ${container}: ${was && was !== image ? `${was} → ` : ''}${image}`);
    }
    const arn = await (0,register_task_definition/* registerTaskDefinition */.eQ)(ecs, rendered.document, request.revisionTags ?? []);
    logger.info(`Registered ${(0,task_definition_source.revisionName)(arn)}.`);
    return { taskDefinitionArn: arn, previousTaskDefinitionArn: previous, registered: true, before: beforeImages, after: rendered.after };
}
function failureHeadline(verdict, arn, where, timeoutMs) {
    const rev = (0,task_definition_source.revisionName)(arn);
    switch (verdict.cause) {
        case 'failed-tasks':
            return `Deploy of ${rev} to ${where} failed: ${verdict.reason}.`;
        case 'circuit-breaker-rollback':
            return `Deploy of ${rev} to ${where} failed: ECS's deployment circuit breaker failed it (${verdict.reason}) and rolled back to ${(0,task_definition_source.revisionName)(verdict.replacedBy?.taskDefinition)}.`;
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
        const text = (0,stopped_task/* describeStoppedTask */.u)(t).replace(/^task \S+ stopped: /, '');
        counts.set(text, (counts.get(text) ?? 0) + 1);
    }
    return `Why: ${[...counts].map(([text, n]) => (n > 1 ? `${text} ×${n}` : text)).join('; ')}.`;
}
/** The revision's own record of how its deploy ended (the audit trail without a GitHub token). */
async function recordOutcome(ecs, plan, result, logger) {
    try {
        await (0,register_task_definition/* tagResource */.FT)(ecs, plan.taskDefinitionArn, [
            { key: `${revision_tags/* TAG_PREFIX */.C_}outcome`, value: result.status },
            ...(result.deploymentId ? [{ key: `${revision_tags/* TAG_PREFIX */.C_}deployment`, value: result.deploymentId }] : []),
        ]);
    }
    catch (error) {
        logger.warning(`Could not tag ${(0,task_definition_source.revisionName)(plan.taskDefinitionArn)} with the outcome: ${error.message}`);
    }
}


/***/ }),

/***/ 8994:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   rollbackOutcome: () => (/* binding */ rollbackOutcome)
/* harmony export */ });
/* harmony import */ var _ecs_deploy_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7404);
/* harmony import */ var _ecs_task_definition_source_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7639);


function rollbackOutcome(result, ctx) {
    const to = (0,_ecs_task_definition_source_js__WEBPACK_IMPORTED_MODULE_1__.revisionName)(ctx.to);
    const from = (0,_ecs_task_definition_source_js__WEBPACK_IMPORTED_MODULE_1__.revisionName)(ctx.from);
    const now = ctx.serviceNow ? ` (now: ${ctx.serviceNow})` : '';
    switch (result.status) {
        case 'succeeded':
            return { status: 'succeeded', recordState: 'success', message: `Rolled back: ${ctx.where} runs ${to} again (was ${from}).` };
        case 'started':
            return { status: 'started', recordState: 'in_progress', message: `Rollback to ${to} started (deployment ${result.deploymentId ?? '?'}); not followed (wait is false).` };
        case 'cancelled':
            return {
                status: 'cancelled',
                recordState: 'error',
                message: `Rollback of ${ctx.where} to ${to} was cancelled while ECS rolled it out (deployment ${result.deploymentId ?? '?'}). ECS carries on with that deployment; nothing was rolled forward to ${from}${now}.`,
            };
        case 'failed':
        case 'rolled-back': {
            const why = (0,_ecs_deploy_js__WEBPACK_IMPORTED_MODULE_0__.stoppedReasons)(result.stoppedTasks);
            return {
                status: 'failed',
                recordState: 'failure',
                message: `Rollback of ${ctx.where} to ${to} FAILED: ${result.failure?.reason ?? result.message}.${why ? ` ${why}` : ''} Not rolled forward to ${from}: ECS keeps the service as it is${now}. Look at the failed tasks above, then fix forward or roll back to another revision with 'to'.`,
            };
        }
    }
}


/***/ })

};
