import { homedir } from 'node:os';
import type { ActionContext } from '../../../shared/core/action.js';
import { Inputs } from '../../../shared/core/inputs.js';
import { UserError } from '../../../shared/core/errors.js';
import { maskSecrets, registerSecret } from '../../../shared/core/secrets.js';
import { createDockerConfig, dockerLogin, removeDockerConfig } from '../../../shared/docker/config.js';
import { registryOfImage } from '../../../shared/image/reference.js';
import { ImagePullError, newContainerName, runInContainer, type ContainerRunResult } from '../../../shared/container/runner.js';
import { codeBlock, details, keyValueTable, writeSummary } from '../../../shared/core/summary.js';
import { formatDuration } from '../../../shared/core/duration.js';
import { cacheTrustScope } from '../../../shared/container/build-caches.js';
import { readBuildInputs, type BuildInputs } from './inputs.js';
import { outputs } from './outputs.js';
import { state } from './state.js';

export async function main({ logger, signal }: ActionContext): Promise<void> {
  const inputs = new Inputs();
  // Masked before anything can print it, even an error about another input.
  registerSecret(inputs.raw('registry-password'));
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  const build = readBuildInputs(inputs, {
    workspace,
    home: homedir(),
    ...(process.env.GITHUB_REPOSITORY ? { repository: process.env.GITHUB_REPOSITORY } : {}),
    ...(process.env.RUNNER_TOOL_CACHE ? { toolCache: process.env.RUNNER_TOOL_CACHE } : {}),
    ...optionalScope(cacheTrustScope(process.env)),
  });
  // Known before the build, so a later actions/cache step can use it even if the build fails.
  const hostCaches = build.caches.filter((c) => c.storage === 'host').map((c) => c.source);
  outputs.set('cache-paths', hostCaches.join('\n'));

  logger.info(
    `Building in ${build.image} as ${build.user}, in ${build.workingDirectory}` +
      `${build.caches.length ? `, caches: ${build.caches.map((c) => c.given).join(', ')}` : ''}` +
      `${build.timeoutMs ? `, time limit ${formatDuration(build.timeoutMs)}` : ''}.`,
  );

  const name = newContainerName('ctp-build');
  // Saved before anything starts, so a post step after a killed main knows what to remove.
  state.save('container', name);
  let dockerConfig: string | undefined;
  let result: ContainerRunResult;
  try {
    if (build.credentials) {
      dockerConfig = createDockerConfig();
      state.save('docker-config', dockerConfig);
      await dockerLogin(dockerConfig, { registry: registryOfImage(build.image), ...build.credentials }, { logger, signal });
    }
    result = await runInContainer(
      {
        name,
        image: build.image,
        pull: build.pull,
        script: build.script,
        shell: build.shell,
        workspace,
        workingDirectory: build.workingDirectory,
        env: build.env,
        passEnv: build.passEnv,
        user: build.user,
        caches: build.caches,
        mounts: build.mounts,
        options: build.options,
        labels: {
          'commit-to-prod.action': 'build-in-container',
          ...(process.env.GITHUB_RUN_ID ? { 'commit-to-prod.run-id': process.env.GITHUB_RUN_ID } : {}),
        },
        groupTitle: `${build.shellText} in ${build.image}`,
        ...(build.network ? { network: build.network } : {}),
      },
      { logger, signal, ...(build.timeoutMs ? { timeoutMs: build.timeoutMs } : {}), ...(dockerConfig ? { dockerConfig } : {}) },
    );
  } catch (error) {
    if (error instanceof ImagePullError && error.authRequired && !build.credentials) {
      throw new UserError(`${error.message}. For a private image, set \`registry-username\` and \`registry-password\`.`);
    }
    throw error;
  } finally {
    removeDockerConfig(dockerConfig);
  }

  const seconds = (result.durationMs / 1000).toFixed(1);
  outputs.set('exit-code', String(result.exitCode));
  outputs.set('duration-seconds', seconds);
  outputs.set('image-id', result.imageId);
  const outcome = result.timedOut
    ? `timed out after ${formatDuration(build.timeoutMs ?? 0)}`
    : result.cancelled
      ? 'cancelled'
      : result.exitCode === 0
        ? 'succeeded'
        : `failed (exit code ${result.exitCode})`;
  await writeSummary(
    `Build in container: ${outcome}`,
    summaryTable(build, result),
    codeBlock(maskSecrets(build.script)),
    result.exitCode !== 0 ? details(`Last ${result.tail.length} lines of output`, codeBlock(result.tail.join('\n'))) : '',
  );

  if (result.cancelled) throw new Error(`the build was cancelled; container ${name} was stopped and removed`);
  if (result.timedOut) {
    throw new UserError(
      `The build exceeded its time limit of ${formatDuration(build.timeoutMs ?? 0)} (input 'timeout'); container ${name} was stopped and removed.`,
    );
  }
  if (result.startFailure) {
    throw new UserError(
      /tini|executable file not found/.test(result.startFailure)
        ? `Could not start \`${build.shell[0]}\` in ${build.image}: is it installed in the image? (input 'shell' is ${JSON.stringify(build.shellText)}; ${result.startFailure})`
        : `Docker could not start the build container: ${result.startFailure}`,
    );
  }
  if (result.exitCode !== 0) {
    // The step fails with the build's own exit code, as a `run:` step would.
    logger.error(
      `The build failed with exit code ${result.exitCode} after ${formatDuration(result.durationMs)}. Last lines:\n${result.tail.slice(-10).join('\n')}`,
    );
    process.exitCode = result.exitCode;
    return;
  }
  logger.info(`The build succeeded in ${formatDuration(result.durationMs)}.`);
}

function summaryTable(build: BuildInputs, result: ContainerRunResult): string {
  return keyValueTable([
    ['Command', `${build.shell.join(' ')} (with {0} the script below)`],
    ['Image', `${build.image} (${result.imageId})`],
    ['User', build.user],
    ['Working directory', build.workingDirectory],
    ['Caches', build.caches.length ? build.caches.map((c) => `${c.given} → ${c.storage === 'host' ? c.source : `volume ${c.source}`}`).join(', ') : undefined],
    ['Duration', formatDuration(result.durationMs)],
    ['Exit code', result.exitCode],
  ]);
}

function optionalScope(scope: string | undefined): { cacheScope?: string } {
  return scope === undefined ? {} : { cacheScope: scope };
}
