export const id = 61;
export const ids = [61,639];
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


/***/ }),

/***/ 61:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   describeServiceNow: () => (/* binding */ describeServiceNow)
/* harmony export */ });
/* harmony import */ var _ecs_follow_rollout_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1896);
/* harmony import */ var _ecs_task_definition_source_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7639);
/**
 * Where a service is right now, in one line — `app:1 0/2 running, FAILED; app:2 2/2 running` —
 * for the message of a rollback that did not complete. Best effort: empty when ECS cannot say.
 */


async function describeServiceNow(ecs, cluster, service) {
    try {
        const now = await (0,_ecs_follow_rollout_js__WEBPACK_IMPORTED_MODULE_0__/* .describeService */ .Jv)(ecs, cluster, service);
        return (now?.deployments ?? [])
            .map((d) => `${(0,_ecs_task_definition_source_js__WEBPACK_IMPORTED_MODULE_1__.revisionName)(d.taskDefinition)} ${d.runningCount ?? 0}/${d.desiredCount ?? 0} running${d.rolloutState && d.rolloutState !== 'COMPLETED' ? `, ${d.rolloutState}` : ''}`)
            .join('; ');
    }
    catch {
        return '';
    }
}


/***/ })

};
