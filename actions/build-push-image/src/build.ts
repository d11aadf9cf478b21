import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { buildOutputFor, dockerBuildArgs, dockerBuildEnv, type Builder, type BuildOutput } from '../../../shared/docker/build-command.js';
import { builderTitle, type DetectedBuilder } from '../../../shared/docker/builder.js';
import { materializeSecrets } from '../../../shared/docker/build-secrets.js';
import { unsupportedWithoutBuildx, type CacheEntry } from '../../../shared/docker/cache-spec.js';
import { buildxPushFailure } from '../../../shared/docker/push.js';
import { formatDuration } from '../../../shared/core/duration.js';
import { UserError } from '../../../shared/core/errors.js';
import { exec, lastLines } from '../../../shared/core/exec.js';
import type { Logger } from '../../../shared/core/logger.js';
import { retry, TransientError } from '../../../shared/core/retry.js';
import { INPUT, type BuildPushInputs } from './inputs.js';

/**
 * Inputs a builder cannot honour fail before anything starts, naming each input and the
 * builder found, instead of being ignored.
 */
export function requireBuilderFeatures(inputs: BuildPushInputs, detected: DetectedBuilder): void {
  if (detected.builder === 'buildx') return;
  const refused: string[] = [];
  const given = (name: string, values: readonly string[]) => {
    if (values.length) refused.push(`Input '${name}' (${values.join(', ')})`);
  };
  given(INPUT.platforms, inputs.platforms);
  given(INPUT.provenance, inputs.provenance !== undefined ? [inputs.provenance] : []);
  given(INPUT.sbom, inputs.sbom !== undefined ? [inputs.sbom] : []);
  if (detected.builder === 'classic') {
    given(
      INPUT.cacheFrom,
      inputs.cacheFrom.map((c) => c.given),
    );
    given(
      INPUT.cacheTo,
      inputs.cacheTo.map((c) => c.given),
    );
    given(
      INPUT.secrets,
      inputs.secrets.map((s) => `id=${s.id}`),
    );
    given(
      INPUT.ssh,
      inputs.ssh.map((s) => s.split('=')[0]!),
    );
  } else {
    const cache = (name: string, entries: readonly CacheEntry[], direction: 'from' | 'to') => {
      const why = entries.map((e) => [e.given, unsupportedWithoutBuildx(e, direction)] as const).filter(([, w]) => w !== undefined);
      if (why.length) refused.push(`Input '${name}' (${why.map(([g, w]) => `${g}: ${w}`).join('; ')})`);
    };
    cache(INPUT.cacheFrom, inputs.cacheFrom, 'from');
    cache(INPUT.cacheTo, inputs.cacheTo, 'to');
  }
  if (refused.length === 0) return;
  const needs = detected.builder === 'classic' ? 'needs BuildKit (buildx, or a docker CLI before 23 with BuildKit built in)' : 'needs buildx';
  throw new UserError(
    `${refused.join(' and ')} ${needs}, and this runner's docker has ${builderTitle(detected.builder)}: ${detected.detail}. Install buildx (docker/setup-buildx-action) or remove ${refused.length > 1 ? 'those inputs' : 'that input'}.`,
  );
}

/** What each builder is given for `cache-from`: buildx the lines as written, built-in BuildKit the image references. */
function cacheSources(builder: Builder, entries: readonly CacheEntry[]): string[] {
  return entries.map((e) => (builder === 'buildkit' && e.type === 'registry' ? e.ref : e.given));
}

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
  options: { builder: Builder; configDir: string; labels: Map<string, string>; references: string[]; logger: Logger; signal: AbortSignal },
): Promise<BuildResult> {
  const { builder, logger } = options;
  const temp = process.env.RUNNER_TEMP || path.dirname(options.configDir);
  const stamp = `${process.pid}-${Date.now()}`;
  const iidFile = path.join(temp, `ctp-iid-${stamp}`);
  const output = buildOutputFor(builder, inputs.platforms, inputs.push, inputs.provenance !== undefined || inputs.sbom !== undefined);
  // Secrets become files only now, after every input and the login passed, and go again below.
  const secrets = materializeSecrets(inputs.secrets, process.env);
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
    cacheFrom: cacheSources(builder, inputs.cacheFrom),
    cacheTo: inputs.cacheTo.map((c) => c.given),
    secrets: secrets.mounts,
    ssh: inputs.ssh,
    ...(inputs.provenance !== undefined ? { provenance: inputs.provenance } : {}),
    ...(inputs.sbom !== undefined ? { sbom: inputs.sbom } : {}),
    output,
    iidFile,
    ...(metadataFile ? { metadataFile } : {}),
  });
  if (inputs.secrets.length) logger.info(`Build secrets (values masked, passed as files, in no layer): ${inputs.secrets.map((s) => s.id).join(', ')}`);
  return logger.group(`Build with ${builderTitle(builder)}`, async () => {
    const started = Date.now();
    const builderCommand = `docker ${builder === 'buildx' ? 'buildx build' : 'build'}`;
    let failure = '';
    try {
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
    } finally {
      secrets.remove();
    }
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
    logger.info(`Built ${imageId ?? 'the image'} in ${formatDuration(Date.now() - started)} with ${builderTitle(builder)}.`);
    return {
      output,
      ...(imageId ? { imageId } : {}),
      ...(localSize !== undefined ? { localSize } : {}),
      durationMs: Date.now() - started,
      ...(metadataFile ? { metadataFile } : {}),
    };
  });
}
