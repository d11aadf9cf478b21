/**
 * pickRollbackTarget: which revision a rollback goes to, from which record, and why every
 * closer candidate was passed over — or a refusal that says what was searched. Nothing here
 * changes anything: it reads the service, the family's revisions and (with a token) the GitHub
 * deployments of the environment.
 *
 *   `previous`  the GitHub deployments first (source `github-deployments`), then the ECS revision
 *               tags (source `ecs-tags`) when there is no token, GitHub cannot be read, or it
 *               holds no usable record; then ECS's SUCCESSFUL service deployments (source
 *               `ecs-service-deployments`) for a service deployed by other tools.
 *   explicit    a revision number, ARN, `family:revision`, git SHA or image tag (source `explicit`).
 *
 * Refuses (UserError) a target that is INACTIVE, of another family, or already running.
 */
import { errorMessage, UserError } from '../core/errors.js';
import { deploymentHistory, DEFAULT_HISTORY_LIMIT, type DeploymentHistoryOptions } from '../github/deployment-history.js';
import type { Logger } from '../core/logger.js';
import { primaryDeployment } from '../ecs/assess-rollout.js';
import type { EcsSender } from '../ecs/raw-json.js';
import { describeRevision, familyRevisions, type RevisionRecord } from '../ecs/revision-history.js';
import { revisionName } from '../ecs/task-definition-source.js';
import { deploymentRelease, pickKnownGoodDeployment, type DeploymentRelease } from './known-good-deployment.js';
import { concernsService } from '../release/resume-record.js';
import { TAG } from '../release/schema.js';
import { judgeRevision } from './known-good-revision.js';
import { trustedEntry } from './trusted-record.js';
import { ACTIONS_BOT_LOGIN } from '../github/identity.js';
import { commitMatches, imageMatch } from './revision-match.js';
import { TO_HINT, type RollbackTargetInput } from './target-input.js';
import { requireService } from '../ecs/require-service.js';
import { previousFromServiceDeployments } from './known-good-service-deployment.js';

export type RollbackSource = 'github-deployments' | 'ecs-tags' | 'ecs-service-deployments' | 'explicit';

export interface PickRollbackTargetRequest {
  cluster: string;
  service: string;
  to: RollbackTargetInput;
  /** The `to` input as written, for messages. */
  toText: string;
  /**
   * Where to read GitHub deployments, and whose records to trust (default: the Actions bot, which
   * writes for the workflow's `github.token`); absent without a token.
   */
  github?: (Omit<DeploymentHistoryOptions, 'limit'> & { identity?: string | undefined }) | undefined;
  /** Deployments / revisions read at most per search. */
  searchLimit?: number;
}

export interface RollbackTarget {
  current: RevisionRecord;
  target: RevisionRecord;
  source: RollbackSource;
  /** The record the target was chosen from, in words. */
  chosenFrom: string;
  /** The GitHub deployment it was chosen from (source github-deployments). */
  deployment?: DeploymentRelease | undefined;
  /** Closer candidates passed over, with why (for `previous`). */
  skipped: string[];
}

export interface PickDeps {
  ecs: EcsSender;
  logger: Logger;
}

export async function pickRollbackTarget(request: PickRollbackTargetRequest, deps: PickDeps): Promise<RollbackTarget> {
  const { ecs, logger } = deps;
  const limit = request.searchLimit ?? DEFAULT_HISTORY_LIMIT;
  const service = await requireService(ecs, request.cluster, request.service);
  // The service's own taskDefinition is what it runs; ECS keeps the PRIMARY deployment's equal to it.
  const primaryArn = primaryDeployment(service)?.taskDefinition;
  const currentArn = service.taskDefinition ?? primaryArn;
  if (primaryArn && currentArn && primaryArn !== currentArn) {
    logger.warning(
      `${request.cluster}/${request.service}'s task definition (${revisionName(currentArn)}) is not its PRIMARY deployment's (${revisionName(primaryArn)}); taking the service's.`,
    );
  }
  if (!currentArn) throw new UserError(`${request.cluster}/${request.service} runs no task definition; there is nothing to roll back from.`);
  const current = await describeRevision(ecs, currentArn);
  if (!current) throw new UserError(`ECS does not describe ${revisionName(currentArn)}, the revision ${request.service} runs; cannot tell its family.`);
  logger.info(`${request.cluster}/${request.service} runs ${revisionName(current.arn)} (${imagesText(current)}).`);

  const picked = request.to.kind === 'previous' ? await pickPrevious(request, current, limit, deps) : await pickExplicit(request, current, limit, deps);
  const target = validateTarget(picked.target, current, request);
  const outcome = target.tags.get(TAG.outcome);
  if (picked.source === 'explicit' && outcome !== undefined && outcome !== 'succeeded') {
    logger.warning(
      `${revisionName(target.arn)} was named in 'to', but its last deploy is recorded as ${outcome} (${TAG.outcome}); rolling back to it as asked.`,
    );
  }
  return { ...picked, current, target };
}

/** The refusals that hold whichever way the target was found. */
function validateTarget(target: RevisionRecord, current: RevisionRecord, request: PickRollbackTargetRequest): RevisionRecord {
  const name = revisionName(target.arn);
  if (target.status !== 'ACTIVE') {
    throw new UserError(
      `Refusing to roll back ${request.service} to ${name}: it is ${target.status} (deregistered), and ECS starts no new tasks from a deregistered revision. Register its task definition again, or name another target in 'to'.`,
    );
  }
  if (target.family !== current.family) {
    throw new UserError(
      `Refusing to roll back ${request.service} to ${name}: it belongs to family '${target.family}', but the service runs family '${current.family}' (${revisionName(current.arn)}). A rollback returns to an earlier revision of the same family; deploy another family with ecs-rolling-deploy.`,
    );
  }
  if (target.arn === current.arn) {
    throw new UserError(`Refusing to roll back ${request.service} to ${name}: the service already runs it. Nothing to do; name another target in 'to'.`);
  }
  return target;
}

type Picked = Omit<RollbackTarget, 'current'>;

async function pickPrevious(request: PickRollbackTargetRequest, current: RevisionRecord, limit: number, deps: PickDeps): Promise<Picked> {
  const { logger, ecs } = deps;
  const searched: string[] = [];
  const skipped: string[] = [];
  // Whether this action's history holds any record of the service: if so, it alone judges.
  let recorded = current.tags.has(TAG.outcome);

  if (request.github) {
    const gh = request.github;
    try {
      const found = await logger.group(`GitHub deployments of environment '${gh.environment}'`, () => previousFromDeployments(request, current, limit, deps));
      searched.push(found.searched);
      skipped.push(...found.skipped);
      if (found.releases > 0) recorded = true;
      if (found.target) {
        // Described already when its ECS tags were checked.
        const target = found.targetRevision ?? (await describeRevision(ecs, found.target.taskDefinitionArn!));
        if (!target) {
          throw new UserError(
            `The last known-good release, ${revisionName(found.target.taskDefinitionArn)} (GitHub deployment #${found.target.id}), is unknown to ECS (deleted?). Name another target in 'to'.`,
          );
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
    } catch (error) {
      if (error instanceof UserError) throw error;
      logger.warning(
        `Could not read the GitHub deployments of '${gh.environment}' (${errorMessage(error)}); falling back to the ECS revision tags (${TAG.outcome}).`,
      );
      searched.push(`GitHub deployments of '${gh.environment}' (unreadable: ${errorMessage(error)})`);
    }
  } else {
    searched.push('no GitHub deployments (no github-token)');
  }

  const fromTags = await logger.group(`ECS revision tags of family '${current.family}'`, async () => {
    let read = 0;
    for await (const revision of familyRevisions(ecs, current.family, { limit })) {
      read++;
      if (revision.tags.has(TAG.outcome)) recorded = true;
      const judged = judgeRevision(revision, current.revision);
      if (judged.verdict === 'candidate') {
        logger.info(`  ${revisionName(revision.arn)}: ${TAG.outcome}=succeeded → the target.`);
        return { target: revision, read };
      }
      if (judged.verdict === 'skip') {
        logger.info(`  ${revisionName(revision.arn)}: skipped, ${judged.why}.`);
        skipped.push(`${revisionName(revision.arn)}: ${judged.why}`);
      }
    }
    return { target: undefined, read };
  });
  searched.push(
    `the ${fromTags.read} newest ACTIVE revision${fromTags.read === 1 ? '' : 's'} of family '${current.family}' (ECS tag ${TAG.outcome}=succeeded, older than revision ${current.revision})`,
  );
  if (fromTags.target) {
    return {
      target: fromTags.target,
      source: 'ecs-tags',
      chosenFrom: `ECS tags of ${revisionName(fromTags.target.arn)} (${TAG.outcome}=succeeded${fromTags.target.tags.get(TAG.sha) ? `, commit ${fromTags.target.tags.get(TAG.sha)!.slice(0, 12)}` : ''})`,
      skipped,
    };
  }
  // Deployed by other tools (no record of ours at all): ECS's own record of SUCCESSFUL service
  // deployments. Never over a record of ours that says a release failed or was rolled back.
  const fromEcs = recorded
    ? { target: undefined, read: 0 }
    : await logger.group(`ECS service deployments of ${request.service} (SUCCESSFUL)`, () =>
        previousFromServiceDeployments(ecs, request.cluster, request.service, current.arn).catch((error: unknown) => {
          logger.warning(`Could not read the service deployments of ${request.service}: ${errorMessage(error)}`);
          return { target: undefined, read: 0 };
        }),
      );
  if (!recorded) searched.push(`${fromEcs.read} SUCCESSFUL service deployment${fromEcs.read === 1 ? '' : 's'} of ${request.service} (ListServiceDeployments)`);
  if (fromEcs.target) {
    const target = await describeRevision(ecs, fromEcs.target.taskDefinitionArn);
    if (target) {
      logger.info(`  ${fromEcs.target.serviceDeploymentArn}: SUCCESSFUL with ${revisionName(target.arn)} → the target.`);
      return {
        target,
        source: 'ecs-service-deployments',
        chosenFrom: `ECS service deployment ${fromEcs.target.serviceDeploymentArn} (SUCCESSFUL${fromEcs.target.finishedAt ? `, finished ${fromEcs.target.finishedAt.toISOString()}` : ''})`,
        skipped,
      };
    }
  }
  throw new UserError(
    `No known-good release of ${request.service} before ${revisionName(current.arn)} to roll back to. Searched: ${searched.join('; ')}.${skipped.length ? ` Passed over: ${skipped.join('; ')}.` : ''} Name a target in 'to' (a revision number, an ARN, a git SHA or an image tag).`,
  );
}

async function previousFromDeployments(
  request: PickRollbackTargetRequest,
  current: RevisionRecord,
  limit: number,
  deps: PickDeps,
): Promise<{ target: DeploymentRelease | undefined; targetRevision?: RevisionRecord | undefined; searched: string; skipped: string[]; releases: number }> {
  const gh = request.github!;
  const releases: DeploymentRelease[] = [];
  let total = 0;
  const describe = (r: DeploymentRelease) => `#${r.id} ${revisionName(r.taskDefinitionArn)}${r.kind === 'rollback' ? ' (rollback)' : ''}`;
  const done = (pick: ReturnType<typeof pickKnownGoodDeployment>) => {
    for (const s of pick.skipped) deps.logger.info(`  ${describe(s.release)}: skipped, ${s.why}.`);
    if (pick.target) deps.logger.info(`  ${describe(pick.target)}: ${pick.target.states.join(' ← ')} → the target.`);
    return {
      target: pick.target,
      releases: releases.length,
      searched: `${releases.length} GitHub deployment${releases.length === 1 ? '' : 's'} of ${request.service} in environment '${gh.environment}'${total > releases.length ? ` (of ${total} read)` : ''}${pick.current ? `, current release #${pick.current.id}` : `, none of them releasing ${revisionName(current.arn)}`}`,
      skipped: pick.skipped.map((s) => `GitHub deployment ${describe(s.release)}: ${s.why}`),
    };
  };
  const distrusted: string[] = [];
  const distrust = (r: DeploymentRelease, why: string) => {
    deps.logger.info(`  ${describe(r)}: not trusted, ${why}.`);
    distrusted.push(`GitHub deployment ${describe(r)}: not trusted, ${why}`);
  };
  // A pick stands only when ECS's own record of the revision agrees; one that does not is taken
  // out of the history and the search goes on.
  const described = new Map<string, RevisionRecord | undefined>();
  const agreed = async (pick: ReturnType<typeof pickKnownGoodDeployment>) => {
    while (pick.target) {
      const arn = pick.target.taskDefinitionArn!;
      if (!described.has(arn)) described.set(arn, await describeRevision(deps.ecs, arn));
      const disagreement = tagsDisagree(pick.target, described.get(arn));
      if (!disagreement) return pick;
      distrust(pick.target, disagreement);
      releases.splice(releases.indexOf(pick.target), 1);
      pick = pickKnownGoodDeployment(releases, current.arn, pick.current !== undefined);
    }
    return pick;
  };
  const withDistrusted = (found: ReturnType<typeof done>) => ({
    ...found,
    targetRevision: found.target && described.get(found.target.taskDefinitionArn!),
    skipped: [...distrusted, ...found.skipped],
  });
  for await (const entry of deploymentHistory({ ...gh, limit })) {
    total++;
    if (!concernsService(entry, request.cluster, request.service)) continue;
    const trusted = trustedEntry(entry, gh.identity ?? ACTIONS_BOT_LOGIN);
    if ('why' in trusted) {
      distrust(deploymentRelease(entry), trusted.why);
      continue;
    }
    releases.push(deploymentRelease(trusted.entry));
    // Stop reading (one request per deployment) as soon as the answer is certain.
    const pick = await agreed(pickKnownGoodDeployment(releases, current.arn, true));
    if (pick.target) return withDistrusted(done(pick));
  }
  // The running revision has no record (deployed by other means): every deployment is older.
  const pick = pickKnownGoodDeployment(releases, current.arn, true);
  return withDistrusted(done(pick.current ? pick : await agreed(pickKnownGoodDeployment(releases, current.arn, false))));
}

/**
 * Why a GitHub deployment picked as known-good is not believed: the revision's ECS tags, which
 * only the pipeline's AWS role can write, must record a success, and the same commit.
 */
function tagsDisagree(release: DeploymentRelease, revision: RevisionRecord | undefined): string | undefined {
  if (!revision) return undefined; // pickPrevious says plainly that ECS does not know it.
  const outcome = revision.tags.get(TAG.outcome);
  if (outcome !== 'succeeded')
    return `the revision's ECS tags record ${outcome === undefined ? `no ${TAG.outcome}` : `${TAG.outcome}=${outcome}`}, not a success`;
  const sha = revision.tags.get(TAG.sha);
  if (sha !== undefined && sha !== release.sha)
    return `the revision's ECS tags record commit ${sha.slice(0, 12)}, the deployment commit ${release.sha.slice(0, 12)}`;
  return undefined;
}

async function pickExplicit(request: PickRollbackTargetRequest, current: RevisionRecord, limit: number, deps: PickDeps): Promise<Picked> {
  const { ecs, logger } = deps;
  const to = request.to;
  const named = (ref: string, what: string): Promise<Picked> => byReference(ecs, ref, what, request);
  switch (to.kind) {
    case 'previous':
      throw new Error('unreachable: previous is picked elsewhere');
    case 'revision':
      return named(`${current.family}:${to.revision}`, `revision ${to.revision} of '${current.family}'`);
    case 'arn':
      return named(to.arn, 'the ARN');
    case 'family-revision':
      if (to.family === current.family) return named(to.text, to.text);
      {
        // `name:tag` of an image is written the same way; a matching image wins over a refusal.
        const byImage = await search(ecs, current.family, limit, (r) => (imageMatch(r, to.text) ? 'image' : undefined), logger);
        if (byImage.found) return explicitImage(byImage.found, to.text);
        const other = await describeRevision(ecs, to.text);
        if (other) return { target: other, source: 'explicit', chosenFrom: `'to: ${request.toText}'`, skipped: [] };
        throw new UserError(
          `Input 'to' has an invalid value ${JSON.stringify(request.toText)}: ECS knows no revision ${to.text}, and no image ${to.text} is recorded on the ${byImage.read} newest revisions of family '${current.family}'.`,
          { hint: TO_HINT },
        );
      }
    case 'commit-or-image':
    case 'image': {
      const value = to.value;
      const match = (r: RevisionRecord): 'commit' | 'image' | undefined =>
        to.kind === 'commit-or-image' && commitMatches(r, value) ? 'commit' : imageMatch(r, value) ? 'image' : undefined;
      const active = await search(ecs, current.family, limit, match, logger, to.kind === 'commit-or-image');
      if (active.found) {
        if (active.found.how === 'commit') {
          return {
            target: active.found.revision,
            source: 'explicit',
            chosenFrom: `'to: ${request.toText}' = commit ${active.found.revision.tags.get('commit-to-prod:sha')} (tag commit-to-prod:sha of ${revisionName(active.found.revision.arn)})`,
            skipped: [],
          };
        }
        return explicitImage(active.found, value);
      }
      // Said plainly rather than "not found" when the match exists but was deregistered.
      const inactive = await search(ecs, current.family, limit, match, logger, false, 'INACTIVE');
      if (inactive.found) return { target: inactive.found.revision, source: 'explicit', chosenFrom: `'to: ${request.toText}'`, skipped: [] };
      const what = to.kind === 'commit-or-image' ? `a git SHA (tag commit-to-prod:sha) or an image tag` : 'an image tag, reference or digest';
      throw new UserError(
        `Input 'to' has an invalid value ${JSON.stringify(request.toText)}: expected ${what} recorded on a revision of family '${current.family}', but none of its ${active.read} newest ACTIVE and ${inactive.read} INACTIVE revisions matches.`,
      );
    }
  }
}

function explicitImage(found: { revision: RevisionRecord; how: string }, value: string): Picked {
  const m = imageMatch(found.revision, value)!;
  return {
    target: found.revision,
    source: 'explicit',
    chosenFrom: `'to: ${value}' = image ${m.image} of container '${m.container}' on ${revisionName(found.revision.arn)}`,
    skipped: [],
  };
}

async function byReference(ecs: EcsSender, ref: string, what: string, request: PickRollbackTargetRequest): Promise<Picked> {
  const target = await describeRevision(ecs, ref);
  if (!target)
    throw new UserError(`Input 'to' has an invalid value ${JSON.stringify(request.toText)}: ECS knows no task definition ${revisionName(ref)} (${what}).`, {
      hint: TO_HINT,
    });
  return { target, source: 'explicit', chosenFrom: `'to: ${request.toText}' (${what})`, skipped: [] };
}

/**
 * The newest revision `match` accepts. With `preferCommit`, a commit match anywhere in the
 * searched revisions beats a newer image match (an image tag that happens to be hex).
 */
async function search<K extends string>(
  ecs: EcsSender,
  family: string,
  limit: number,
  match: (r: RevisionRecord) => K | undefined,
  logger: Logger,
  preferCommit = false,
  status: 'ACTIVE' | 'INACTIVE' = 'ACTIVE',
): Promise<{ found: { revision: RevisionRecord; how: K } | undefined; read: number }> {
  let read = 0;
  let fallback: { revision: RevisionRecord; how: K } | undefined;
  for await (const revision of familyRevisions(ecs, family, { limit, status })) {
    read++;
    const how = match(revision);
    if (!how) continue;
    if (!preferCommit || how === 'commit') return { found: { revision, how }, read };
    fallback ??= { revision, how };
  }
  if (fallback) logger.debug(`No commit matched; ${revisionName(fallback.revision.arn)} matched as an image tag.`);
  return { found: fallback, read };
}

export function imagesText(revision: RevisionRecord): string {
  return revision.images.map((i) => `${i.container}=${i.image}`).join(', ') || 'no containers';
}
