import * as core from '@actions/core';

const known = new Set<string>();

/**
 * Registers a value as secret: the runner masks it in every later log line, and this process
 * remembers it so exec echoes, state and errors can refuse or mask it too.
 */
export function registerSecret(value: string | undefined): void {
  if (!value) return;
  core.setSecret(value);
  known.add(value);
  // The runner masks a multi-line secret line by line, so each line is registered as well.
  for (const line of value.split(/\r?\n/)) {
    if (line !== value && line.trim().length >= 4) {
      core.setSecret(line);
      known.add(line);
    }
  }
}

/** Replaces every registered secret (and any extra given) in `text` with ***. */
export function maskSecrets(text: string, extra: readonly string[] = []): string {
  let out = text;
  for (const secret of [...known, ...extra]) {
    if (secret) out = out.split(secret).join('***');
  }
  return out;
}

export function containsSecret(text: string): boolean {
  for (const secret of known) if (secret && text.includes(secret)) return true;
  return false;
}
