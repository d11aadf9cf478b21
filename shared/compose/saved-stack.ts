import { statSync } from 'node:fs';
import path, { isAbsolute, normalize } from 'node:path';

/**
 * The stack main saved for its post step, read back without trusting it. State is written by
 * whatever prints `::save-state` on the step's output (the deprecated command the runner still
 * obeys) or appends to GITHUB_STATE — a test command, a service's log, a report file's name —
 * so a post step runs nothing main could not have produced: a Compose command findCompose can
 * return, a project name with our prefix, file names and a directory, each checked here.
 */

export interface SavedStack {
  command: string[];
  project: string;
  files: string[];
  cwd: string;
}

/** composeProjectName()'s shape: `ctp-` then lower-case letters, digits, `-` and `_`. */
export const OWN_PROJECT_NAME = /^ctp-[a-z0-9][a-z0-9_-]{0,80}$/;

/**
 * Whether `command` is one findCompose can return: the plugin, the standalone binary from PATH,
 * or the standalone binary installCompose put in the runner's tool cache.
 */
export function isOwnComposeCommand(command: unknown, env: NodeJS.ProcessEnv = process.env): command is string[] {
  if (!Array.isArray(command) || !command.every((part) => typeof part === 'string')) return false;
  if (command.length === 2 && command[0] === 'docker' && command[1] === 'compose') return true;
  if (command.length !== 1) return false;
  const [program] = command as [string];
  if (program === 'docker-compose') return true;
  const toolCache = env.RUNNER_TOOL_CACHE;
  if (!toolCache || !isAbsolute(program) || normalize(program) !== program) return false;
  const rel = path.relative(path.join(toolCache, 'docker-compose'), program);
  // <version>/<arch>/docker-compose, as @actions/tool-cache lays a cached file out.
  return /^[0-9A-Za-z.+-]+\/[a-z0-9_]+\/docker-compose$/.test(rel);
}

/** The saved stack, or why it is not one this action saved. */
export function readSavedStack(
  saved: { project?: string; files?: string; command?: string; cwd?: string },
  env: NodeJS.ProcessEnv = process.env,
): SavedStack | { refused: string } {
  const { project } = saved;
  if (!project || !OWN_PROJECT_NAME.test(project)) return { refused: `the compose project name is not one of ours (ctp-…)` };
  const command = parseJson(saved.command ?? '["docker-compose"]');
  if (!isOwnComposeCommand(command, env))
    return { refused: `the compose command is not one this action runs (docker compose, docker-compose or the one it installs)` };
  const files = parseJson(saved.files ?? '[]');
  if (!Array.isArray(files) || !files.every((f) => typeof f === 'string' && f !== '')) return { refused: 'the compose files are not a list of file names' };
  const cwd = saved.cwd ?? process.cwd();
  if (!isAbsolute(cwd) || !isDirectory(cwd)) return { refused: 'the working directory is not a directory' };
  return { command, project, files: files as string[], cwd };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
