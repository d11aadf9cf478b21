import type { GitHubClient } from './client.js';
import { splitRepository } from './repository.js';

/**
 * A completed check run with every annotation. GitHub takes at most 50 annotations per request
 * and appends those of each update to the run's list, so the run is created with the first 50
 * and updated with the rest, 50 at a time: 120 annotations are three requests. Each update
 * repeats the output's title and summary, which GitHub requires beside annotations.
 */

export const ANNOTATIONS_PER_REQUEST = 50;

export interface CheckRunAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRunRequest {
  /** `owner/repo`. */
  repository: string;
  name: string;
  headSha: string;
  conclusion: 'success' | 'failure' | 'neutral' | 'cancelled';
  title: string;
  /** Markdown, at most 65,535 bytes. */
  summary: string;
  /** Markdown, at most 65,535 bytes. */
  text?: string;
  detailsUrl?: string;
  startedAt?: string;
  annotations: readonly CheckRunAnnotation[];
}

export interface PublishedCheckRun {
  id: number;
  name: string;
  htmlUrl: string;
  annotations: number;
}

export async function publishCheckRun({ octokit }: GitHubClient, run: CheckRunRequest): Promise<PublishedCheckRun> {
  const { owner, repo } = splitRepository(run.repository);
  const output = (annotations: readonly CheckRunAnnotation[]) => ({
    title: run.title,
    summary: run.summary,
    ...(run.text !== undefined ? { text: run.text } : {}),
    annotations: [...annotations],
  });
  const { data: created } = await octokit.rest.checks.create({
    owner,
    repo,
    name: run.name,
    head_sha: run.headSha,
    status: 'completed',
    conclusion: run.conclusion,
    ...(run.startedAt ? { started_at: run.startedAt } : {}),
    completed_at: new Date().toISOString(),
    ...(run.detailsUrl ? { details_url: run.detailsUrl } : {}),
    output: output(run.annotations.slice(0, ANNOTATIONS_PER_REQUEST)),
  });
  for (let from = ANNOTATIONS_PER_REQUEST; from < run.annotations.length; from += ANNOTATIONS_PER_REQUEST) {
    await octokit.rest.checks.update({ owner, repo, check_run_id: created.id, output: output(run.annotations.slice(from, from + ANNOTATIONS_PER_REQUEST)) });
  }
  return { id: created.id, name: run.name, htmlUrl: created.html_url ?? '', annotations: run.annotations.length };
}
