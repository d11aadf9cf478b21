import { exec, lastLines } from '../core/exec.js';
import { registerSecret } from '../core/secrets.js';

/**
 * The Docker credential helper protocol (github.com/docker/docker-credential-helpers): a program
 * `docker-credential-<name>` on PATH, one verb as its argument, the request on stdin, JSON on
 * stdout. `get` takes the server URL and answers `{"ServerURL","Username","Secret"}`, or exits
 * non-zero with "credentials not found in native keychain"; `list` answers `{url: username}`.
 * A Username of `<token>` marks the Secret as an identity (refresh) token, not a password.
 */
export interface HelperCredentials {
  username: string;
  secret: string;
  /** The secret is an identity token (Username `<token>`), not usable for Basic auth. */
  identityToken: boolean;
}

const NOT_FOUND = /credentials not found/i;
const TIMEOUT_MS = 15_000;

export function helperProgram(name: string): string {
  return `docker-credential-${name}`;
}

/** `get`; undefined when the helper holds nothing for `serverUrl`. Throws when it cannot run or fails otherwise. */
export async function helperGet(name: string, serverUrl: string, options: { signal?: AbortSignal } = {}): Promise<HelperCredentials | undefined> {
  const result = await exec(helperProgram(name), ['get'], {
    stdin: serverUrl,
    stream: false,
    timeoutMs: TIMEOUT_MS,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (result.exitCode !== 0) {
    const why = lastLines(result.stdout || result.stderr, 2);
    if (NOT_FOUND.test(why)) return undefined;
    throw new Error(`${helperProgram(name)} get ${serverUrl} failed (exit code ${result.exitCode}): ${why}`);
  }
  let answer: { Username?: unknown; Secret?: unknown };
  try {
    answer = JSON.parse(result.stdout) as typeof answer;
  } catch {
    throw new Error(`${helperProgram(name)} get ${serverUrl} printed no JSON`);
  }
  if (typeof answer.Secret !== 'string' || answer.Secret === '') return undefined;
  registerSecret(answer.Secret);
  const username = typeof answer.Username === 'string' ? answer.Username : '';
  return { username, secret: answer.Secret, identityToken: username === '<token>' };
}

/** `list`: the server URLs the helper holds credentials for (usernames are not needed). */
export async function helperList(name: string, options: { signal?: AbortSignal } = {}): Promise<string[]> {
  const result = await exec(helperProgram(name), ['list'], { stream: false, timeoutMs: TIMEOUT_MS, ...(options.signal ? { signal: options.signal } : {}) });
  if (result.exitCode !== 0) {
    throw new Error(`${helperProgram(name)} list failed (exit code ${result.exitCode}): ${lastLines(result.stdout || result.stderr, 2)}`);
  }
  const parsed = JSON.parse(result.stdout || '{}') as unknown;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${helperProgram(name)} list printed no JSON object`);
  return Object.keys(parsed);
}
