import { ACTIONS_BOT_LOGIN, GITHUB_LOGIN_EXPECTED, isGitHubLogin } from '../../../shared/github/identity.js';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../../shared/core/errors.js';
import { ENV_NAME, type Inputs } from '../../../shared/core/inputs.js';
import { BASH, parseShell, SH } from '../../../shared/core/shell.js';
import { defaultBudgetMs, STANDARD_TIERS, TIER_NAME } from '../../../shared/test-tier/verdict.js';
import { registerSecret } from '../../../shared/core/secrets.js';
import type { CommentMode } from '../../../shared/test-publish/publish.js';
import { TIER_REPORT_SCHEMA } from '../../../shared/test-tier/report.js';
import { parseImageInput } from '../../../shared/image/reference.js';
import { parseShard, type ShardSpec } from '../../../shared/test-tier/shard-spec.js';

/** Every input of run-test-tier, validated before anything starts (no stack, no container). */
export interface TierInputs {
  tier: string;
  script: string;
  shell: string[];
  containerImage: string | undefined;
  pull: 'missing' | 'always' | 'never';
  workspace: string;
  workingDirectory: string;
  extraEnv: Map<string, string>;
  reports: string[];
  budgetMs: number | undefined;
  /** The budget as written (`5m`), for the message when the tier is stopped at it. */
  budgetText: string | undefined;
  onBudgetExceeded: 'fail' | 'warn';
  foldRetries: boolean;
  composeFiles: string[];
  composeServices: string[];
  composeTimeoutMs: number;
  failOnEmpty: boolean;
  annotate: number | 'github';
  /** Publishing to GitHub (check run, pull-request comment): only with a token. */
  githubToken: string | undefined;
  comment: CommentMode;
  /** The login github-token writes as: only a marked comment by it is ours to update. */
  githubIdentity: string;
  /** A workflow_run publisher's copy of the triggering run's event payload (absolute). */
  eventFile: string | undefined;
  /** The base branch's report of this tier, when it exists (absolute). */
  baselineReport: string | undefined;
  /** This runner's shard of the suite, with the suite's files and the earlier timings (globs). */
  shard: { spec: ShardSpec; testFiles: string[]; timings: string[] } | undefined;
  /** Globs of the shards' JSON reports: set, the step merges them instead of running tests. */
  mergeReports: string[];
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isTierReport(p: string): boolean {
  try {
    const parsed = JSON.parse(readFileSync(p, 'utf8')) as { schema?: unknown; failures?: unknown };
    return parsed.schema === TIER_REPORT_SCHEMA && Array.isArray(parsed.failures);
  } catch {
    return false;
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

export function readInputs(inputs: Inputs, env: NodeJS.ProcessEnv): TierInputs {
  const tierGiven = inputs.requiredString('tier', `one of ${STANDARD_TIERS.map((t) => `\`${t}\``).join(', ')}, or a custom name`);
  const tier = tierGiven.toLowerCase();
  if (!TIER_NAME.test(tier)) {
    throw new InputError(
      'tier',
      tierGiven,
      `one of ${STANDARD_TIERS.map((t) => `\`${t}\``).join(', ')}, or a custom name of letters, digits, \`.\`, \`_\` and \`-\` (at most 40)`,
    );
  }
  const mergeReports = inputs.lines('merge-reports');
  const script = inputs.raw('run');
  if (mergeReports.length > 0 && script.trim() !== '')
    throw new InputError('run', script, "empty when `merge-reports` is set: the merge step runs no tests, it merges the shards' reports");
  if (mergeReports.length === 0 && script.trim() === '')
    throw new InputError('run', undefined, 'the test command (a script of one or more lines), or `merge-reports` to merge a sharded tier');

  const containerImage = inputs.optionalString('container-image');
  // Checked against Docker's reference grammar before any docker call: `--privileged` is no image.
  if (containerImage !== undefined) parseImageInput(containerImage, 'container-image');
  const pull = inputs.choice('pull', ['missing', 'always', 'never'] as const, 'missing');
  const shell = parseShell(inputs.optionalString('shell'), containerImage ? SH : BASH);

  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd());
  const workingDirectoryGiven = inputs.string('working-directory', '.');
  const workingDirectory = path.resolve(workspace, workingDirectoryGiven);
  if (!isDirectory(workingDirectory)) throw new InputError('working-directory', workingDirectoryGiven, 'a directory that exists, relative to the workspace');

  // Only the workspace is mounted into a test container.
  const relativeToWorkspace = path.relative(workspace, workingDirectory);
  if (containerImage && (relativeToWorkspace.startsWith('..') || path.isAbsolute(relativeToWorkspace))) {
    throw new InputError(
      'working-directory',
      workingDirectoryGiven,
      'a directory inside the workspace when `container-image` is set (only the workspace is mounted)',
    );
  }

  const extraEnv = inputs.keyValues('env', { keyPattern: ENV_NAME, keyDescription: 'a variable name (letters, digits and `_`, not starting with a digit)' });
  const reports = inputs.lines('reports');
  if (reports.length === 0) throw new InputError('reports', inputs.raw('reports'), 'one or more globs of JUnit XML files, one per line, e.g. `**/TEST-*.xml`');

  const budgetText = inputs.optionalString('budget');
  const budgetMs =
    budgetText === 'none' || budgetText === '0' ? undefined : budgetText === undefined ? defaultBudgetMs(tier) : inputs.optionalDuration('budget');
  const onBudgetExceeded = inputs.choice('on-budget-exceeded', ['fail', 'warn'] as const, 'fail');
  const foldRetries = inputs.boolean('fold-retries', false);

  const composeFiles = inputs.lines('compose-file').map((given) => {
    const candidates = [path.resolve(workingDirectory, given), path.resolve(workspace, given)];
    const found = candidates.find(isFile);
    if (!found) throw new InputError('compose-file', given, `a Compose file that exists (looked for ${[...new Set(candidates)].join(' and ')})`);
    return found;
  });
  const composeServices = inputs.list('compose-services');
  if (composeServices.length > 0 && composeFiles.length === 0)
    throw new InputError('compose-services', composeServices.join(', '), 'to be used together with `compose-file`');
  const composeTimeoutMs = inputs.duration('compose-timeout', 5 * 60_000);

  const failOnEmpty = inputs.boolean('fail-on-empty', true);
  const annotateText = inputs.optionalString('annotate');
  const annotate: number | 'github' =
    annotateText === undefined || annotateText === 'true'
      ? 'github'
      : annotateText === 'false'
        ? 0
        : (() => {
            if (!/^\d+$/.test(annotateText) || Number(annotateText) > 1000)
              throw new InputError('annotate', annotateText, '`true`, `false`, or the most annotations to add (0 to 1000)');
            return Number(annotateText);
          })();

  const githubToken = inputs.optionalString('github-token');
  registerSecret(githubToken);
  const comment = inputs.choice('comment', ['on-failure', 'always', 'off'] as const, 'on-failure');
  const githubIdentity = inputs.optionalString('github-identity') ?? ACTIONS_BOT_LOGIN;
  if (!isGitHubLogin(githubIdentity)) throw new InputError('github-identity', githubIdentity, GITHUB_LOGIN_EXPECTED);
  const eventFileGiven = inputs.optionalString('event-file');
  const eventFile = eventFileGiven === undefined ? undefined : path.resolve(workspace, eventFileGiven);
  if (eventFileGiven !== undefined && (!eventFile || !isFile(eventFile)))
    throw new InputError(
      'event-file',
      eventFileGiven,
      "the triggering run's event payload (a JSON file downloaded from its artifacts), relative to the workspace",
    );
  const baselineGiven = inputs.optionalString('baseline-report');
  const baselineReport = baselineGiven === undefined ? undefined : path.resolve(workspace, baselineGiven);
  // Absent is allowed (the base branch may have no run yet); present, it must be a tier report.
  if (baselineGiven !== undefined && baselineReport && isFile(baselineReport) && !isTierReport(baselineReport))
    throw new InputError('baseline-report', baselineGiven, 'the JSON `report` of a run-test-tier run (schema commit-to-prod/test-tier-report@1)');

  const shardGiven = inputs.optionalString('shard');
  const testFiles = inputs.lines('test-files');
  const timings = inputs.lines('timings');
  if (shardGiven !== undefined && mergeReports.length > 0)
    throw new InputError('shard', shardGiven, 'empty when `merge-reports` is set (the merge step runs after the shards, in a job of its own)');
  if (shardGiven === undefined) {
    if (testFiles.length > 0)
      throw new InputError('test-files', testFiles.join(', '), 'to be used together with `shard` (e.g. `shard: ${{ matrix.shard }}/4`)');
    if (timings.length > 0) throw new InputError('timings', timings.join(', '), 'to be used together with `shard` and `test-files`');
  } else if (testFiles.length === 0) {
    throw new InputError('test-files', undefined, "the whole suite's test files when `shard` is set: globs, one per line, e.g. `src/**/*.test.ts`");
  }
  const shard = shardGiven === undefined ? undefined : { spec: parseShard(shardGiven), testFiles, timings };

  return {
    tier,
    script,
    shell,
    containerImage,
    pull,
    workspace,
    workingDirectory,
    extraEnv,
    reports,
    budgetMs,
    budgetText: budgetMs === undefined ? undefined : (budgetText ?? '5m'),
    onBudgetExceeded,
    foldRetries,
    composeFiles,
    composeServices,
    composeTimeoutMs,
    failOnEmpty,
    annotate,
    githubToken,
    comment,
    githubIdentity,
    eventFile,
    baselineReport,
    shard,
    mergeReports,
  };
}
