import type { GitHubClient } from './client.js';
import { splitRepository } from './repository.js';

/**
 * One pull-request comment kept current: found again by a hidden marker (an HTML comment GitHub
 * does not render) written by our own identity, and edited in place, so every run updates the
 * same comment instead of adding another. Anyone can post a comment holding the marker; one by
 * another author is not ours, is left alone, and a comment of our own is made beside it. The
 * lookup pages through the comments 100 at a time and stops at the first page holding ours.
 */

/** The login GITHUB_TOKEN writes as: the Actions app's bot. */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

export interface StickyComment {
  /** `owner/repo`. */
  repository: string;
  issueNumber: number;
  /** e.g. `<!-- commit-to-prod:run-test-tier tier=unit workflow=ci -->`; the body starts with it. */
  marker: string;
  body: string;
  /** The login our token writes as (default `github-actions[bot]`): only its comment is ours. */
  author?: string | undefined;
}

export interface PublishedComment {
  id: number;
  htmlUrl: string;
  action: 'created' | 'updated' | 'unchanged';
}

interface IssueComment {
  id: number;
  html_url: string;
  body?: string | undefined;
  user?: { login?: string } | null;
}

/** The most pages read looking for the marker (10,000 comments), so a lookup stays bounded. */
const MAX_PAGES = 100;

/** Logins are case-insensitive on GitHub. */
const sameLogin = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();

export async function findMarkedComment(
  { octokit }: GitHubClient,
  repository: string,
  issueNumber: number,
  marker: string,
  author: string = ACTIONS_BOT_LOGIN,
): Promise<IssueComment | undefined> {
  const { owner, repo } = splitRepository(repository);
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { data, headers } = await octokit.rest.issues.listComments({ owner, repo, issue_number: issueNumber, per_page: 100, page });
    const found = data.find((c) => c.body?.includes(marker) && sameLogin(c.user?.login, author));
    if (found) return found;
    if (!/rel="next"/.test(headers.link ?? '') || data.length === 0) return undefined;
  }
  return undefined;
}

/** Updates our marked comment, or creates it when `create` allows and there is none. */
export async function upsertComment(client: GitHubClient, comment: StickyComment, options: { create: boolean }): Promise<PublishedComment | undefined> {
  const { owner, repo } = splitRepository(comment.repository);
  const body = comment.body.startsWith(comment.marker) ? comment.body : `${comment.marker}\n${comment.body}`;
  const existing = await findMarkedComment(client, comment.repository, comment.issueNumber, comment.marker, comment.author ?? ACTIONS_BOT_LOGIN);
  if (existing) {
    if (existing.body === body) return { id: existing.id, htmlUrl: existing.html_url, action: 'unchanged' };
    const { data } = await client.octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
    return { id: data.id, htmlUrl: data.html_url, action: 'updated' };
  }
  if (!options.create) return undefined;
  const { data } = await client.octokit.rest.issues.createComment({ owner, repo, issue_number: comment.issueNumber, body });
  return { id: data.id, htmlUrl: data.html_url, action: 'created' };
}
