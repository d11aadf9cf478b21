import { readFileSync } from 'node:fs';

/**
 * The event payload the runner writes to GITHUB_EVENT_PATH: the pull request, the default
 * branch, the pushed commit. Unreadable or absent, it is `{}` and the reason is given, for the
 * caller to say what it falls back to.
 */
export function readEventPayload(file: string | undefined): { event: unknown; problem?: string } {
  if (!file) return { event: {} };
  try {
    return { event: JSON.parse(readFileSync(file, 'utf8')) as unknown };
  } catch (error) {
    return { event: {}, problem: `Could not read the event payload ${file} (${(error as Error).message})` };
  }
}
