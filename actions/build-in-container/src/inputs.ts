import { statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../../shared/core/errors.js';
import { parseImageInput } from '../../../shared/image/reference.js';
import { ENV_NAME, type Inputs } from '../../../shared/core/inputs.js';
import { parseShell, SH } from '../../../shared/core/shell.js';
import { CACHE_STORAGES, resolveBuildCaches, type BuildCache } from '../../../shared/container/build-caches.js';
import { parseDockerRunOptions, type ContainerMount } from '../../../shared/container/run-args.js';
import { CONTAINER_HOME, CONTAINER_RUN_DIR, PULL_POLICIES, defaultUser, isWithin, type PullPolicy } from '../../../shared/container/runner.js';
import { errorMessage } from '../../../shared/core/errors.js';

/** Every input of build-in-container, validated: nothing is started until all of these pass. */
export interface BuildInputs {
  image: string;
  script: string;
  shell: string[];
  /** `shell` as given, for messages. */
  shellText: string;
  workingDirectory: string;
  env: Record<string, string>;
  passEnv: string[];
  caches: BuildCache[];
  mounts: ContainerMount[];
  user: string;
  pull: PullPolicy;
  credentials?: { username: string; password: string };
  network?: string;
  timeoutMs?: number;
  options: string[];
}

const VOLUME_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const USER = /^(\d+(:\d+)?|[a-z_][a-z0-9_-]*(:[a-z_][a-z0-9_-]*)?)$/;
const NETWORK = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;

export function readBuildInputs(
  inputs: Inputs,
  runner: {
    workspace: string;
    repository?: string;
    /** The runner's HOME. */ home?: string;
    /** RUNNER_TOOL_CACHE. */ toolCache?: string;
    /** Volume caches of another trust scope are other volumes (cacheTrustScope). */ cacheScope?: string;
  },
): BuildInputs {
  const image = inputs.requiredString('image', 'an image reference such as `maven:3`');
  // Docker's reference grammar, before any docker call: `--privileged` is an input error, not an option.
  parseImageInput(image, 'image');
  const script = inputs.raw('run');
  if (script.trim() === '') throw new InputError('run', undefined, 'a build script');

  // GitHub's meaning of `shell` (core/shell.ts), as in run-test-tier: `sh` is `sh -e {0}`.
  const shellText = inputs.string('shell', 'sh');
  const shell = parseShell(shellText, SH);

  const workspace = runner.workspace;
  const workingDirectory = path.resolve(workspace, inputs.string('working-directory', '.'));
  if (!isWithin(workingDirectory, workspace)) {
    throw new InputError('working-directory', inputs.raw('working-directory'), `a directory inside the workspace (${workspace})`);
  }
  if (!isDirectory(workingDirectory)) {
    throw new InputError('working-directory', inputs.raw('working-directory'), `an existing directory (${workingDirectory} does not exist)`);
  }

  const env = Object.fromEntries(inputs.keyValues('env', { keyPattern: ENV_NAME, keyDescription: 'a variable name (letters, digits, _)' }));
  const passEnv = inputs.list('pass-env');
  for (const name of passEnv) if (!ENV_NAME.test(name)) throw new InputError('pass-env', name, 'names of variables (letters, digits, _)');

  const userGiven = inputs.optionalString('user');
  if (userGiven !== undefined && !USER.test(userGiven)) throw new InputError('user', userGiven, '`uid:gid` (e.g. `1001:1001`), a uid, or a user name');
  const user = userGiven ?? defaultUser();

  const cacheStorage = inputs.choice('cache-storage', CACHE_STORAGES, 'host');
  let caches: BuildCache[];
  try {
    caches = resolveBuildCaches(inputs.list('caches'), {
      home: CONTAINER_HOME,
      key: inputs.optionalString('cache-key') ?? runner.repository ?? 'default',
      user,
      ...(runner.cacheScope ? { scope: runner.cacheScope } : {}),
      storage: cacheStorage,
      ...(runner.home ? { hostHome: runner.home } : {}),
      ...(runner.toolCache ? { toolCache: runner.toolCache } : {}),
    });
  } catch (error) {
    throw new InputError(
      'caches',
      inputs.raw('caches').trim(),
      `presets \`maven\`, \`gradle\`, \`npm\`, \`pip\` or absolute container paths (${errorMessage(error)})`,
    );
  }

  const mounts = inputs.lines('volumes').map((line) => parseVolume(line, workspace));
  const targets = [...caches.map((c) => c.target), ...mounts.map((m) => m.target)];
  const duplicate = targets.find((t, i) => targets.indexOf(t) !== i);
  if (duplicate)
    throw new InputError('volumes', inputs.raw('volumes').trim(), `each container path mounted once (${duplicate} is mounted twice, counting caches)`);

  const pull = inputs.choice('pull', PULL_POLICIES, 'missing');
  const username = inputs.optionalString('registry-username');
  const password = inputs.raw('registry-password');
  if ((username === undefined) !== (password === '')) {
    throw new InputError(
      username === undefined ? 'registry-username' : 'registry-password',
      undefined,
      'both `registry-username` and `registry-password`, or neither',
    );
  }

  const network = inputs.optionalString('network');
  if (network !== undefined && !NETWORK.test(network)) throw new InputError('network', network, 'a Docker network name such as `host` or `my-stack_default`');

  const timeoutMs = inputs.optionalDuration('timeout');
  if (timeoutMs !== undefined && timeoutMs <= 0) throw new InputError('timeout', inputs.raw('timeout'), 'a duration above zero, or empty for none');

  let options: string[];
  try {
    options = parseDockerRunOptions(inputs.raw('options'));
  } catch (error) {
    throw new InputError('options', inputs.raw('options').trim(), `extra \`docker run\` flags: ${errorMessage(error)}`);
  }

  return {
    image,
    script,
    shell,
    shellText,
    workingDirectory,
    env,
    passEnv,
    caches,
    mounts,
    user,
    pull,
    ...(username !== undefined ? { credentials: { username, password } } : {}),
    ...(network !== undefined ? { network } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    options,
  };
}

/** `source:target[:ro|:rw]`; a source is an absolute path, a path relative to the workspace, or a volume name. */
export function parseVolume(line: string, workspace: string): ContainerMount {
  const parts = line.split(':');
  const mode = parts.length === 3 ? parts[2] : undefined;
  const [source, target] = parts;
  const expected = '`source:target` or `source:target:ro`, with an absolute target, and a source that is a host path or a volume name';
  if (parts.length < 2 || parts.length > 3 || !source || !target || (mode !== undefined && mode !== 'ro' && mode !== 'rw')) {
    throw new InputError('volumes', line, expected);
  }
  if (!target.startsWith('/')) throw new InputError('volumes', line, expected);
  const normalizedTarget = path.posix.normalize(target).replace(/(.)\/+$/, '$1');
  if (normalizedTarget === workspace || normalizedTarget === '/' || isWithin(normalizedTarget, CONTAINER_RUN_DIR)) {
    throw new InputError('volumes', line, `a target other than the workspace, \`/\` and ${CONTAINER_RUN_DIR} (the action mounts those itself)`);
  }
  let resolvedSource: string;
  if (source.startsWith('/') || source.startsWith('.')) resolvedSource = path.resolve(workspace, source);
  else if (VOLUME_NAME.test(source)) resolvedSource = source;
  else throw new InputError('volumes', line, expected);
  return { source: resolvedSource, target: normalizedTarget, ...(mode === 'ro' ? { readOnly: true } : {}) };
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
