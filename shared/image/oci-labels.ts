import type { GitContext } from '../github/git-context.js';

/**
 * The OCI image annotations (https://specs.opencontainers.org/image-spec/annotations/) a build
 * carries so that anyone holding the image can find the commit it came from.
 */
export interface OciLabelValues {
  /** When the image's content was made: the commit time when known, so rebuilds of one commit agree. */
  created: string;
  version: string;
  title: string;
}

export function ociLabels(git: GitContext, values: OciLabelValues): Map<string, string> {
  const labels = new Map<string, string>();
  if (git.repository) labels.set('org.opencontainers.image.source', `${git.serverUrl}/${git.repository}`);
  // The revision is what was built: on a pull request, GitHub's merge commit (GITHUB_SHA), while
  // the tags name the head commit; the head and the number are labelled so either leads back.
  if (git.sha) labels.set('org.opencontainers.image.revision', git.sha);
  if (git.pullRequestNumber !== undefined) labels.set('commit-to-prod.pull-request', String(git.pullRequestNumber));
  if (git.headSha) labels.set('commit-to-prod.pull-request.head', git.headSha);
  labels.set('org.opencontainers.image.created', values.created);
  if (values.version) labels.set('org.opencontainers.image.version', values.version);
  if (values.title) labels.set('org.opencontainers.image.title', values.title);
  return labels;
}

/** RFC 3339 in UTC, or undefined when `value` is not a time. */
export function normalizeTime(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The user's labels win over the generated ones, in their order after ours. */
export function mergeLabels(generated: ReadonlyMap<string, string>, extra: ReadonlyMap<string, string>): { labels: Map<string, string>; overridden: string[] } {
  const labels = new Map(generated);
  const overridden: string[] = [];
  for (const [key, value] of extra) {
    if (labels.has(key) && labels.get(key) !== value) overridden.push(key);
    labels.set(key, value);
  }
  return { labels, overridden };
}
