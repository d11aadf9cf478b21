/**
 * The `docker run` argument array for one container, from a typed spec — a pure function, so
 * what the runner starts can be read (and tested) as a table of spec → args.
 *
 * The runner owns the flags that make a build safe and reproducible: the mounts, the user,
 * the entrypoint, the working directory, the name, `--rm` and the pull policy. `options` (the
 * user's extra flags) are parsed here without a shell and refused when they would replace one
 * of those; see parseDockerRunOptions.
 */

/** A bind mount (host path) or a named volume, mounted at `target` inside the container. */
export interface ContainerMount {
  /** An absolute host path (bind mount) or a Docker volume name. */
  source: string;
  /** Absolute path inside the container. */
  target: string;
  readOnly?: boolean;
}

export interface ContainerRunSpec {
  /** Image reference or ID (`sha256:…`). */
  image: string;
  /** Unique container name: what a timeout, a cancellation and the post step stop by. */
  name: string;
  labels?: Readonly<Record<string, string>>;
  /** `uid:gid` (or a user name) to run as. */
  user: string;
  /** The program run as PID 1's child (`--entrypoint`), e.g. `sh`. */
  entrypoint: string;
  /** Its arguments, e.g. `['-e', '/__ctp/script']`. */
  command: readonly string[];
  workdir: string;
  mounts: readonly ContainerMount[];
  /** A `KEY=VALUE` file read by the docker client (values never on the command line). */
  envFile?: string;
  /** Variables whose values the docker client takes from its own environment (`-e NAME`). */
  envFromClient?: readonly string[];
  network?: string;
  /** Run a tiny init as PID 1 so signals reach the build and zombies are reaped (default true). */
  init?: boolean;
  /** Extra flags, already validated by parseDockerRunOptions. */
  options?: readonly string[];
}

export function containerRunArgs(spec: ContainerRunSpec): string[] {
  const args = ['run', '--rm', '--name', spec.name, '--pull', 'never'];
  if (spec.init !== false) args.push('--init');
  for (const [key, value] of Object.entries(spec.labels ?? {})) args.push('--label', `${key}=${value}`);
  args.push('--user', spec.user, '--workdir', spec.workdir);
  for (const mount of spec.mounts) {
    for (const [what, path] of [
      ['source', mount.source],
      ['target', mount.target],
    ] as const) {
      // `-v a:b:ro` is split on colons by the docker client; a colon in a path cannot be expressed.
      if (path.includes(':')) throw new Error(`mount ${what} ${JSON.stringify(path)} contains ':', which docker -v cannot express`);
    }
    args.push('--volume', `${mount.source}:${mount.target}${mount.readOnly ? ':ro' : ''}`);
  }
  if (spec.envFile) args.push('--env-file', spec.envFile);
  for (const name of spec.envFromClient ?? []) args.push('--env', name);
  if (spec.network) args.push('--network', spec.network);
  args.push(...(spec.options ?? []));
  // `--` ends the options: whatever the image is, docker reads it as the image.
  args.push('--entrypoint', spec.entrypoint, '--', spec.image, ...spec.command);
  return args;
}

/** Flags of `docker run` that take no value; every other flag takes one (docker run --help). */
const BOOLEAN_FLAGS = new Set([
  '--init',
  '--privileged',
  '--read-only',
  '--interactive',
  '--tty',
  '--rm',
  '--detach',
  '--no-healthcheck',
  '--oom-kill-disable',
  '--sig-proxy',
  '--disable-content-trust',
  '--publish-all',
  '--quiet',
  '--help',
]);
const SHORT_BOOLEAN = new Map([
  ['i', '--interactive'],
  ['t', '--tty'],
  ['d', '--detach'],
  ['P', '--publish-all'],
  ['q', '--quiet'],
]);
const SHORT_WITH_VALUE = new Map([
  ['v', '--volume'],
  ['u', '--user'],
  ['w', '--workdir'],
  ['e', '--env'],
  ['l', '--label'],
  ['p', '--publish'],
  ['m', '--memory'],
  ['c', '--cpu-shares'],
  ['h', '--hostname'],
  ['a', '--attach'],
]);

/** Flags the runner sets itself, and why a user may not set them; the message says what to use instead. */
const REFUSED: Record<string, string> = {
  '--volume': 'the action sets the mounts (use the `volumes` input)',
  '--mount': 'the action sets the mounts (use the `volumes` input)',
  '--volumes-from': 'the action sets the mounts (use the `volumes` input)',
  '--user': 'the action sets the user (use the `user` input)',
  '--userns': 'the action sets the user (use the `user` input)',
  '--entrypoint': 'the action runs the script through `shell` (use the `shell` input)',
  '--workdir': 'the action sets the working directory (use the `working-directory` input)',
  '--name': 'the action names the container so that it can always stop and remove it',
  '--rm': 'the action always removes the container',
  '--detach': 'the action waits for the build and streams its output',
  '--attach': "the action attaches to the build's output itself",
  '--cidfile': 'the action tracks the container by name',
  '--pull': 'the action resolves the image itself (use the `pull` input)',
  '--network': 'use the `network` input',
  '--net': 'use the `network` input',
  '--help': 'it would print help instead of running the build',
  '--label-file': 'use `--label key=value`',
};

/**
 * Splits `options` into arguments — on whitespace, with '…' and "…" quoting and no expansion
 * (no shell ever sees them) — and checks each one is a `docker run` flag the runner does not
 * own. A bare word where a flag is expected is refused too: it would silently become the image.
 * Throws an Error whose message explains the problem; callers wrap it with the input's name.
 */
export function parseDockerRunOptions(text: string): string[] {
  const args = splitArguments(text);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const flag = eq === -1 ? arg : arg.slice(0, eq);
      refuseOwned(flag, arg);
      if (eq === -1 && !BOOLEAN_FLAGS.has(flag)) {
        if (i + 1 >= args.length) throw new Error(`\`${flag}\` needs a value`);
        i++;
      }
      refuseOwnLabel(flag, eq === -1 ? args[i]! : arg.slice(eq + 1));
    } else if (/^-[A-Za-z]/.test(arg)) {
      // Short flags can be grouped (`-it`); a flag taking a value ends the group (`-v/a:/b`).
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j]!;
        const long = SHORT_BOOLEAN.get(letter) ?? SHORT_WITH_VALUE.get(letter);
        if (!long) throw new Error(`\`-${letter}\` (in \`${arg}\`) is not a docker run flag this action knows; use its long form`);
        refuseOwned(long, arg);
        if (SHORT_WITH_VALUE.has(letter)) {
          if (j === arg.length - 1) {
            if (i + 1 >= args.length) throw new Error(`\`-${letter}\` needs a value`);
            i++;
            refuseOwnLabel(long, args[i]!);
          } else refuseOwnLabel(long, arg.slice(j + 1));
          break;
        }
      }
    } else {
      throw new Error(`\`${arg}\` is not a flag (each option must start with \`-\`; a value belongs right after its flag)`);
    }
  }
  return args;
}

/** The runner finds its containers by these labels; a later `--label` with the same key would win. */
export const OWN_LABEL_PREFIX = 'commit-to-prod.';

function refuseOwnLabel(flag: string, value: string): void {
  if (flag === '--label' && value.startsWith(OWN_LABEL_PREFIX)) {
    throw new Error(`\`--label ${value}\` is not allowed: \`${OWN_LABEL_PREFIX}*\` labels are how the action finds its containers to remove them`);
  }
}

function refuseOwned(flag: string, given: string): void {
  const why = REFUSED[flag];
  if (why) throw new Error(`\`${given}\` is not allowed: ${why}`);
}

/** Whitespace-separated words with '…' / "…" quoting (backslash escapes inside "…" and bare). */
export function splitArguments(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) current += text[++i];
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      current += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(current);
      current = '';
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} quote`);
  if (inWord) out.push(current);
  return out;
}
