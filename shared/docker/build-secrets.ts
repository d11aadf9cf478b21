import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { registerSecret } from '../core/secrets.js';
import type { SecretMount } from './build-command.js';

/**
 * Build secrets, as docker/build-push-action and `docker buildx build --secret` write them:
 * `id=npm_token,env=NPM_TOKEN` (the value of a variable of the step) or `id=netrc,src=.netrc`
 * (a file, relative to the workspace). A Dockerfile reads one with
 * `RUN --mount=type=secret,id=npm_token …` at `/run/secrets/npm_token`; it is in no layer and
 * no history entry. An `env` secret is written to a file of its own (mode 0600, in a directory
 * only this process can enter) for the build and removed afterwards, so every builder gets the
 * same `id=…,src=…` and no value is ever an argument; the value is masked in the log.
 */
export type BuildSecret = { id: string; env: string } | { id: string; src: string };

const SECRET_ID = /^[A-Za-z0-9._-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses one line; throws an Error saying what is wrong (the caller names the input). */
export function parseBuildSecret(line: string, workspace: string): BuildSecret {
  const fields = new Map<string, string>();
  for (const part of line.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new Error(`${JSON.stringify(part)} is not key=value`);
    const key = part.slice(0, eq).trim();
    if (fields.has(key)) throw new Error(`${key} is given twice`);
    fields.set(key, part.slice(eq + 1).trim());
  }
  const id = fields.get('id');
  if (!id || !SECRET_ID.test(id)) throw new Error('an id of letters, digits, `.`, `_` and `-` is required');
  const type = fields.get('type');
  const env = fields.get('env');
  const src = fields.get('src') ?? fields.get('source');
  for (const key of fields.keys()) {
    if (!['id', 'type', 'env', 'src', 'source'].includes(key)) throw new Error(`unknown key ${JSON.stringify(key)} (id, env, src)`);
  }
  if ((env === undefined) === (src === undefined)) throw new Error('exactly one of env=… and src=… is required');
  if (type !== undefined && type !== (env !== undefined ? 'env' : 'file')) throw new Error(`type=${type} does not match ${env !== undefined ? 'env' : 'src'}=`);
  if (env !== undefined) {
    if (!ENV_NAME.test(env)) throw new Error(`env=${env} is not a variable name`);
    return { id, env };
  }
  return { id, src: path.resolve(workspace, src!) };
}

/**
 * Files for the builder, in a private directory; `remove()` deletes them (called whether the
 * build succeeds or not). Throws when an `env` secret's variable is unset or empty.
 */
export function materializeSecrets(
  secrets: readonly BuildSecret[],
  env: Readonly<Record<string, string | undefined>>,
  parent = process.env.RUNNER_TEMP || tmpdir(),
): { mounts: SecretMount[]; remove: () => void } {
  const envSecrets = secrets.filter((s): s is { id: string; env: string } => 'env' in s);
  const dir = envSecrets.length ? mkdtempSync(path.join(parent, 'ctp-build-secrets-')) : undefined;
  if (dir) chmodSync(dir, 0o700);
  const remove = () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const mounts = secrets.map((secret) => {
      if ('src' in secret) return { id: secret.id, file: secret.src };
      const value = env[secret.env];
      if (!value) throw new Error(`secret ${secret.id}: variable ${secret.env} is not set (or empty) in the step's environment`);
      registerSecret(value);
      const file = path.join(dir!, secret.id);
      writeFileSync(file, value, { mode: 0o600 });
      return { id: secret.id, file };
    });
    return { mounts, remove };
  } catch (error) {
    remove();
    throw error;
  }
}
