import { readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { ActionContext } from '../../../shared/run-action.js';
import * as core from '@actions/core';
import { buildOutputFor, dockerBuildArgs, dockerBuildEnv, type BuildOutput } from '../../../shared/docker-build-command.js';
import { detectBuilder, linkCliPlugins } from '../../../shared/docker-builder.js';
import { createDockerConfig, dockerLogin, type RegistryCredentials } from '../../../shared/docker-config.js';
import { buildxPushFailure, pushTag } from '../../../shared/docker-push.js';
import { UserError } from '../../../shared/errors.js';
import { exec, lastLines } from '../../../shared/exec.js';
import { formatDuration } from '../../../shared/duration.js';
import { gitContextFrom, type GitContext } from '../../../shared/git-context.js';
import { Inputs } from '../../../shared/inputs.js';
import type { Logger } from '../../../shared/logger.js';
import { mergeLabels, normalizeTime, ociLabels } from '../../../shared/oci-labels.js';
import { readManifest, type BasicCredentials, type RemoteManifest } from '../../../shared/registry-manifest.js';
import { formatSemVer, parseSemVer } from '../../../shared/semver.js';
import { details, htmlTable, keyValueTable, writeSummary } from '../../../shared/summary.js';
import { INPUT, readInputs, type BuildPushInputs } from './inputs.js';
import { state } from './state.js';

function readEvent(logger: Logger): unknown {
  const file = process.env.GITHUB_EVENT_PATH;
  if (!file) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    logger.warning(`Could not read the event payload ${file} (${(error as Error).message}); the default branch falls back to the \`default-branch\` input.`);
    return {};
  }
}

/** The commit's own time, so two builds of one commit carry the same `created` label. */
async function commitTime(git: GitContext, context: string, signal: AbortSignal): Promise<{ created: string; from: string }> {
  const fromEvent = normalizeTime(git.commitTime);
  if (fromEvent) return { created: fromEvent, from: 'the pushed commit (event payload)' };
  if (git.sha) {
    const result = await exec('git', ['-C', context, 'show', '-s', '--format=%cI', git.sha], { stream: false, timeoutMs: 10_000, signal }).catch(() => undefined);
    const fromGit = result?.exitCode === 0 ? normalizeTime(result.stdout.trim()) : undefined;
    if (fromGit) return { created: fromGit, from: `git show ${git.sha.slice(0, 7)}` };
  }
  return { created: new Date().toISOString(), from: 'now (the commit time is not known here)' };
}

/** The credentials the runner's own Docker login holds for `registry`, to read the manifest back. */
function ambientCredentials(configDir: string, registry: string): BasicCredentials | undefined {
  try {
    const config = JSON.parse(readFileSync(path.join(configDir, 'config.json'), 'utf8')) as { auths?: Record<string, { auth?: string }> };
    const auth = config.auths?.[registry]?.auth;
    if (!auth) return undefined;
    const decoded = Buffer.from(auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon > 0 ? { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) } : undefined;
  } catch {
    return undefined;
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) (value /= 1024), unit++;
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

export async function main({ logger, signal }: ActionContext): Promise<void> {
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  const source = new Inputs();
  const git = gitContextFrom(process.env, readEvent(logger), source.string(INPUT.defaultBranch, 'main'));
  const inputs = readInputs(source, git, process.env, workspace);
  const { repository } = inputs;
  const references = inputs.tags.tags.map((t) => `${repository.name}:${t}`);

  const { created, from: createdFrom } = await commitTime(git, inputs.context, signal);
  const version = (git.tag && parseSemVer(git.tag) ? formatSemVer(parseSemVer(git.tag)!) : undefined) ?? inputs.tags.tags.find((t) => t !== 'latest') ?? '';
  const title = git.repository.split('/')[1] || repository.path.split('/').at(-1) || '';
  const { labels, overridden } = mergeLabels(ociLabels(git, { created, version, title }), inputs.extraLabels);

  logger.info(`Image ${repository.name} (registry ${repository.registry}, ${inputs.login.kind === 'ecr' ? `ECR in ${inputs.login.region}, region from ${inputs.login.regionFrom}` : inputs.login.kind === 'basic' ? `login as ${inputs.login.username}` : 'no login: the runner\u2019s own Docker config'})`);
  logger.info(`Tags from ${git.ref || 'no ref'} (default branch ${git.defaultBranch}): ${inputs.tags.tags.join(', ')}`);
  for (const s of inputs.tags.skipped) logger.info(`  skipped '${s.template}': ${s.reason}`);
  logger.info(`Labels (created from ${createdFrom}${overridden.length ? `; the labels input overrides ${overridden.join(', ')}` : ''}):`);
  for (const [key, value] of labels) logger.info(`  ${key}=${value}`);

  // Credentials live in a config directory of this step only; the post step removes it.
  const privateConfig = inputs.login.kind !== 'none';
  const configDir = privateConfig ? createDockerConfig('ctp-build-push-') : process.env.DOCKER_CONFIG || path.join(homedir(), '.docker');
  if (privateConfig) {
    state.save('docker-config', configDir);
    const linked = linkCliPlugins(configDir);
    logger.debug(`private Docker config ${configDir}${linked.length ? ` (linked ${linked.join(', ')} from the runner's config)` : ''}`);
  }

  const detected = await detectBuilder(configDir, signal);
  if (detected.builder === 'classic') {
    const buildxOnly = (
      [
        [INPUT.platforms, inputs.platforms],
        [INPUT.cacheFrom, inputs.cacheFrom],
        [INPUT.cacheTo, inputs.cacheTo],
      ] as const
    ).filter(([, v]) => v.length > 0);
    if (buildxOnly.length > 0) {
      throw new UserError(
        `${buildxOnly.map(([name, v]) => `Input '${name}' (${v.join(', ')})`).join(' and ')} needs buildx, and this runner has none: ${detected.detail}. Install it (docker/setup-buildx-action) or remove ${buildxOnly.length > 1 ? 'those inputs' : 'that input'}.`,
      );
    }
  }
  logger.info(`Builder: ${detected.builder === 'buildx' ? `docker buildx build (${detected.detail})` : `classic docker build (${detected.detail})`}`);

  let credentials: RegistryCredentials | undefined;
  if (inputs.login.kind !== 'none') {
    const login = inputs.login;
    credentials = await logger.group(`Log in to ${repository.registry}`, async () => {
      const creds =
        login.kind === 'ecr'
          ? await (await import('../../../shared/ecr-login.js')).ecrCredentials(repository.registry, {
              region: login.region,
              ...(login.accountId ? { accountId: login.accountId } : {}),
              signal,
            })
          : { registry: repository.registry, username: login.username, password: login.password };
      if (login.kind === 'ecr') logger.info(`ECR GetAuthorizationToken (${login.region}) gave credentials for user '${creds.username}'.`);
      await dockerLogin(configDir, creds, { logger, signal });
      return creds;
    });
  }

  const built = await build(inputs, { builder: detected.builder, configDir, labels, references, logger, signal });

  let pushed: { digest: string; manifest: RemoteManifest; durationMs: number } | undefined;
  if (inputs.push) {
    const readCredentials = credentials ?? ambientCredentials(configDir, repository.registry);
    pushed = await logger.group(`Push ${references.length} tag${references.length === 1 ? '' : 's'} to ${repository.registry}`, () =>
      pushAndVerify(inputs, { output: built.output, metadataFile: built.metadataFile, configDir, references, credentials: readCredentials, username: credentials?.username, logger, signal }),
    );
    core.setOutput('digest', pushed.digest);
    core.setOutput('image-ref', `${repository.name}@${pushed.digest}`);
    core.setOutput('tags', references.join('\n'));
    logger.info(`Pushed ${repository.name}@${pushed.digest}`);
  } else {
    core.setOutput('tags', '');
    logger.info(`push is false: built ${references.join(', ')} without pushing, so there is no registry digest.`);
  }
  if (built.imageId) core.setOutput('image-id', built.imageId);

  await writeSummary(
    `Image ${repository.name}`,
    keyValueTable([
      ['Image', repository.name],
      ['Tags', pushed ? references.map((r) => r.slice(repository.name.length + 1)).join(', ') : `${inputs.tags.tags.join(', ')} (not pushed)`],
      ['Digest', pushed?.digest ?? 'not pushed'],
      ['Deploy with', pushed ? `${repository.name}@${pushed.digest}` : undefined],
      ['Size', [pushed ? `${formatBytes(pushed.manifest.size)} in the registry (compressed)` : undefined, built.localSize !== undefined ? `${formatBytes(built.localSize)} unpacked` : undefined].filter(Boolean).join(', ')],
      ['Platforms', pushed?.manifest.platforms?.join(', ')],
      ['Build time', formatDuration(built.durationMs)],
      ['Push time', pushed ? formatDuration(pushed.durationMs) : undefined],
      ['Builder', detected.builder === 'buildx' ? `buildx (${detected.detail})` : 'classic docker build'],
      ['Commit', git.sha ? `${git.sha.slice(0, 7)} on ${git.ref}` : undefined],
    ]),
    htmlTable(['label', 'value'], [...labels].map(([k, v]) => [k, v])),
    inputs.tags.skipped.length ? details('Tag templates that did not apply', htmlTable(['template', 'why'], inputs.tags.skipped.map((s) => [s.template, s.reason]))) : '',
  );
}

interface BuildResult {
  output: BuildOutput;
  imageId?: string;
  localSize?: number;
  durationMs: number;
  metadataFile?: string;
}

async function build(
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
    let result;
    for (let attempt = 1; ; attempt++) {
      result = await exec('docker', args, { env: dockerBuildEnv(builder, process.env), signal: options.signal });
      if (result.aborted) throw new UserError('The build was cancelled.');
      if (result.exitCode === 0) break;
      const why = lastLines(result.stderr || result.stdout, 5);
      const pushFailure = output === 'push' ? buildxPushFailure(why) : undefined;
      if (pushFailure === 'auth') throw new UserError(`Registry ${inputs.repository.registry} refused the push by buildx${inputs.login.kind === 'none' ? '' : ` (logged in for ${inputs.login.kind === 'ecr' ? 'ECR' : `user '${inputs.login.username}'`})`}: ${why}`);
      if (pushFailure !== 'transient' || attempt >= 3) {
        throw new UserError(`docker ${builder === 'buildx' ? 'buildx build' : 'build'} failed with exit code ${result.exitCode}: ${why}`);
      }
      const delay = 1_000 * 2 ** (attempt - 1);
      logger.warning(`buildx could not push (${why.split('\n').at(-1)}); building again from cache in ${delay} ms (attempt ${attempt + 1} of 3).`);
      await new Promise((r) => setTimeout(r, delay));
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
    logger.info(`Built ${imageId ?? 'the image'} in ${formatDuration(Date.now() - started)} with the ${builder === 'buildx' ? 'buildx' : 'classic'} builder.`);
    return { output, ...(imageId ? { imageId } : {}), ...(localSize !== undefined ? { localSize } : {}), durationMs: Date.now() - started, ...(metadataFile ? { metadataFile } : {}) };
  });
}

async function pushAndVerify(
  inputs: BuildPushInputs,
  options: {
    output: BuildOutput;
    metadataFile: string | undefined;
    configDir: string;
    references: string[];
    credentials: BasicCredentials | undefined;
    username: string | undefined;
    logger: Logger;
    signal: AbortSignal;
  },
): Promise<{ digest: string; manifest: RemoteManifest; durationMs: number }> {
  const { repository } = inputs;
  const started = Date.now();
  const reported = new Map<string, string>();
  if (options.output === 'push') {
    // buildx pushed during the build; its metadata file holds the digest it pushed.
    const metadata = JSON.parse(readFileSync(options.metadataFile!, 'utf8')) as Record<string, unknown>;
    rmSync(options.metadataFile!, { force: true });
    const digest = metadata['containerimage.digest'];
    if (typeof digest !== 'string') throw new UserError(`docker buildx build --push wrote no containerimage.digest to ${options.metadataFile}.`);
    for (const ref of options.references) reported.set(ref, digest);
  } else {
    for (const [i, ref] of options.references.entries()) {
      options.logger.info(`(${i + 1}/${options.references.length}) docker push ${ref}`);
      const pushed = await pushTag(ref, {
        configDir: options.configDir,
        registry: repository.registry,
        ...(options.username ? { username: options.username } : {}),
        logger: options.logger,
        signal: options.signal,
      });
      reported.set(ref, pushed.digest);
    }
  }
  // The registry's word is final: every tag must resolve to the digest docker reported.
  let manifest: RemoteManifest | undefined;
  for (const ref of options.references) {
    const tag = ref.slice(repository.name.length + 1);
    const remote = await readManifest(repository, tag, { ...(options.credentials ? { credentials: options.credentials } : {}), logger: options.logger, signal: options.signal });
    const expected = reported.get(ref)!;
    if (remote.digest !== expected) {
      throw new UserError(`Registry ${repository.registry} says ${ref} is ${remote.digest}, but the push reported ${expected}: another job may have pushed the same tag at the same time.`);
    }
    manifest ??= remote;
  }
  options.logger.info(`Verified through the registry API: ${options.references.length} tag${options.references.length === 1 ? '' : 's'} → ${manifest!.digest} (${manifest!.mediaType}).`);
  return { digest: manifest!.digest, manifest: manifest!, durationMs: Date.now() - started };
}
