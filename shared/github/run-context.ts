import path from 'node:path';

/**
 * The workflow run an action step belongs to, read once from the runner's environment: where
 * its log is (the run URL, with the attempt when it is a re-run), who started it, the API to
 * talk to and the workspace. Every action reads these here, so a link or an audit record says
 * the same thing in all of them.
 */
export interface RunContext {
  /** `owner/repo`, or '' outside a workflow. */
  repository: string;
  serverUrl: string;
  /** GITHUB_API_URL: GitHub Enterprise and the local stand-in differ from api.github.com. */
  apiUrl: string;
  runId: string | undefined;
  /** The run's page (`…/actions/runs/ID`, `/attempts/N` from the second attempt on). */
  runUrl: string | undefined;
  /** Who triggered this attempt (a re-run's actor), else who started the run. */
  actor: string;
  eventName: string | undefined;
  workflow: string | undefined;
  sha: string | undefined;
  ref: string | undefined;
  workspace: string;
}

export function runContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const text = (value: string | undefined) => (value && value.trim() !== '' ? value : undefined);
  const repository = env.GITHUB_REPOSITORY ?? '';
  const serverUrl = (text(env.GITHUB_SERVER_URL) ?? 'https://github.com').replace(/\/+$/, '');
  const runId = text(env.GITHUB_RUN_ID);
  const attempt = text(env.GITHUB_RUN_ATTEMPT);
  return {
    repository,
    serverUrl,
    apiUrl: (text(env.GITHUB_API_URL) ?? 'https://api.github.com').replace(/\/+$/, ''),
    runId,
    runUrl: runId ? `${serverUrl}/${repository}/actions/runs/${runId}${attempt && attempt !== '1' ? `/attempts/${attempt}` : ''}` : undefined,
    actor: text(env.GITHUB_TRIGGERING_ACTOR) ?? text(env.GITHUB_ACTOR) ?? 'unknown',
    eventName: text(env.GITHUB_EVENT_NAME),
    workflow: text(env.GITHUB_WORKFLOW),
    sha: text(env.GITHUB_SHA),
    ref: text(env.GITHUB_REF),
    workspace: path.resolve(text(env.GITHUB_WORKSPACE) ?? process.cwd()),
  };
}
