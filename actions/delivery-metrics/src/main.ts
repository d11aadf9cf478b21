import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ActionContext } from '../../../shared/core/action.js';
import { UserError } from '../../../shared/core/errors.js';
import { Inputs } from '../../../shared/core/inputs.js';
import type { Logger } from '../../../shared/core/logger.js';
import type { GitHubClient } from '../../../shared/github/client.js';
import { type RunContext, runContext } from '../../../shared/github/run-context.js';
import type { MetricsRelease } from '../../../shared/metrics/model.js';
import { INPUT, type MetricsInputs, readInputs } from './inputs.js';
import { outputs } from './outputs.js';

interface ReleasesRead {
  releases: MetricsRelease[];
  /** Where they came from, for the log and the summary. */
  source: string;
  client: GitHubClient | undefined;
  /** What the record read cannot give (ECS tags). */
  limits: readonly string[];
}

/**
 * Read the release records (GitHub's deployments, else the ECS revision tags), compute the five
 * DORA metrics over the window (shared/metrics/compute.ts), and hand them out: outputs, a JSON
 * report to audit each number, and the job summary.
 */
export async function main({ logger, startedAt }: ActionContext): Promise<void> {
  const run = runContext();
  const request = readInputs(new Inputs(), new Date());
  logger.info(
    `Delivery metrics of ${request.environments.join(', ')} over ${request.window.text} (${request.window.start} to ${request.window.end}), compared with the ${request.window.text} before.`,
  );
  const read = await readReleases(request, run, logger);
  const [{ openCommitSource }, { computeMetrics }, { metricsReportJson }, { metricsSummaryMarkdown }] = await Promise.all([
    import('../../../shared/metrics/commit-source.js'),
    import('../../../shared/metrics/compute.js'),
    import('../../../shared/metrics/report.js'),
    import('../../../shared/metrics/summary.js'),
  ]);
  const commits = await openCommitSource({ workspace: run.workspace, client: read.client, repository: run.repository || 'local/none', logger });
  const report = await computeMetrics(read.releases, {
    window: request.window,
    environments: request.environments,
    commits,
    reworkMarker: request.reworkMarker,
  });
  const n = report.overall.current;
  const figure = (value: number | undefined, digits: number) => (value === undefined ? '' : value.toFixed(digits));
  outputs.set('releases', n.releases);
  outputs.set('deployment-frequency', figure(n.deploymentsPerWeek, 2));
  outputs.set('lead-time-median-hours', figure(n.leadTimeMedianHours, 2));
  outputs.set('change-failure-rate', figure(n.changeFailureRate, 3));
  outputs.set('recovery-time-median-hours', figure(n.recoveryMedianHours, 2));
  outputs.set('rework-rate', figure(n.reworkRate, 3));
  const reportFile = path.join(process.env.RUNNER_TEMP || tmpdir(), `delivery-metrics-${run.runId ?? process.pid}.json`);
  await writeFile(reportFile, metricsReportJson(report));
  outputs.set('report-file', reportFile);
  const { writeSummary } = await import('../../../shared/core/summary.js');
  const sourceLine = `\n\n_Read from ${read.source}${read.limits.length > 0 ? `; the ECS revision tags cannot give: ${read.limits.join('; ')}` : ''}._\n`;
  await writeSummary(`Delivery metrics: ${request.environments.join(', ')} (${request.window.text})`, `\n\n${metricsSummaryMarkdown(report)}${sourceLine}`);
  for (const note of report.notes) logger.info(note);
  const github = read.client ? `, ${read.client.requests.length} GitHub request(s)` : '';
  const fromCommits = `commits: ${commits.stats.fromHistory} from the history, ${commits.stats.fromApi} from the API, ${commits.stats.unknown} unknown`;
  logger.info(
    `${read.releases.length} release record(s) read from ${read.source}${github}; ${fromCommits}; ${((Date.now() - startedAt) / 1000).toFixed(1)} s.`,
  );
  if (n.releases === 0 && n.unfinished === 0) {
    logger.notice(`No releases in this window: ${request.environments.join(', ')} had no finished release in the last ${request.window.text}.`);
    return;
  }
  logger.info(
    `${n.releases} release(s): ${figure(n.deploymentsPerWeek, 2)} successful a week; lead time median ${figure(n.leadTimeMedianHours, 2) || '–'} h; change fail rate ${figure(n.changeFailureRate, 3) || '–'}; recovery median ${figure(n.recoveryMedianHours, 2) || '–'} h; rework rate ${figure(n.reworkRate, 3) || '–'}. Report: ${reportFile}`,
  );
}

/** GitHub's deployments with a token; the ECS revision tags without one, or when GitHub cannot be reached and a service is given. */
async function readReleases(request: MetricsInputs, run: RunContext, logger: Logger): Promise<ReleasesRead> {
  if (request.token) {
    const [{ openGitHubClient }, { readGitHubReleases, GitHubUnavailableError }] = await Promise.all([
      import('../../../shared/github/client.js'),
      import('../../../shared/metrics/read-github.js'),
    ]);
    if (!run.repository) throw new UserError('GITHUB_REPOSITORY is not set: delivery metrics read the deployments of the repository the workflow runs in.');
    const client = await openGitHubClient({ token: request.token, apiUrl: run.apiUrl, logger, readOnly: true });
    try {
      const read = await readGitHubReleases(client, {
        repository: run.repository,
        environments: request.environments,
        window: request.window,
        identity: request.identity,
        inputNames: { token: INPUT.token, environment: INPUT.environment },
        logger,
      });
      if (read.notOurs > 0)
        logger.info(`Passed over ${read.notOurs} deployment(s) or status(es) not written by ${request.identity} (input 'github-identity').`);
      const limit = read.rateLimit ? `; GraphQL rate limit: ${read.rateLimit.remaining} points left` : '';
      logger.info(`GitHub: ${read.releases.length} release record(s) in ${read.pages} page(s)${limit}.`);
      return { releases: read.releases, source: `GitHub deployments of ${run.repository}`, client, limits: [] };
    } catch (error) {
      if (!(error instanceof GitHubUnavailableError) || !request.ecs) throw error;
      logger.warning(`${error.message}: reading the ECS revision tags of ${request.ecs.service} instead.`);
      return { ...(await readTags(request, logger)), client };
    }
  }
  logger.info(`No github-token: reading the ECS revision tags of ${request.ecs?.service} instead of GitHub's deployments.`);
  return { ...(await readTags(request, logger)), client: undefined };
}

async function readTags(request: MetricsInputs, logger: Logger): Promise<Omit<ReleasesRead, 'client'>> {
  const ecsTarget = request.ecs;
  if (!ecsTarget) throw new UserError('No ECS service to read the revision tags of (inputs service and cluster).');
  const [{ ecsClient }, { readEcsTagReleases, TAG_RECORD_LIMITS }] = await Promise.all([
    import('../../../shared/core/aws-clients.js'),
    import('../../../shared/metrics/read-ecs-tags.js'),
  ]);
  const ecs = await ecsClient(ecsTarget.region ? { region: ecsTarget.region } : {});
  const read = await readEcsTagReleases({
    ecs,
    cluster: ecsTarget.cluster,
    service: ecsTarget.service,
    environments: request.environments,
    window: request.window,
    inputNames: { service: INPUT.service, cluster: INPUT.cluster },
    logger,
  });
  for (const limit of TAG_RECORD_LIMITS) logger.warning(`From the ECS revision tags: ${limit}.`);
  return { releases: read.releases, source: `the ECS revision tags of ${ecsTarget.cluster}/${ecsTarget.service}`, limits: TAG_RECORD_LIMITS };
}
