/**
 * The record of a deploy that paused at its verification gate, carried to its end by the step
 * that resumes it (`resume`). The deploy step leaves the record `in_progress`
 * with a description naming the stage, the hook and how to resume; the resume step finds the
 * record again and gives it the status the deploy path gives the same outcome: `success` once
 * the service deployment is SUCCESSFUL (it then counts as the good release for `rollback to:
 * previous`), `failure` for a rollback (asked for, or ECS's own), `error` for a cancellation.
 *
 * Finding the record: by its id when the deploy step's `github-deployment-id` output is passed;
 * otherwise among the environment's newest deployments, the newest one about this service whose
 * payload names the task definition the service deployment rolls out and that has not finished
 * (its newest status other than inactive is in_progress, queued or pending). A deployment is
 * created before the service is updated, so its payload cannot carry the service deployment's
 * ARN; the revision is what ties the two. A record the id names that is about another service or
 * revision is refused before anything is sent; GitHub being unreadable is a warning, never a
 * reason not to resume.
 */
import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import { errorMessage, UserError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { deploymentHistory } from '../github/deployment-history.js';
import { existingDeploymentRecord, openDeploymentRecord, type DeploymentRecord } from '../github/deployments.js';
import type { ReleaseEnding, ReleaseGitHub } from './record.js';
import { revisionLabel as revisionName } from './revision-tags.js';
import { PAYLOAD } from './schema.js';

export type ResumeAction = 'continue' | 'rollback';

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
/** A service or cluster as a name: ARNs and names of the same resource compare equal. */
const lastSegment = (v: string) => v.slice(v.lastIndexOf('/') + 1);

/** Whether a deployment record is about this service (an environment may hold several). */
export function concernsService(entry: { payload: Record<string, unknown> }, cluster: string, service: string): boolean {
  const p = entry.payload;
  const s = str(p[PAYLOAD.service]);
  const c = str(p[PAYLOAD.cluster]);
  if (!s) return false;
  return lastSegment(s) === lastSegment(service) && (!c || lastSegment(c) === lastSegment(cluster));
}

/** The paused deploy's in_progress description (GitHub keeps 140 characters; the most useful first). */
export function pausedDescription(taskDefinitionArn: string, stage: string, hookId: string, timeoutInMinutes: number | undefined): string {
  const timeout = timeoutInMinutes === undefined ? '' : `; ECS rolls back after ${timeoutInMinutes}m`;
  return `Paused at ${stage}, hook ${hookId}: verify ${revisionName(taskDefinitionArn)}, then resume: continue or rollback${timeout}`;
}

export interface ResumeRecordRequest {
  cluster: string;
  service: string;
  serviceDeploymentArn: string;
  /** The deploy step's `github-deployment-id`; undefined: look the record up. */
  id: number | undefined;
  /** `environment` undefined: the record's own (by id) or the service name (lookup). */
  github: ReleaseGitHub;
}

export interface ResumeRecord {
  record: DeploymentRecord;
  /** The environment its statuses go to. */
  environment: string;
  taskDefinitionArn: string;
  /** How it was found, for the log. */
  how: string;
}

/** Deployments read at most when looking the record up (one statuses request each). */
const LOOKUP_LIMIT = 30;
const UNFINISHED: readonly string[] = ['in_progress', 'queued', 'pending'];

/**
 * The paused deploy's record, before anything is sent to ECS. Throws UserError when the id names
 * no deployment or one about another service or revision; undefined (with a warning) when none is
 * found or GitHub cannot be read.
 */
export async function findResumeRecord(request: ResumeRecordRequest, taskDefinitionArn: string | undefined, logger: Logger): Promise<ResumeRecord | undefined> {
  const { cluster, service, github } = request;
  if (!taskDefinitionArn) {
    logger.warning(`ECS does not say which revision ${request.serviceDeploymentArn} rolls out; its GitHub deployment record is left as it is.`);
    return undefined;
  }
  const rev = revisionName(taskDefinitionArn);
  if (request.id !== undefined) {
    const id = request.id;
    const found = await existingDeploymentRecord({ ...github }, id, logger).catch((error: unknown) => {
      logger.warning(`Could not read GitHub deployment ${id} (${errorMessage(error)}); resuming without updating it.`);
      return null;
    });
    if (found === null) return undefined;
    if (!found) {
      throw new UserError(`github-deployment-id: ${github.repository} has no GitHub deployment ${id}; nothing was resumed.`, {
        hint: "Pass the paused deploy step's github-deployment-id output, or leave it empty to look the record up by the revision.",
      });
    }
    const recorded = str(found.payload[PAYLOAD.revision]);
    if (!concernsService(found, cluster, service) || recorded !== taskDefinitionArn) {
      const what = `${revisionName(recorded) || 'no revision'} to ${str(found.payload[PAYLOAD.cluster]) ?? '?'}/${str(found.payload[PAYLOAD.service]) ?? '?'}`;
      throw new UserError(
        `github-deployment-id: GitHub deployment ${id} records ${what}, but ${request.serviceDeploymentArn} rolls out ${rev} to ${cluster}/${service}; nothing was resumed.`,
        { hint: 'Pass the github-deployment-id output of the deploy step that paused this service deployment.' },
      );
    }
    if (github.environment !== undefined && github.environment !== found.environment) {
      throw new UserError(
        `github-environment: GitHub deployment ${id} is of environment '${found.environment}', not '${github.environment}'; nothing was resumed.`,
        { hint: 'Leave github-environment empty with github-deployment-id (the record keeps its own), or give the one the deploy step had.' },
      );
    }
    return {
      record: found.record,
      environment: github.environment ?? found.environment,
      taskDefinitionArn,
      how: `GitHub deployment ${id} (github-deployment-id)`,
    };
  }

  const environment = github.environment ?? lastSegment(service);
  let read = 0;
  try {
    for await (const entry of deploymentHistory({ ...github, environment, limit: LOOKUP_LIMIT })) {
      read++;
      if (!concernsService(entry, cluster, service) || str(entry.payload[PAYLOAD.revision]) !== taskDefinitionArn) continue;
      const latest = entry.states.find((s) => s !== 'inactive');
      if (latest === undefined || !UNFINISHED.includes(latest)) continue;
      const record = await openDeploymentRecord({ ...github, environment }, entry, logger);
      return {
        record,
        environment,
        taskDefinitionArn,
        how: `GitHub deployment ${entry.id} of '${environment}' (the newest unfinished one of ${rev} to ${cluster}/${service})`,
      };
    }
  } catch (error) {
    logger.warning(`Could not read the GitHub deployments of '${environment}' (${errorMessage(error)}); resuming without updating a record.`);
    return undefined;
  }
  logger.warning(
    `No unfinished GitHub deployment of ${rev} to ${cluster}/${service} among the ${read} newest of environment '${environment}'; no record is updated. Pass the deploy step's github-deployment-id output to name it.`,
  );
  return undefined;
}

/** How a resume ended, in the engine's words. */
export interface ResumeEnd {
  status: 'succeeded' | 'rolled-back' | 'failed' | 'cancelled';
  message: string;
  serviceDeployment: ServiceDeployment | undefined;
}

/**
 * The record's ending once the resume ended, in the deploy path's terms (rolled back: failure).
 * `neverOnGreen`: the gate was before production traffic moved (ecs/service-deployment.ts).
 */
export function resumedEnding(
  result: ResumeEnd,
  context: { action: ResumeAction; pausedAt: string | undefined; taskDefinitionArn: string; neverOnGreen: boolean; served: boolean },
): ReleaseEnding {
  const rev = revisionName(context.taskDefinitionArn);
  const at = context.pausedAt ?? 'the verification gate';
  const served = context.served ? 'yes' : 'no';
  const serviceDeploymentArn = result.serviceDeployment?.serviceDeploymentArn;
  switch (result.status) {
    case 'succeeded':
      return { outcome: 'succeeded', text: `Verified at ${at} and continued: ${rev} is SUCCESSFUL`, served: 'yes', serviceDeploymentArn };
    case 'rolled-back': {
      if (context.action === 'rollback') {
        const never = context.neverOnGreen ? `; production never saw ${rev}` : `; the previous revision serves all traffic again`;
        const text = `Rolled back at the verification gate (${at}) as asked${never}`;
        return { outcome: 'rolled-back', text, cause: 'gate-rollback', rolledBackBy: 'person', served, serviceDeploymentArn };
      }
      const why = result.serviceDeployment?.rollback?.reason ?? result.serviceDeployment?.statusReason ?? 'no reason given';
      const text = `Continued at ${at}, then rolled back by ECS: ${why}`;
      return { outcome: 'rolled-back', text, cause: 'ecs-rollback', rolledBackBy: 'ecs', served, serviceDeploymentArn };
    }
    case 'cancelled':
      return { outcome: 'cancelled', text: `Cancelled while resuming at ${at}: ${result.message}`, cause: 'cancelled', served, serviceDeploymentArn };
    case 'failed':
      return { outcome: 'failed', text: `Failed after resuming at ${at}: ${result.message}`, cause: 'timed-out', served, serviceDeploymentArn };
  }
}

/**
 * The record's ending when the resume was refused because the service deployment had already
 * ended (ECS rolled it back on the gate's timeout, or someone else answered the hook); undefined
 * while it is still in progress (the record stays as it is).
 */
export function endedBeforeResume(sd: ServiceDeployment, taskDefinitionArn: string): ReleaseEnding | undefined {
  const rev = revisionName(taskDefinitionArn);
  const serviceDeploymentArn = sd.serviceDeploymentArn;
  if (sd.status === 'SUCCESSFUL')
    return { outcome: 'succeeded', text: `${rev} is SUCCESSFUL (its gate was answered before this resume)`, served: 'yes', serviceDeploymentArn };
  if (sd.status === 'ROLLBACK_SUCCESSFUL' || sd.status === 'ROLLBACK_FAILED' || sd.status === 'STOPPED') {
    const why = sd.rollback?.reason ?? sd.statusReason;
    const outcome = sd.status === 'ROLLBACK_SUCCESSFUL' ? 'rolled-back' : 'failed';
    const text = `Rolled back before this resume (${sd.status}${why ? `: ${why}` : ''})`;
    return { outcome, text, cause: sd.status === 'STOPPED' ? 'ecs-stopped' : 'ecs-rollback', rolledBackBy: 'ecs', served: 'unknown', serviceDeploymentArn };
  }
  return undefined;
}
