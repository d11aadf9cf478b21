export const id = 478;
export const ids = [478];
export const modules = {

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

/***/ 4478:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  imagesText: () => (/* binding */ imagesText),
  pickRollbackTarget: () => (/* binding */ pickRollbackTarget)
});

// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
;// CONCATENATED MODULE: ./shared/github-deployment-history.ts
const DEFAULT_HISTORY_LIMIT = 100;
async function* deploymentHistory(options) {
    const [owner, repo] = options.repository.split('/');
    if (!owner || !repo)
        throw new Error(`GITHUB_REPOSITORY is ${JSON.stringify(options.repository)}, expected owner/repo`);
    const { getOctokit } = await __webpack_require__.e(/* import() */ 413).then(__webpack_require__.bind(__webpack_require__, 2413));
    const octokit = getOctokit(options.token, { baseUrl: options.apiUrl });
    const limit = options.limit ?? DEFAULT_HISTORY_LIMIT;
    const perPage = Math.min(100, limit);
    let seen = 0;
    for (let page = 1; seen < limit; page++) {
        const { data } = await octokit.rest.repos.listDeployments({ owner, repo, environment: options.environment, per_page: perPage, page });
        for (const d of data) {
            if (seen++ >= limit)
                return;
            const statuses = await octokit.rest.repos.listDeploymentStatuses({ owner, repo, deployment_id: d.id, per_page: 100 });
            yield {
                id: d.id,
                sha: d.sha,
                ref: d.ref,
                environment: d.environment,
                createdAt: d.created_at,
                creator: d.creator?.login,
                description: d.description ?? null,
                payload: payloadObject(d.payload),
                // GitHub lists statuses newest first; sort anyway, the order is what the verdict rests on.
                states: [...statuses.data].sort((a, b) => b.id - a.id).map((s) => s.state),
            };
        }
        if (data.length < perPage)
            return;
    }
}
function payloadObject(payload) {
    if (typeof payload === 'string') {
        try {
            const parsed = JSON.parse(payload);
            return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : {};
        }
        catch {
            return {};
        }
    }
    return typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? payload : {};
}

// EXTERNAL MODULE: ./shared/ecs/assess-rollout.ts
var assess_rollout = __webpack_require__(1316);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var dist_cjs = __webpack_require__(212);
// EXTERNAL MODULE: ./shared/ecs/register-task-definition.ts + 1 modules
var register_task_definition = __webpack_require__(211);
;// CONCATENATED MODULE: ./shared/ecs/revision-history.ts
/**
 * The ECS side of a family's history: its revisions newest first, each with the images it runs
 * and the commit-to-prod:* tags ecs-rolling-deploy wrote on it (commit, ref, run, outcome). It is
 * the record a rollback falls back to without a GitHub token, and where explicit targets (a git
 * SHA, an image tag) are looked up. One DescribeTaskDefinition (with TAGS) per revision, a few at
 * a time, and only as far as the caller reads.
 */


/** `arn:…:task-definition/payments:7` or `payments:7` → `payments`. */
function familyOf(arnOrRef) {
    const name = /task-definition\/(.+)$/.exec(arnOrRef)?.[1] ?? arnOrRef;
    return name.replace(/:\d+$/, '');
}
/** The revision as ECS describes it, or undefined when ECS knows no such revision. */
async function describeRevision(ecs, ref) {
    try {
        const out = await ecs.send(new dist_cjs/* DescribeTaskDefinitionCommand */.Zy$({ taskDefinition: ref, include: ['TAGS'] }));
        const td = out.taskDefinition;
        if (!td?.taskDefinitionArn)
            return undefined;
        return {
            arn: td.taskDefinitionArn,
            family: td.family ?? familyOf(td.taskDefinitionArn),
            revision: td.revision ?? 0,
            status: td.status ?? 'ACTIVE',
            images: (td.containerDefinitions ?? []).map((c) => ({ container: c.name ?? '', image: c.image ?? '' })),
            tags: new Map((out.tags ?? []).map((t) => [t.key ?? '', t.value ?? ''])),
            registeredAt: td.registeredAt,
        };
    }
    catch (error) {
        if ((0,register_task_definition/* isClientException */.Vj)(error))
            return undefined;
        throw error;
    }
}
const CONCURRENCY = 5;
/** The family's revisions, newest first (ListTaskDefinitions DESC), described a few at a time. */
async function* familyRevisions(ecs, family, options) {
    let nextToken;
    let read = 0;
    do {
        const page = await ecs.send(new dist_cjs/* ListTaskDefinitionsCommand */.Pse({ familyPrefix: family, status: options.status ?? 'ACTIVE', sort: 'DESC', maxResults: 100, ...(nextToken ? { nextToken } : {}) }));
        nextToken = page.nextToken;
        // familyPrefix is a prefix: `pay` also lists `payments`.
        const arns = (page.taskDefinitionArns ?? []).filter((arn) => familyOf(arn) === family);
        for (let i = 0; i < arns.length; i += CONCURRENCY) {
            const batch = arns.slice(i, Math.min(i + CONCURRENCY, i + options.limit - read));
            if (batch.length === 0)
                return;
            const described = await Promise.all(batch.map((arn) => describeRevision(ecs, arn)));
            for (const revision of described) {
                if (!revision)
                    continue;
                read++;
                yield revision;
            }
            if (read >= options.limit)
                return;
        }
    } while (nextToken);
}

// EXTERNAL MODULE: ./shared/ecs/task-definition-source.ts
var task_definition_source = __webpack_require__(7639);
;// CONCATENATED MODULE: ./shared/rollback/known-good-deployment.ts
function deploymentVerdict(states) {
    const latest = states.find((s) => s !== 'inactive');
    if (latest === 'success')
        return 'succeeded';
    if (latest === 'failure' || latest === 'error')
        return 'failed';
    return 'unfinished';
}
const str = (v) => (typeof v === 'string' && v !== '' ? v : undefined);
/** A service or cluster as a name: ARNs and names of the same resource compare equal. */
const lastSegment = (v) => v.slice(v.lastIndexOf('/') + 1);
/** Whether the deployment was about this service (an environment may hold several). */
function concernsService(entry, cluster, service) {
    const p = entry.payload;
    const s = str(p.service);
    const c = str(p.cluster);
    if (!s)
        return false;
    return lastSegment(s) === lastSegment(service) && (!c || lastSegment(c) === lastSegment(cluster));
}
function deploymentRelease(entry) {
    const p = entry.payload;
    const kind = p.kind === 'rollback' ? 'rollback' : 'deploy';
    return {
        id: entry.id,
        sha: entry.sha,
        createdAt: entry.createdAt,
        kind,
        taskDefinitionArn: str(p.taskDefinitionArn),
        rolledBackFrom: kind === 'rollback' ? (str(p.from) ?? str(p.previousTaskDefinitionArn)) : undefined,
        verdict: deploymentVerdict(entry.states),
        states: [...entry.states],
    };
}
/**
 * `releases` newest first, already narrowed to the service. `requireCurrent`: only deployments
 * older than the current release are candidates; without it (the running revision has no
 * record, e.g. it was deployed by hand) every deployment is.
 */
function pickKnownGoodDeployment(releases, currentArn, requireCurrent) {
    const bad = new Map();
    const skipped = [];
    let current;
    let passedCurrent = !requireCurrent;
    for (const r of releases) {
        if (r.rolledBackFrom && !bad.has(r.rolledBackFrom))
            bad.set(r.rolledBackFrom, `rolled back from by deployment #${r.id}`);
        const arn = r.taskDefinitionArn;
        if (!passedCurrent) {
            if (arn === currentArn && r.verdict === 'succeeded') {
                passedCurrent = true;
                current = r;
            }
            else if (arn && r.verdict === 'failed' && !bad.has(arn)) {
                bad.set(arn, `its deploy #${r.id} failed`);
            }
            continue;
        }
        if (!arn) {
            skipped.push({ release: r, why: 'no taskDefinitionArn in its payload' });
            continue;
        }
        if (arn === currentArn) {
            skipped.push({ release: r, why: 'the revision now running' });
            continue;
        }
        const badWhy = bad.get(arn);
        if (badWhy) {
            skipped.push({ release: r, why: badWhy });
            continue;
        }
        if (r.verdict === 'failed') {
            bad.set(arn, `its deploy #${r.id} failed`);
            skipped.push({ release: r, why: `the deploy failed (${r.states[0] ?? '?'})` });
            continue;
        }
        if (r.verdict !== 'succeeded') {
            skipped.push({ release: r, why: `never reported success (${r.states.join(' ← ') || 'no status'})` });
            continue;
        }
        return { target: r, current, skipped };
    }
    return { target: undefined, current, skipped };
}

// EXTERNAL MODULE: ./shared/rollback/known-good-revision.ts
var known_good_revision = __webpack_require__(816);
// EXTERNAL MODULE: ./shared/rollback/revision-match.ts
var revision_match = __webpack_require__(2066);
// EXTERNAL MODULE: ./shared/ecs/require-service.ts
var require_service = __webpack_require__(5717);
;// CONCATENATED MODULE: ./shared/rollback/pick-rollback-target.ts
/**
 * pickRollbackTarget: which revision a rollback goes to, from which record, and why every
 * closer candidate was passed over — or a refusal that says what was searched. Nothing here
 * changes anything: it reads the service, the family's revisions and (with a token) the GitHub
 * deployments of the environment.
 *
 *   `previous`  the GitHub deployments first (source `github-deployments`), then the ECS revision
 *               tags (source `ecs-tags`) when there is no token, GitHub cannot be read, or it
 *               holds no usable record.
 *   explicit    a revision number, ARN, `family:revision`, git SHA or image tag (source `explicit`).
 *
 * Refuses (UserError) a target that is INACTIVE, of another family, or already running.
 */









async function pickRollbackTarget(request, deps) {
    const { ecs, logger } = deps;
    const limit = request.searchLimit ?? DEFAULT_HISTORY_LIMIT;
    const service = await (0,require_service/* requireService */.r)(ecs, request.cluster, request.service);
    const currentArn = (0,assess_rollout/* primaryDeployment */.sg)(service)?.taskDefinition ?? service.taskDefinition;
    if (!currentArn)
        throw new errors/* UserError */.yo(`${request.cluster}/${request.service} runs no task definition; there is nothing to roll back from.`);
    const current = await describeRevision(ecs, currentArn);
    if (!current)
        throw new errors/* UserError */.yo(`ECS does not describe ${(0,task_definition_source.revisionName)(currentArn)}, the revision ${request.service} runs; cannot tell its family.`);
    logger.info(`${request.cluster}/${request.service} runs ${(0,task_definition_source.revisionName)(current.arn)} (${imagesText(current)}).`);
    const picked = request.to.kind === 'previous' ? await pickPrevious(request, current, limit, deps) : await pickExplicit(request, current, limit, deps);
    const target = validateTarget(picked.target, current, request);
    const outcome = target.tags.get(known_good_revision/* OUTCOME_TAG */.c);
    if (picked.source === 'explicit' && outcome !== undefined && outcome !== 'succeeded') {
        logger.warning(`${(0,task_definition_source.revisionName)(target.arn)} was named in 'to', but its last deploy is recorded as ${outcome} (${known_good_revision/* OUTCOME_TAG */.c}); rolling back to it as asked.`);
    }
    return { ...picked, current, target };
}
/** The refusals that hold whichever way the target was found. */
function validateTarget(target, current, request) {
    const name = (0,task_definition_source.revisionName)(target.arn);
    if (target.status !== 'ACTIVE') {
        throw new errors/* UserError */.yo(`Refusing to roll back ${request.service} to ${name}: it is ${target.status} (deregistered), and ECS starts no new tasks from a deregistered revision. Register its task definition again, or name another target in 'to'.`);
    }
    if (target.family !== current.family) {
        throw new errors/* UserError */.yo(`Refusing to roll back ${request.service} to ${name}: it belongs to family '${target.family}', but the service runs family '${current.family}' (${(0,task_definition_source.revisionName)(current.arn)}). A rollback returns to an earlier revision of the same family; deploy another family with ecs-rolling-deploy.`);
    }
    if (target.arn === current.arn) {
        throw new errors/* UserError */.yo(`Refusing to roll back ${request.service} to ${name}: the service already runs it. Nothing to do; name another target in 'to'.`);
    }
    return target;
}
async function pickPrevious(request, current, limit, deps) {
    const { logger, ecs } = deps;
    const searched = [];
    const skipped = [];
    if (request.github) {
        const gh = request.github;
        try {
            const found = await logger.group(`GitHub deployments of environment '${gh.environment}'`, () => previousFromDeployments(request, current, limit, deps));
            searched.push(found.searched);
            skipped.push(...found.skipped);
            if (found.target) {
                const target = await describeRevision(ecs, found.target.taskDefinitionArn);
                if (!target) {
                    throw new errors/* UserError */.yo(`The last known-good release, ${(0,task_definition_source.revisionName)(found.target.taskDefinitionArn)} (GitHub deployment #${found.target.id}), is unknown to ECS (deleted?). Name another target in 'to'.`);
                }
                return {
                    target,
                    source: 'github-deployments',
                    chosenFrom: `GitHub deployment #${found.target.id} of '${gh.environment}' (${found.target.states.join(' ← ')}, ${found.target.createdAt}, commit ${found.target.sha.slice(0, 12)})`,
                    deployment: found.target,
                    skipped,
                };
            }
            logger.info(`No usable GitHub deployment; falling back to the ECS revision tags.`);
        }
        catch (error) {
            if (error instanceof errors/* UserError */.yo)
                throw error;
            logger.warning(`Could not read the GitHub deployments of '${gh.environment}' (${(0,errors/* errorMessage */.gJ)(error)}); falling back to the ECS revision tags (${known_good_revision/* OUTCOME_TAG */.c}).`);
            searched.push(`GitHub deployments of '${gh.environment}' (unreadable: ${(0,errors/* errorMessage */.gJ)(error)})`);
        }
    }
    else {
        searched.push('no GitHub deployments (no github-token)');
    }
    const fromTags = await logger.group(`ECS revision tags of family '${current.family}'`, async () => {
        let read = 0;
        for await (const revision of familyRevisions(ecs, current.family, { limit })) {
            read++;
            const judged = (0,known_good_revision/* judgeRevision */.f)(revision, current.revision);
            if (judged.verdict === 'candidate') {
                logger.info(`  ${(0,task_definition_source.revisionName)(revision.arn)}: ${known_good_revision/* OUTCOME_TAG */.c}=succeeded → the target.`);
                return { target: revision, read };
            }
            if (judged.verdict === 'skip') {
                logger.info(`  ${(0,task_definition_source.revisionName)(revision.arn)}: skipped, ${judged.why}.`);
                skipped.push(`${(0,task_definition_source.revisionName)(revision.arn)}: ${judged.why}`);
            }
        }
        return { target: undefined, read };
    });
    searched.push(`the ${fromTags.read} newest ACTIVE revision${fromTags.read === 1 ? '' : 's'} of family '${current.family}' (ECS tag ${known_good_revision/* OUTCOME_TAG */.c}=succeeded, older than revision ${current.revision})`);
    if (fromTags.target) {
        return {
            target: fromTags.target,
            source: 'ecs-tags',
            chosenFrom: `ECS tags of ${(0,task_definition_source.revisionName)(fromTags.target.arn)} (${known_good_revision/* OUTCOME_TAG */.c}=succeeded${fromTags.target.tags.get(`commit-to-prod:sha`) ? `, commit ${fromTags.target.tags.get('commit-to-prod:sha').slice(0, 12)}` : ''})`,
            skipped,
        };
    }
    throw new errors/* UserError */.yo(`No known-good release of ${request.service} before ${(0,task_definition_source.revisionName)(current.arn)} to roll back to. Searched: ${searched.join('; ')}.${skipped.length ? ` Passed over: ${skipped.join('; ')}.` : ''} Name a target in 'to' (a revision number, an ARN, a git SHA or an image tag).`);
}
async function previousFromDeployments(request, current, limit, deps) {
    const gh = request.github;
    const releases = [];
    let total = 0;
    const describe = (r) => `#${r.id} ${(0,task_definition_source.revisionName)(r.taskDefinitionArn)}${r.kind === 'rollback' ? ' (rollback)' : ''}`;
    const done = (pick) => {
        for (const s of pick.skipped)
            deps.logger.info(`  ${describe(s.release)}: skipped, ${s.why}.`);
        if (pick.target)
            deps.logger.info(`  ${describe(pick.target)}: ${pick.target.states.join(' ← ')} → the target.`);
        return {
            target: pick.target,
            searched: `${releases.length} GitHub deployment${releases.length === 1 ? '' : 's'} of ${request.service} in environment '${gh.environment}'${total > releases.length ? ` (of ${total} read)` : ''}${pick.current ? `, current release #${pick.current.id}` : `, none of them releasing ${(0,task_definition_source.revisionName)(current.arn)}`}`,
            skipped: pick.skipped.map((s) => `GitHub deployment ${describe(s.release)}: ${s.why}`),
        };
    };
    for await (const entry of deploymentHistory({ ...gh, limit })) {
        total++;
        if (!concernsService(entry, request.cluster, request.service))
            continue;
        releases.push(deploymentRelease(entry));
        // Stop reading (one request per deployment) as soon as the answer is certain.
        const pick = pickKnownGoodDeployment(releases, current.arn, true);
        if (pick.target)
            return done(pick);
    }
    // The running revision has no record (deployed by other means): every deployment is older.
    const pick = pickKnownGoodDeployment(releases, current.arn, true);
    return done(pick.current ? pick : pickKnownGoodDeployment(releases, current.arn, false));
}
async function pickExplicit(request, current, limit, deps) {
    const { ecs, logger } = deps;
    const to = request.to;
    const named = (ref, what) => byReference(ecs, ref, what, request);
    switch (to.kind) {
        case 'previous':
            throw new Error('unreachable: previous is picked elsewhere');
        case 'revision':
            return named(`${current.family}:${to.revision}`, `revision ${to.revision} of '${current.family}'`);
        case 'arn':
            return named(to.arn, 'the ARN');
        case 'family-revision':
            if (to.family === current.family)
                return named(to.text, to.text);
            {
                // `name:tag` of an image is written the same way; a matching image wins over a refusal.
                const byImage = await search(ecs, current.family, limit, (r) => ((0,revision_match/* imageMatch */.Pu)(r, to.text) ? 'image' : undefined), logger);
                if (byImage.found)
                    return explicitImage(byImage.found, to.text);
                const other = await describeRevision(ecs, to.text);
                if (other)
                    return { target: other, source: 'explicit', chosenFrom: `'to: ${request.toText}'`, skipped: [] };
                throw new errors/* UserError */.yo(`Input 'to' has an invalid value ${JSON.stringify(request.toText)}: ECS knows no revision ${to.text}, and no image ${to.text} is recorded on the ${byImage.read} newest revisions of family '${current.family}'.`);
            }
        case 'commit-or-image':
        case 'image': {
            const value = to.value;
            const match = (r) => to.kind === 'commit-or-image' && (0,revision_match/* commitMatches */.de)(r, value) ? 'commit' : (0,revision_match/* imageMatch */.Pu)(r, value) ? 'image' : undefined;
            const active = await search(ecs, current.family, limit, match, logger, to.kind === 'commit-or-image');
            if (active.found) {
                if (active.found.how === 'commit') {
                    return {
                        target: active.found.revision,
                        source: 'explicit',
                        chosenFrom: `'to: ${request.toText}' = commit ${active.found.revision.tags.get('commit-to-prod:sha')} (tag commit-to-prod:sha of ${(0,task_definition_source.revisionName)(active.found.revision.arn)})`,
                        skipped: [],
                    };
                }
                return explicitImage(active.found, value);
            }
            // Said plainly rather than "not found" when the match exists but was deregistered.
            const inactive = await search(ecs, current.family, limit, match, logger, false, 'INACTIVE');
            if (inactive.found)
                return { target: inactive.found.revision, source: 'explicit', chosenFrom: `'to: ${request.toText}'`, skipped: [] };
            const what = to.kind === 'commit-or-image' ? `a git SHA (tag commit-to-prod:sha) or an image tag` : 'an image tag, reference or digest';
            throw new errors/* UserError */.yo(`Input 'to' has an invalid value ${JSON.stringify(request.toText)}: expected ${what} recorded on a revision of family '${current.family}', but none of its ${active.read} newest ACTIVE and ${inactive.read} INACTIVE revisions matches.`);
        }
    }
}
function explicitImage(found, value) {
    const m = (0,revision_match/* imageMatch */.Pu)(found.revision, value);
    return {
        target: found.revision,
        source: 'explicit',
        chosenFrom: `'to: ${value}' = image ${m.image} of container '${m.container}' on ${(0,task_definition_source.revisionName)(found.revision.arn)}`,
        skipped: [],
    };
}
async function byReference(ecs, ref, what, request) {
    const target = await describeRevision(ecs, ref);
    if (!target)
        throw new errors/* UserError */.yo(`Input 'to' has an invalid value ${JSON.stringify(request.toText)}: ECS knows no task definition ${(0,task_definition_source.revisionName)(ref)} (${what}).`);
    return { target, source: 'explicit', chosenFrom: `'to: ${request.toText}' (${what})`, skipped: [] };
}
/**
 * The newest revision `match` accepts. With `preferCommit`, a commit match anywhere in the
 * searched revisions beats a newer image match (an image tag that happens to be hex).
 */
async function search(ecs, family, limit, match, logger, preferCommit = false, status = 'ACTIVE') {
    let read = 0;
    let fallback;
    for await (const revision of familyRevisions(ecs, family, { limit, status })) {
        read++;
        const how = match(revision);
        if (!how)
            continue;
        if (!preferCommit || how === 'commit')
            return { found: { revision, how }, read };
        fallback ??= { revision, how };
    }
    if (fallback)
        logger.debug(`No commit matched; ${(0,task_definition_source.revisionName)(fallback.revision.arn)} matched as an image tag.`);
    return { found: fallback, read };
}
function imagesText(revision) {
    return revision.images.map((i) => `${i.container}=${i.image}`).join(', ') || 'no containers';
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


/***/ })

};
