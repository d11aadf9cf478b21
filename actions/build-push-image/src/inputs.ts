import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { errorMessage, InputError, UserError } from '../../../shared/core/errors.js';
import { parseBuildSecret, type BuildSecret } from '../../../shared/docker/build-secrets.js';
import { parseCacheEntry, type CacheEntry } from '../../../shared/docker/cache-spec.js';
import { splitImageReference } from '../../../shared/image/reference.js';
import { looksLikeEcr, parseEcrHost } from '../../../shared/core/ecr-host.js';
import type { GitContext } from '../../../shared/github/git-context.js';
import { parseImageRepository, type ImageRepository } from '../../../shared/image/repository.js';
import { resolveTags, type ResolvedTags } from '../../../shared/image/tags.js';
import { ENV_NAME, type Inputs } from '../../../shared/core/inputs.js';
import { registerSecret } from '../../../shared/core/secrets.js';

/**
 * Every input of build-push-image, read and checked before anything is started: a bad tag, an
 * unreadable Dockerfile, a missing build stage or an ECR host without a region ends the step
 * here, with nothing built and nothing logged in.
 */
export const INPUT = {
  image: 'image',
  context: 'context',
  file: 'file',
  target: 'target',
  buildArgs: 'build-args',
  tags: 'tags',
  labels: 'labels',
  push: 'push',
  registryType: 'registry-type',
  username: 'registry-username',
  password: 'registry-password',
  awsRegion: 'aws-region',
  defaultBranch: 'default-branch',
  platforms: 'platforms',
  cacheFrom: 'cache-from',
  cacheTo: 'cache-to',
  secrets: 'secrets',
  ssh: 'ssh',
  provenance: 'provenance',
  sbom: 'sbom',
} as const;

export type RegistryLogin =
  | { kind: 'ecr'; region: string; accountId?: string; regionFrom: string }
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'none' };

export interface BuildPushInputs {
  repository: ImageRepository;
  context: string;
  file: string;
  target?: string;
  buildArgs: Map<string, string>;
  tags: ResolvedTags;
  extraLabels: Map<string, string>;
  push: boolean;
  login: RegistryLogin;
  platforms: string[];
  cacheFrom: CacheEntry[];
  cacheTo: CacheEntry[];
  secrets: BuildSecret[];
  /** `--ssh` values: `default`, `default=<socket>` or `<id>=<path>[,<path>]`. */
  ssh: string[];
  provenance?: string;
  sbom?: string;
}

const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;
const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

/** `FROM image AS name` stages of a Dockerfile, lower-cased as Docker compares them. */
export function dockerfileStages(dockerfile: string): string[] {
  return [...dockerfile.matchAll(/^\s*FROM\s+(?:--\S+\s+)*\S+\s+AS\s+(\S+)\s*$/gim)].map((m) => m[1]!.toLowerCase());
}

function readableFile(file: string, input: string, given: string): string {
  try {
    if (!statSync(file).isFile()) throw new Error('not a file');
    accessSync(file, constants.R_OK);
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(input, given, `a readable Dockerfile (${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

export function readInputs(source: Inputs, git: GitContext, env: Readonly<Record<string, string | undefined>>, workspace: string): BuildPushInputs {
  const repository = parseImageRepository(source.requiredString(INPUT.image, 'a repository such as `localhost:5000/app`'), INPUT.image);

  const contextGiven = source.string(INPUT.context, '.');
  if (/^[a-z]+:\/\//i.test(contextGiven) || contextGiven.startsWith('git@')) {
    throw new InputError(INPUT.context, contextGiven, 'a directory in the workspace (remote contexts are not supported: check the repository out first)');
  }
  const context = path.resolve(workspace, contextGiven);
  let contextIsDir = false;
  try {
    contextIsDir = statSync(context).isDirectory();
  } catch {
    /* reported below */
  }
  if (!contextIsDir) throw new InputError(INPUT.context, contextGiven, `a directory (${context} is not one)`);

  const fileGiven = source.optionalString(INPUT.file);
  const file = fileGiven ? path.resolve(workspace, fileGiven) : path.join(context, 'Dockerfile');
  const dockerfile = readableFile(file, INPUT.file, fileGiven ?? `(default) ${path.relative(workspace, file) || file}`);

  const target = source.optionalString(INPUT.target);
  if (target) {
    const stages = dockerfileStages(dockerfile);
    if (!stages.includes(target.toLowerCase())) {
      throw new InputError(
        INPUT.target,
        target,
        `a stage of ${path.relative(workspace, file) || file} (it has ${stages.length ? stages.map((s) => `\`${s}\``).join(', ') : 'no named stages'})`,
      );
    }
  }

  const buildArgs = source.keyValues(INPUT.buildArgs, { keyPattern: ENV_NAME, keyDescription: 'a build argument name (letters, digits, _)' });
  const extraLabels = source.keyValues(INPUT.labels, { keyPattern: LABEL_KEY, keyDescription: 'a label key such as `com.example.team`' });
  const tags = resolveTags(source.lines(INPUT.tags), git, INPUT.tags);
  if (tags.tags.length === 0) {
    throw new UserError(
      `Input '${INPUT.tags}' gave no tag for ${git.ref || 'this build'}: ${tags.skipped.map((s) => `${s.template} (${s.reason})`).join('; ') || 'it is empty'}. Add a tag that always applies, such as \`short-sha\`.`,
    );
  }
  const push = source.boolean(INPUT.push, true);

  const platforms = source.list(INPUT.platforms);
  for (const p of platforms) if (!PLATFORM.test(p)) throw new InputError(INPUT.platforms, p, 'platforms such as `linux/amd64,linux/arm64`');
  const cacheFrom = readCache(source, INPUT.cacheFrom, 'from');
  const cacheTo = readCache(source, INPUT.cacheTo, 'to');
  const secrets = source.lines(INPUT.secrets).map((line) => readSecret(line, workspace, env));
  const ssh = source.lines(INPUT.ssh).map((line) => readSsh(line, workspace, env));
  const provenance = readAttestation(source, INPUT.provenance);
  const sbom = readAttestation(source, INPUT.sbom);

  const login = readLogin(source, repository, env);
  return {
    repository,
    context,
    file,
    ...(target ? { target } : {}),
    buildArgs,
    tags,
    extraLabels,
    push,
    login,
    platforms,
    cacheFrom,
    cacheTo,
    secrets,
    ssh,
    ...(provenance !== undefined ? { provenance } : {}),
    ...(sbom !== undefined ? { sbom } : {}),
  };
}

function readCache(source: Inputs, input: string, direction: 'from' | 'to'): CacheEntry[] {
  return source.lines(input).map((line) => {
    let entry: CacheEntry;
    try {
      entry = parseCacheEntry(line, direction);
      if (entry.type === 'registry') splitImageReference(entry.ref);
    } catch (error) {
      throw new InputError(
        input,
        line,
        `a cache ${direction === 'from' ? 'source' : 'destination'} such as \`type=registry,ref=<image>${direction === 'to' ? ',mode=max' : ''}\` or \`type=inline\` (${errorMessage(error)})`,
      );
    }
    return entry;
  });
}

function readSecret(line: string, workspace: string, env: Readonly<Record<string, string | undefined>>): BuildSecret {
  let secret: BuildSecret;
  try {
    secret = parseBuildSecret(line, workspace);
  } catch (error) {
    throw new InputError(INPUT.secrets, line, `\`id=<id>,env=<VARIABLE>\` or \`id=<id>,src=<file>\`, one per line (${errorMessage(error)})`);
  }
  if ('env' in secret) {
    const value = env[secret.env];
    // Masked before any message could show it.
    registerSecret(value);
    if (!value)
      throw new InputError(
        INPUT.secrets,
        line,
        `a variable that is set: ${secret.env} is ${value === undefined ? 'not set' : 'empty'} in the step's environment (\`env:\` of the step, e.g. \`\${{ secrets.NPM_TOKEN }}\`)`,
      );
  } else if (!isReadableFile(secret.src)) {
    throw new InputError(INPUT.secrets, line, `a readable file (${secret.src} is not one)`);
  }
  return secret;
}

const SSH_ID = /^[A-Za-z0-9._-]+$/;

function readSsh(line: string, workspace: string, env: Readonly<Record<string, string | undefined>>): string {
  const eq = line.indexOf('=');
  const id = eq === -1 ? line : line.slice(0, eq);
  const expected = '`default` (the agent at SSH_AUTH_SOCK), `default=<agent socket>`, or `<id>=<key file>[,<key file>]`';
  if (!SSH_ID.test(id)) throw new InputError(INPUT.ssh, line, expected);
  if (eq === -1) {
    if (id !== 'default') throw new InputError(INPUT.ssh, line, `${expected}: only \`default\` may omit paths`);
    if (!env.SSH_AUTH_SOCK) throw new InputError(INPUT.ssh, line, `an SSH agent: SSH_AUTH_SOCK is not set (start one, e.g. with webfactory/ssh-agent)`);
    return 'default';
  }
  const paths = line
    .slice(eq + 1)
    .split(',')
    .map((p) => path.resolve(workspace, p.trim()));
  const missing = paths.find((p) => !existsSync(p));
  if (missing !== undefined) throw new InputError(INPUT.ssh, line, `${expected} (${missing} does not exist)`);
  return `${id}=${paths.join(',')}`;
}

function readAttestation(source: Inputs, input: string): string | undefined {
  const value = source.optionalString(input);
  if (value === undefined) return undefined;
  if (!/^(true|false|(mode|disabled|generator|builder-id|version|filename)=[^,]*(,[a-z-]+=[^,]*)*)$/.test(value)) {
    throw new InputError(input, value, '`true`, `false`, or buildx attestation options such as `mode=max`');
  }
  return value;
}

function isReadableFile(file: string): boolean {
  try {
    accessSync(file, constants.R_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function readLogin(source: Inputs, repository: ImageRepository, env: Readonly<Record<string, string | undefined>>): RegistryLogin {
  const type = source.choice(INPUT.registryType, ['auto', 'ecr', 'basic'] as const, 'auto');
  const username = source.optionalString(INPUT.username);
  const password = source.raw(INPUT.password) === '' ? undefined : source.raw(INPUT.password);
  registerSecret(password);
  const awsRegion = source.optionalString(INPUT.awsRegion);
  if (awsRegion !== undefined && !REGION.test(awsRegion)) throw new InputError(INPUT.awsRegion, awsRegion, 'an AWS region such as `eu-west-1`');

  const ecr = type === 'ecr' || (type === 'auto' && looksLikeEcr(repository.registry));
  if (ecr) {
    if (username !== undefined || password !== undefined) {
      throw new InputError(
        username !== undefined ? INPUT.username : INPUT.password,
        username ?? '***',
        `nothing for an ECR registry (${repository.registry}): ECR credentials come from GetAuthorizationToken; set \`${INPUT.registryType}: basic\` to use a username and password`,
      );
    }
    const host = parseEcrHost(repository.registry);
    const envRegion = env.AWS_REGION || env.AWS_DEFAULT_REGION;
    const [region, regionFrom] = awsRegion
      ? [awsRegion, `input '${INPUT.awsRegion}'`]
      : host
        ? [host.region, `the registry host ${repository.registry}`]
        : envRegion
          ? [envRegion, env.AWS_REGION ? 'AWS_REGION' : 'AWS_DEFAULT_REGION']
          : [undefined, ''];
    if (!region) {
      throw new InputError(
        INPUT.awsRegion,
        undefined,
        `an AWS region: the registry host ${repository.registry} is treated as ECR${type === 'ecr' ? ` (\`${INPUT.registryType}: ecr\`)` : ''} but has no region in the form <account>.dkr.ecr.<region>.amazonaws.com, and AWS_REGION is not set`,
      );
    }
    return { kind: 'ecr', region, regionFrom, ...(host ? { accountId: host.accountId } : {}) };
  }
  if (username === undefined && password === undefined) return { kind: 'none' };
  if (username === undefined) throw new InputError(INPUT.username, undefined, `a username to go with \`${INPUT.password}\``);
  if (password === undefined) throw new InputError(INPUT.password, undefined, `a password or token to go with \`${INPUT.username}\` '${username}'`);
  return { kind: 'basic', username, password };
}
