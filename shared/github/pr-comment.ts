import type { GitHubRest } from './rest-client.js';

/**
 * One pull-request comment kept current: found again by a hidden marker (an HTML comment
 * GitHub does not render) and edited in place, so every run updates the same comment instead
 * of adding another. The lookup pages through the comments 100 at a time and stops at the
 * first page holding the marker.
 */

export interface StickyComment {
  /** `owner/repo`. */
  repository: string;
  issueNumber: number;
  /** e.g. `<!-- commit-to-prod:run-test-tier tier=unit workflow=ci -->`; the body starts with it. */
  marker: string;
  body: string;
}

export interface PublishedComment {
  id: number;
  htmlUrl: string;
  action: 'created' | 'updated' | 'unchanged';
}

interface IssueComment {
  id: number;
  html_url: string;
  body?: string;
}

/** The most pages read looking for the marker (10,000 comments), so a lookup stays bounded. */
const MAX_PAGES = 100;

export async function findMarkedComment(client: GitHubRest, repository: string, issueNumber: number, marker: string): Promise<IssueComment | undefined> {
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { data, headers } = await client.request<IssueComment[]>('GET', `/repos/${repository}/issues/${issueNumber}/comments?per_page=100&page=${page}`);
    const found = data.find((c) => c.body?.includes(marker));
    if (found) return found;
    if (!/rel="next"/.test(headers.get('link') ?? '') || data.length === 0) return undefined;
  }
  return undefined;
}

/** Updates the marked comment, or creates it when `create` allows and there is none. */
export async function upsertComment(client: GitHubRest, comment: StickyComment, options: { create: boolean }): Promise<PublishedComment | undefined> {
  const body = comment.body.startsWith(comment.marker) ? comment.body : `${comment.marker}\n${comment.body}`;
  const existing = await findMarkedComment(client, comment.repository, comment.issueNumber, comment.marker);
  if (existing) {
    if (existing.body === body) return { id: existing.id, htmlUrl: existing.html_url, action: 'unchanged' };
    const { data } = await client.request<IssueComment>('PATCH', `/repos/${comment.repository}/issues/comments/${existing.id}`, { body });
    return { id: data.id, htmlUrl: data.html_url, action: 'updated' };
  }
  if (!options.create) return undefined;
  const { data } = await client.request<IssueComment>('POST', `/repos/${comment.repository}/issues/${comment.issueNumber}/comments`, { body });
  return { id: data.id, htmlUrl: data.html_url, action: 'created' };
}
