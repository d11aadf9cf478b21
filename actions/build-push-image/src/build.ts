import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { buildOutputFor, dockerBuildArgs, dockerBuildEnv, type BuildOutput } from '../../../shared/docker/build-command.js';
import { buildxPushFailure } from '../../../shared/docker/push.js';
import { formatDuration } from '../../../shared/core/duration.js';
import { UserError } from '../../../shared/core/errors.js';
import { exec, lastLines } from '../../../shared/core/exec.js';
import type { Logger } from '../../../shared/core/logger.js';
import { retry, TransientError } from '../../../shared/core/retry.js';
import type { BuildPushInputs } from './inputs.js';

/** Runs the build with whichever builder this runner has; both produce the same image and tags. */
export interface BuildResult {
  output: BuildOutput;
  imageId?: string;
  localSize?: number;
  durationMs: number;
  metadataFile?: string;
}

export async function build(
  inputs: BuildPushInputs,
  options: { builder: 'buildx' | 'classic'; configDir: string; labels: Map<string, string>; references: string[]; logger: Logger; signal: AbortSignal },
): Promise<BuildResult> {
  const { builder, logger } = options;
  const temp = process.env.RUNNER_TEMP || path.dirname(options.configDir);
  const stamp = `${process.pid}-${Date.now()}`;
  const iidFile = path.join(temp, `ctp-iid-${stamp}`);
  const output = buildOutputFor(builder, inputs.platforms, inputs.push);
  const metadataFile = builder === 'buildx' ? path.join(temp, `ctp-build-metadata-${stamp}.json`) : undefined;
  const args = dockerBuildArgs({
    builder,
    configDir: options.configDir,
    context: inputs.context,
    file: inputs.file,
    ...(inputs.target ? { target: inputs.target } : {}),
    buildArgs: inputs.buildArgs,
    labels: options.labels,
    tags: options.references,
    platforms: inputs.platforms,
    cacheFrom: inputs.cacheFrom,
    cacheTo: inputs.cacheTo,
    output,
    iidFile,
    ...(metadataFile ? { metadataFile } : {}),
  });
  return logger.group(`Build with ${builder === 'buildx' ? 'docker buildx build' : 'the classic docker build'}`, async () => {
    const started = Date.now();
    const builderCommand = `docker ${builder === 'buildx' ? 'buildx build' : 'build'}`;
    let failure = '';
    await retry(
      async () => {
        const result = await exec('docker', args, { env: dockerBuildEnv(builder, process.env), signal: options.signal });
        if (result.aborted) throw new UserError('The build was cancelled.');
        if (result.exitCode === 0) return;
        const why = lastLines(result.stderr || result.stdout, 5);
        const pushFailure = output === 'push' ? buildxPushFailure(why) : undefined;
        if (pushFailure === 'auth')
          throw new UserError(
            `Registry ${inputs.repository.registry} refused the push by buildx${inputs.login.kind === 'none' ? '' : ` (logged in for ${inputs.login.kind === 'ecr' ? 'ECR' : `user '${inputs.login.username}'`})`}: ${why}`,
          );
        failure = `${builderCommand} failed with exit code ${result.exitCode}: ${why}`;
        if (pushFailure !== 'transient') throw new UserError(failure);
        // Only the push inside the build failed: the build itself is cached by then.
        throw new TransientError(`buildx could not push: ${why.split('\n').at(-1)}; building again from cache`);
      },
      { what: 'The build', attempts: 3, firstDelayMs: 1_000, exhausted: () => new UserError(failure), logger, signal: options.signal },
    );
    let imageId: string | undefined;
    try {
      imageId = readFileSync(iidFile, 'utf8').trim() || undefined;
    } catch {
      /* a multi-platform build that is not loaded writes no image ID */
    }
    rmSync(iidFile, { force: true });
    let localSize: number | undefined;
    if (imageId && output === 'load') {
      const inspect = await exec('docker', ['image', 'inspect', '--format', '{{.Size}}', imageId], { stream: false, signal: options.signal });
      if (inspect.exitCode === 0) localSize = Number(inspect.stdout.trim()) || undefined;
    }
    logger.info(`Built ${imageId ?? 'the image'} in ${formatDuration(Date.now() - started)} with the ${builder === 'buildx' ? 'buildx' : 'classic'} builder.`);
    return {
      output,
      ...(imageId ? { imageId } : {}),
      ...(localSize !== undefined ? { localSize } : {}),
      durationMs: Date.now() - started,
      ...(metadataFile ? { metadataFile } : {}),
    };
  });
}
