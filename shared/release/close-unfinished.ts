/**
 * Closing records left unfinished by a run that died (a paused gate nobody answered, a cancelled
 * job, a runner that went away): the next release of the service reads its environment's newest
 * GitHub deployments and closes each one about this service that never got a closing status,
 * from what ECS says happened to its revision's newest service deployment:
 *
 *   SUCCESSFUL                       → success
 *   ROLLBACK_SUCCESSFUL, _FAILED     → failure
 *   STOPPED                          → error (not `inactive`: GitHub's inactive means "a later
 *                                      success replaced it", and readers skip inactive statuses,
 *                                      so the record would stay unfinished to them forever; the
 *                                      release did not complete, which is what error says)
 *   PENDING, IN_PROGRESS, ROLLBACK_/STOP_ in progress, none found → left alone
 *
 * The revision's tags are closed the same way. Reading or writing failing is a warning: closing
 * old records never fails a deploy.
 */
import { DescribeServiceRevisionsCommand, ListServiceDeploymentsCommand, type ServiceDeploymentBrief } from '@aws-sdk/client-ecs';
import type { Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { type DeploymentHistoryEntry, deploymentHistory } from '../github/deployment-history.js';
import { type DeploymentState, openDeploymentRecord } from '../github/deployments.js';
import { type ReleaseGitHub, tagRevision } from './record.js';
import { concernsService } from './resume-record.js';
import { type EcsTagSender, revisionLabel, tagsOf } from './revision-tags.js';
import { closingDescription, PAYLOAD, TAG, type ReleaseCause, type ReleaseOutcome } from './schema.js';

/** Deployments of the environment read (one statuses request each): a died run's record is among the newest. */
export const CLOSE_LOOKBACK = 10;
const UNFINISHED: readonly string[] = ['in_progress', 'queued', 'pending'];
/** Service deployments read (ListServiceDeployments pages of 20). */
const MAX_SERVICE_DEPLOYMENTS = 40;

export interface ClosedRecord {
  id: number;
  state: DeploymentState;
  description: string;
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** A record nobody closed: its newest status other than inactive is unfinished, or it has none. */
export function isUnfinished(entry: Pick<DeploymentHistoryEntry, 'states'>): boolean {
  const latest = entry.states.find((s) => s !== 'inactive');
  return latest === undefined ? entry.states.length === 0 : UNFINISHED.includes(latest);
}

/** What an ended service deployment means for the record; undefined while it has not ended. */
export function closingOf(
  brief: Pick<ServiceDeploymentBrief, 'status' | 'statusReason' | 'serviceDeploymentArn'>,
): { state: DeploymentState; outcome: ReleaseOutcome; cause: ReleaseCause | undefined; text: string } | undefined {
  const id = brief.serviceDeploymentArn?.split('/').pop() ?? '?';
  const text = `Closed by a later release: ECS says ${brief.status} (service deployment ${id}${brief.statusReason ? `: ${brief.statusReason}` : ''})`;
  switch (brief.status) {
    case 'SUCCESSFUL':
      return { state: 'success', outcome: 'succeeded', cause: undefined, text };
    case 'ROLLBACK_SUCCESSFUL':
      return { state: 'failure', outcome: 'rolled-back', cause: 'ecs-rollback', text };
    case 'ROLLBACK_FAILED':
      return { state: 'failure', outcome: 'failed', cause: 'ecs-rollback', text };
    case 'STOPPED':
      return { state: 'error', outcome: 'failed', cause: 'ecs-stopped', text };
    default:
      return undefined;
  }
}

export async function closeUnfinishedRecords(
  where: { cluster: string; service: string },
  github: ReleaseGitHub & { environment: string },
  deps: { ecs: EcsTagSender; logger: Logger; clock: Clock },
): Promise<ClosedRecord[]> {
  const { logger } = deps;
  const closed: ClosedRecord[] = [];
  try {
    const unfinished: DeploymentHistoryEntry[] = [];
    for await (const entry of deploymentHistory({ ...github, limit: CLOSE_LOOKBACK, logger })) {
      if (concernsService(entry, where.cluster, where.service) && str(entry.payload[PAYLOAD.revision]) && isUnfinished(entry)) unfinished.push(entry);
    }
    if (unfinished.length === 0) return closed;
    const newestByRevision = await newestServiceDeployments(deps.ecs, where.cluster, where.service);
    for (const entry of unfinished) {
      const revision = str(entry.payload[PAYLOAD.revision])!;
      const brief = newestByRevision.get(revision);
      const closing = brief && closingOf(brief);
      if (!brief || !closing) continue;
      const served = closing.outcome === 'succeeded' ? 'yes' : 'unknown';
      const description = closingDescription(closing.text, {
        outcome: closing.outcome,
        cause: closing.cause,
        rolledBackBy: closing.cause ? 'ecs' : undefined,
        served,
      });
      const record = await openDeploymentRecord({ ...github, environment: entry.environment }, entry, logger);
      await record.setStatus(closing.state, description);
      await tagRevision(
        deps.ecs,
        revision,
        tagsOf({
          [TAG.outcome]: closing.outcome,
          [TAG.finishedAt]: brief.finishedAt?.toISOString(),
          [TAG.cause]: closing.cause ?? 'none',
          [TAG.rolledBackBy]: closing.cause ? 'ecs' : 'none',
          [TAG.served]: served,
          [TAG.serviceDeployment]: brief.serviceDeploymentArn,
          [TAG.githubDeployment]: String(entry.id),
        }),
      ).catch((error: unknown) => logger.warning(`Could not tag ${revisionLabel(revision)} as closed: ${errorMessage(error)}`));
      logger.info(`GitHub deployment ${entry.id} (${revisionLabel(revision)}) was left unfinished; closed as ${closing.state}: ${closing.text}.`);
      closed.push({ id: entry.id, state: closing.state, description });
    }
  } catch (error) {
    logger.warning(`Could not close unfinished release records of ${where.cluster}/${where.service}: ${errorMessage(error)}`);
  }
  return closed;
}

/** The newest service deployment of each task definition, from ECS's history of the service. */
async function newestServiceDeployments(ecs: EcsTagSender, cluster: string, service: string): Promise<Map<string, ServiceDeploymentBrief>> {
  const briefs: ServiceDeploymentBrief[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ecs.send(new ListServiceDeploymentsCommand({ cluster, service, maxResults: 20, ...(nextToken ? { nextToken } : {}) }));
    briefs.push(...(page.serviceDeployments ?? []));
    nextToken = page.nextToken;
  } while (nextToken && briefs.length < MAX_SERVICE_DEPLOYMENTS);
  const time = (b: ServiceDeploymentBrief) => b.createdAt?.getTime() ?? 0;
  briefs.sort((a, b) => time(b) - time(a));
  const byRevision = new Map<string, ServiceDeploymentBrief>();
  for (let i = 0; i < briefs.length; i += 20) {
    const chunk = briefs.slice(i, i + 20).filter((b) => b.targetServiceRevisionArn);
    if (chunk.length === 0) continue;
    const out = await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: chunk.map((b) => b.targetServiceRevisionArn!) }));
    const taskDefinitionOf = new Map((out.serviceRevisions ?? []).map((r) => [r.serviceRevisionArn, r.taskDefinition]));
    for (const b of chunk) {
      const taskDefinition = taskDefinitionOf.get(b.targetServiceRevisionArn);
      if (taskDefinition && !byRevision.has(taskDefinition)) byRevision.set(taskDefinition, b);
    }
  }
  return byRevision;
}
