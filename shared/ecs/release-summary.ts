/**
 * The job summary of a release of several services (deploy-services.ts): the release's outcome,
 * then one row per service — its revision from → to, how it ended, how long it took, why it did
 * not succeed, its GitHub deployment — and the step's message when the release failed. Each
 * service's timeline is in the job log, its lines prefixed with its name.
 */
import { formatDuration } from '../core/duration.js';
import { errorMessage } from '../core/errors.js';
import { codeBlock, htmlTable, keyValueTable } from '../core/summary.js';
import type { ReleaseOfServices } from './deploy-services.js';
import { OUTCOME } from './deploy-summary.js';
import { revisionName } from './task-definition-source.js';

export function releaseSummaryHtml(release: ReleaseOfServices): string {
  const overview = keyValueTable([
    ['Outcome', OUTCOME[release.status]],
    ['Release', release.id],
    ['Failed first', release.failed],
    ['Duration', formatDuration(release.durationMs)],
  ]);
  const rows = release.services.map(({ service, result, error }) =>
    result
      ? [
          service,
          `${revisionName(result.previousTaskDefinitionArn)} → ${revisionName(result.taskDefinitionArn)}`,
          OUTCOME[result.status],
          formatDuration(result.durationMs),
          result.failure?.reason,
          result.githubDeployment ? `#${result.githubDeployment.id}` : undefined,
        ]
      : [service, undefined, OUTCOME.failed, undefined, errorMessage(error), undefined],
  );
  const table = htmlTable(['service', 'revision', 'outcome', 'duration', 'why', 'GitHub deployment'], rows);
  return [overview, table, release.status === 'succeeded' ? '' : codeBlock(release.message)].join('');
}
