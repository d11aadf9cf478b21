import { exec } from '../../../shared/core/exec.js';
import { readEventPayload } from '../../../shared/github/event-payload.js';
import type { GitContext } from '../../../shared/github/git-context.js';
import type { Logger } from '../../../shared/core/logger.js';
import { normalizeTime } from '../../../shared/image/oci-labels.js';

/** The event payload (GITHUB_EVENT_PATH): it names the default branch and the commit's time. */
export function readEvent(logger: Logger): unknown {
  const { event, problem } = readEventPayload(process.env.GITHUB_EVENT_PATH);
  if (problem) logger.warning(`${problem}; the default branch falls back to the \`default-branch\` input.`);
  return event;
}

/** The commit's own time, so two builds of one commit carry the same `created` label. */
export async function commitTime(git: GitContext, context: string, signal: AbortSignal): Promise<{ created: string; from: string }> {
  const fromEvent = normalizeTime(git.commitTime);
  if (fromEvent) return { created: fromEvent, from: 'the pushed commit (event payload)' };
  if (git.sha) {
    const result = await exec('git', ['-C', context, 'show', '-s', '--format=%cI', git.sha], { stream: false, timeoutMs: 10_000, signal }).catch(
      () => undefined,
    );
    const fromGit = result?.exitCode === 0 ? normalizeTime(result.stdout.trim()) : undefined;
    if (fromGit) return { created: fromGit, from: `git show ${git.sha.slice(0, 7)}` };
  }
  return { created: new Date().toISOString(), from: 'the current time, as the commit time is not known here' };
}
