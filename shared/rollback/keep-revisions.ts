/**
 * `keep-revisions: N` after a successful deploy: the family's ACTIVE revisions beyond the N newest
 * are deregistered, except those a rollback may need — the one running, the one that ran before,
 * and whatever `rollback to: previous` would choose now (from the GitHub deployments when there is
 * a token, and from the ECS tags, its fallback). Asking pickRollbackTarget itself, not a copy of
 * its rules, keeps the two from drifting apart.
 */
import { DeregisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { errorMessage, UserError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { htmlTable } from '../core/summary.js';
import type { DeploymentHistoryOptions } from '../github/deployment-history.js';
import type { EcsSender } from '../ecs/raw-json.js';
import { familyOf, familyRevisionArns } from '../ecs/revision-history.js';
import { revisionName } from '../ecs/task-definition-source.js';
import { pickRollbackTarget } from './pick-rollback-target.js';

export interface KeepRevisionsRequest {
  cluster: string;
  service: string;
  /** Keep this many of the newest ACTIVE revisions (at least 1). */
  keep: number;
  runningArn: string;
  previousArn: string | undefined;
  github?: Omit<DeploymentHistoryOptions, 'limit'> | undefined;
}

export interface KeptRevision {
  arn: string;
  why: string;
}

export interface KeepRevisionsResult {
  deregistered: string[];
  /** Beyond the N newest but kept, with why. */
  kept: KeptRevision[];
  failed: { arn: string; error: string }[];
}

export async function keepRevisions(request: KeepRevisionsRequest, deps: { ecs: EcsSender; logger: Logger }): Promise<KeepRevisionsResult> {
  const { ecs, logger } = deps;
  const family = familyOf(request.runningArn);
  const active = await familyRevisionArns(ecs, family, 'ACTIVE');
  const beyond = active.slice(request.keep);
  const result: KeepRevisionsResult = { deregistered: [], kept: [], failed: [] };
  if (beyond.length === 0) {
    logger.info(
      `keep-revisions ${request.keep}: family '${family}' has ${active.length} ACTIVE revision${active.length === 1 ? '' : 's'}; nothing to deregister.`,
    );
    return result;
  }

  const needed = new Map<string, string>();
  needed.set(request.runningArn, 'the service runs it');
  if (request.previousArn) needed.set(request.previousArn, 'the revision that ran before this deploy');
  for (const [source, github] of [
    ['GitHub deployments', request.github],
    ['ECS tags', undefined],
  ] as const) {
    if (source === 'GitHub deployments' && !github) continue;
    try {
      const picked = await pickRollbackTarget(
        { cluster: request.cluster, service: request.service, to: { kind: 'previous' }, toText: 'previous', github },
        { ecs, logger: silentLogger },
      );
      if (!needed.has(picked.target.arn)) needed.set(picked.target.arn, `\`rollback to: previous\` would choose it (${source})`);
    } catch (error) {
      // No known-good release from this source: nothing more to protect from it.
      if (!(error instanceof UserError)) throw error;
      logger.debug(`keep-revisions: no rollback target from ${source}: ${error.message}`);
    }
  }

  for (const arn of beyond) {
    const why = needed.get(arn);
    if (why) {
      result.kept.push({ arn, why });
      logger.info(`  keeping ${revisionName(arn)}: ${why}.`);
      continue;
    }
    try {
      await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }));
      result.deregistered.push(arn);
      logger.info(`  deregistered ${revisionName(arn)}.`);
    } catch (error) {
      result.failed.push({ arn, error: errorMessage(error) });
      logger.warning(`Could not deregister ${revisionName(arn)} (keep-revisions): ${errorMessage(error)}`);
    }
  }
  return result;
}

/** The job summary's table: every revision beyond the N newest and what became of it. */
export function keepRevisionsSummaryHtml(result: KeepRevisionsResult): string {
  const rows: [string, string][] = [
    ...result.deregistered.map((arn): [string, string] => [revisionName(arn), 'deregistered']),
    ...result.kept.map((k): [string, string] => [revisionName(k.arn), `kept: ${k.why}`]),
    ...result.failed.map((f): [string, string] => [revisionName(f.arn), `not deregistered: ${f.error}`]),
  ];
  return rows.length === 0 ? '<p>Nothing beyond the newest revisions to deregister.</p>\n' : htmlTable(['revision', 'what happened'], rows);
}
