import * as core from '@actions/core';
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { errorMessage, InputError, UserError } from '../../../shared/core/errors.js';
import { ENV_NAME, Inputs } from '../../../shared/core/inputs.js';
import type { ActionContext } from '../../../shared/core/action.js';
import { BASH, parseShell, SH } from '../../../shared/core/shell.js';
import { defineState } from '../../../shared/core/state.js';
import { escapeHtml, writeSummary } from '../../../shared/core/summary.js';
import { maskSecrets } from '../../../shared/core/secrets.js';
import type { TestTierConfig } from '../../../shared/test-tier/tier.js';
import { defaultBudgetMs, STANDARD_TIERS, TIER_NAME } from '../../../shared/test-tier/verdict.js';

/** Everything main hands to post: only what tears the stack down, never a secret. */
export const state = defineState(['compose-project', 'compose-files', 'compose-command', 'compose-cwd', 'container']);

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
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

export function readInputs(inputs: Inputs, env: NodeJS.ProcessEnv) {
  const tierGiven = inputs.requiredString('tier', `one of ${STANDARD_TIERS.map((t) => `\`${t}\``).join(', ')}, or a custom name`);
  const tier = tierGiven.toLowerCase();
  if (!TIER_NAME.test(tier)) {
    throw new InputError('tier', tierGiven, `one of ${STANDARD_TIERS.map((t) => `\`${t}\``).join(', ')}, or a custom name of letters, digits, \`.\`, \`_\` and \`-\` (at most 40)`);
  }
  const script = inputs.raw('run');
  if (script.trim() === '') throw new InputError('run', undefined, 'the test command (a script of one or more lines)');

  const containerImage = inputs.optionalString('container-image');
  const pull = inputs.choice('pull', ['missing', 'always', 'never'] as const, 'missing');
  const shell = parseShell(inputs.optionalString('shell'), containerImage ? SH : BASH);

  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd());
  const workingDirectoryGiven = inputs.string('working-directory', '.');
  const workingDirectory = path.resolve(workspace, workingDirectoryGiven);
  if (!isDirectory(workingDirectory)) throw new InputError('working-directory', workingDirectoryGiven, 'a directory that exists, relative to the workspace');

  // Only the workspace is mounted into a test container.
  const relativeToWorkspace = path.relative(workspace, workingDirectory);
  if (containerImage && (relativeToWorkspace.startsWith('..') || path.isAbsolute(relativeToWorkspace))) {
    throw new InputError('working-directory', workingDirectoryGiven, 'a directory inside the workspace when `container-image` is set (only the workspace is mounted)');
  }

  const extraEnv = inputs.keyValues('env', { keyPattern: ENV_NAME, keyDescription: 'a variable name (letters, digits and `_`, not starting with a digit)' });
  const reports = inputs.lines('reports');
  if (reports.length === 0) throw new InputError('reports', inputs.raw('reports'), 'one or more globs of JUnit XML files, one per line, e.g. `**/TEST-*.xml`');

  const budgetText = inputs.optionalString('budget');
  const budgetMs = budgetText === 'none' || budgetText === '0' ? undefined : budgetText === undefined ? defaultBudgetMs(tier) : inputs.optionalDuration('budget');
  const onBudgetExceeded = inputs.choice('on-budget-exceeded', ['fail', 'warn'] as const, 'fail');

  const composeFiles = inputs.lines('compose-file').map((given) => {
    const candidates = [path.resolve(workingDirectory, given), path.resolve(workspace, given)];
    const found = candidates.find(isFile);
    if (!found) throw new InputError('compose-file', given, `a Compose file that exists (looked for ${[...new Set(candidates)].join(' and ')})`);
    return found;
  });
  const composeServices = inputs.list('compose-services');
  if (composeServices.length > 0 && composeFiles.length === 0) throw new InputError('compose-services', composeServices.join(', '), 'to be used together with `compose-file`');
  const composeTimeoutMs = inputs.duration('compose-timeout', 5 * 60_000);

  const failOnEmpty = inputs.boolean('fail-on-empty', true);
  const annotateText = inputs.optionalString('annotate');
  const annotate: number | 'github' =
    annotateText === undefined || annotateText === 'true' ? 'github'
    : annotateText === 'false' ? 0
    : (() => {
        if (!/^\d+$/.test(annotateText) || Number(annotateText) > 1000) throw new InputError('annotate', annotateText, '`true`, `false`, or the most annotations to add (0 to 1000)');
        return Number(annotateText);
      })();

  return {
    tier, script, shell, containerImage, pull, workspace, workingDirectory, extraEnv, reports, budgetMs, onBudgetExceeded,
    composeFiles, composeServices, composeTimeoutMs, failOnEmpty, annotate,
  };
}

export async function main({ logger, signal }: ActionContext): Promise<void> {
  const config = readInputs(new Inputs(), process.env);
  // Heavy modules (the XML parser, globbing) load only once the inputs are known to be good.
  const { runTestTier } = await import('../../../shared/test-tier/tier.js');
  const { renderTierSummary } = await import('../../../shared/test-tier/summary.js');

  let inContainer: TestTierConfig['runInContainer'];
  if (config.containerImage) {
    const image = config.containerImage;
    const { newContainerName, resolveImage, runInContainer } = await import('../../../shared/container/runner.js');
    // Pulled (as `pull` says) before the stack starts: a missing image fails in seconds, not
    // after the stack has come up healthy.
    await resolveImage(image, config.pull, { logger, signal });
    const name = newContainerName(`ctp-test-${config.tier}`);
    // Saved before the container exists: a main killed outright leaves it to post.
    state.save('container', name);
    inContainer = async (run) => {
      const result = await runInContainer(
        {
          name,
          image,
          pull: 'missing',
          script: run.script,
          shell: config.shell,
          workspace: config.workspace,
          workingDirectory: config.workingDirectory,
          env: run.env,
          ...(run.network ? { network: run.network } : {}),
          labels: { 'commit-to-prod.tier': config.tier },
          groupTitle: `${config.tier} tests in ${image}`,
        },
        { logger, signal: run.signal },
      );
      return { exitCode: result.exitCode, durationMs: result.durationMs, cancelled: result.cancelled };
    };
  }

  const reportPath = path.join(process.env.RUNNER_TEMP || config.workspace, `test-tier-${config.tier}-${randomBytes(4).toString('hex')}.json`);
  let outcome: Awaited<ReturnType<typeof runTestTier>>;
  try {
    outcome = await runTestTier(
      {
        tier: config.tier,
        script: config.script,
        shell: config.shell,
        workspace: config.workspace,
        workingDirectory: config.workingDirectory,
        env: config.extraEnv,
        reports: config.reports,
        ...(config.budgetMs !== undefined ? { budgetMs: config.budgetMs } : {}),
        onBudgetExceeded: config.onBudgetExceeded,
        failOnEmpty: config.failOnEmpty,
        annotate: config.annotate,
        reportPath,
        ...(config.composeFiles.length > 0
          ? { compose: { files: config.composeFiles, services: config.composeServices, timeoutMs: config.composeTimeoutMs, ...(process.env.GITHUB_RUN_ID ? { runId: process.env.GITHUB_RUN_ID } : {}) } }
          : {}),
        hostEnv: process.env,
        ...(inContainer ? { runInContainer: inContainer } : {}),
      },
      {
        logger,
        signal,
        hooks: {
          starting(stack) {
            state.save('compose-project', stack.project);
            state.save('compose-files', JSON.stringify(stack.files));
            state.save('compose-command', JSON.stringify(stack.command));
            state.save('compose-cwd', stack.cwd);
          },
          gone() {
            state.save('compose-project', '');
          },
        },
      },
    );
  } catch (error) {
    // The stack never became healthy, the image could not be pulled, the job was cancelled:
    // the summary still says what happened to this tier.
    await writeSummary(`❌ ${config.tier} tests did not complete`, `<p>${escapeHtml(maskSecrets(errorMessage(error)))}</p>\n`);
    throw error;
  }

  const { verdict, budget, report } = outcome;
  const c = report.counts;
  core.setOutput('passed', c.passed);
  core.setOutput('failed', c.failed);
  core.setOutput('skipped', c.skipped);
  core.setOutput('flaky', c.flaky);
  core.setOutput('total', c.total);
  core.setOutput('duration-seconds', report.durationSeconds);
  core.setOutput('budget-exceeded', budget.exceeded);
  core.setOutput('report', reportPath);

  const summary = renderTierSummary(report, budget, reportPath);
  await writeSummary(summary.heading, summary.html);
  logger.info(verdict.headline);
  for (const warning of verdict.warnings) logger.warning(warning);
  if (!verdict.passed) throw new UserError(verdict.failures.join(' '));
}

export async function post({ logger }: ActionContext): Promise<void> {
  const container = state.get('container');
  if (container) {
    const { CONTAINER_LABEL, removeContainers, removeRunDirectory } = await import('../../../shared/container/runner.js');
    await removeContainers(`${CONTAINER_LABEL}=${container}`, logger);
    removeRunDirectory(container);
  }
  const project = state.get('compose-project');
  if (!project) return;
  const { ComposeStack } = await import('../../../shared/compose/stack.js');
  const files = JSON.parse(state.get('compose-files') ?? '[]') as string[];
  const command = JSON.parse(state.get('compose-command') ?? '["docker-compose"]') as string[];
  logger.info(`The main step did not tear down compose project ${project} (it was cancelled or killed); tearing it down now.`);
  await new ComposeStack({ command, project, files, cwd: state.get('compose-cwd') ?? process.cwd(), logger }).down();
}
