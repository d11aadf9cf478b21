import { InputError } from './errors.js';

/**
 * What `shell` means in every action: GitHub's own meaning for a `run:` step. `bash` is
 * `bash --noprofile --norc -eo pipefail {0}`, `sh` is `sh -e {0}`, and anything else is a
 * program with arguments, split on spaces as a workflow's `shell:` is, where `{0}` stands for
 * the script file (appended when absent). The script is always a file, never `-c` text.
 */

export const BASH = ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '{0}'] as const;
export const SH = ['sh', '-e', '{0}'] as const;

/** The placeholder for the script file, replaced in one place: scriptCommand. */
export const SCRIPT_PLACEHOLDER = '{0}';

export function parseShell(value: string | undefined, fallback: readonly string[], input = 'shell'): string[] {
  const text = (value ?? '').trim();
  if (text === '') return [...fallback];
  if (text === 'bash') return [...BASH];
  if (text === 'sh') return [...SH];
  const words = text.split(/\s+/);
  if (words.some((w) => /[;&|<>`$()]/.test(w))) {
    throw new InputError(input, text, '`bash`, `sh`, or a program with arguments such as `bash -e {0}` or `python3 {0}` (no shell operators)');
  }
  return words.includes(SCRIPT_PLACEHOLDER) ? words : [...words, SCRIPT_PLACEHOLDER];
}

/** The program and arguments that run `scriptPath` with `shell` (as parseShell returns it). */
export function scriptCommand(shell: readonly string[], scriptPath: string, input = 'shell'): { command: string; args: string[] } {
  const [command, ...rest] = shell;
  if (!command) throw new InputError(input, '', 'a program to run the script with');
  const args = rest.includes(SCRIPT_PLACEHOLDER) ? rest.map((a) => (a === SCRIPT_PLACEHOLDER ? scriptPath : a)) : [...rest, scriptPath];
  return { command, args };
}
