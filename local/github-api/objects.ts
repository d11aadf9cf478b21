/**
 * GitHub's shared objects as the REST API answers them, every member the OpenAPI description
 * requires: a user (simple-user), the GitHub Actions app (integration), a repository and a pull
 * request. URLs point back at the stand-in (`api`) or at the web (`server`) as GitHub's do.
 */

export interface Urls {
  /** The stand-in's own URL (what api.github.com is on GitHub). */
  api: string;
  /** The web UI's URL (https://github.com). */
  server: string;
}

export type SimpleUser = Record<string, unknown> & { login: string; id: number; type: string };

/** The account GITHUB_TOKEN writes as. */
export const ACTIONS_BOT: { login: string; id: number; type: string } = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };

export function simpleUser(urls: Urls, login: string, id: number, type = 'User'): SimpleUser {
  const url = `${urls.api}/users/${encodeURIComponent(login)}`;
  return {
    login,
    id,
    node_id: nodeId(type === 'Bot' ? 'BOT' : type === 'Organization' ? 'O' : 'U', id),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url,
    html_url: `${urls.server}/${login.replace(/\[bot\]$/, '')}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type,
    user_view_type: 'public',
    site_admin: false,
  };
}

/** The GitHub Actions app, which owns the check runs GITHUB_TOKEN creates. */
export function actionsApp(urls: Urls): Record<string, unknown> {
  return {
    id: 15368,
    slug: 'github-actions',
    client_id: 'Iv1.05c79e9ad1f6bdfa',
    node_id: 'MDM6QXBwMTUzNjg=',
    owner: simpleUser(urls, 'github', 9919, 'Organization'),
    name: 'GitHub Actions',
    description: 'Automate your workflow from idea to production',
    external_url: 'https://help.github.com/en/actions',
    html_url: `${urls.server}/apps/github-actions`,
    created_at: '2018-07-30T09:30:17Z',
    updated_at: '2024-04-10T20:33:16Z',
    permissions: {
      actions: 'write',
      checks: 'write',
      contents: 'write',
      deployments: 'write',
      issues: 'write',
      metadata: 'read',
      pull_requests: 'write',
      statuses: 'write',
    },
    events: ['check_run', 'check_suite', 'deployment', 'deployment_status', 'pull_request', 'push', 'workflow_dispatch'],
  };
}

/** A public repository of `owner/name`, as pull requests' head and base carry it. */
export function repository(urls: Urls, fullName: string, id: number): Record<string, unknown> {
  const [owner = '', name = ''] = fullName.split('/');
  const url = `${urls.api}/repos/${fullName}`;
  const html = `${urls.server}/${fullName}`;
  const templated = (path: string, suffix: string) => `${url}/${path}${suffix}`;
  return {
    id,
    node_id: nodeId('R', id),
    name,
    full_name: fullName,
    owner: simpleUser(urls, owner, 1_000_000 + id, 'Organization'),
    private: false,
    html_url: html,
    description: null,
    fork: false,
    url,
    archive_url: templated('{archive_format}', '{/ref}'),
    assignees_url: templated('assignees', '{/user}'),
    blobs_url: templated('git/blobs', '{/sha}'),
    branches_url: templated('branches', '{/branch}'),
    collaborators_url: templated('collaborators', '{/collaborator}'),
    comments_url: templated('comments', '{/number}'),
    commits_url: templated('commits', '{/sha}'),
    compare_url: templated('compare/{base}...{head}', ''),
    contents_url: templated('contents/{+path}', ''),
    contributors_url: templated('contributors', ''),
    deployments_url: templated('deployments', ''),
    downloads_url: templated('downloads', ''),
    events_url: templated('events', ''),
    forks_url: templated('forks', ''),
    git_commits_url: templated('git/commits', '{/sha}'),
    git_refs_url: templated('git/refs', '{/sha}'),
    git_tags_url: templated('git/tags', '{/sha}'),
    git_url: `git://github.com/${fullName}.git`,
    hooks_url: templated('hooks', ''),
    issue_comment_url: templated('issues/comments', '{/number}'),
    issue_events_url: templated('issues/events', '{/number}'),
    issues_url: templated('issues', '{/number}'),
    keys_url: templated('keys', '{/key_id}'),
    labels_url: templated('labels', '{/name}'),
    languages_url: templated('languages', ''),
    merges_url: templated('merges', ''),
    milestones_url: templated('milestones', '{/number}'),
    notifications_url: templated('notifications', '{?since,all,participating}'),
    pulls_url: templated('pulls', '{/number}'),
    releases_url: templated('releases', '{/id}'),
    ssh_url: `git@github.com:${fullName}.git`,
    stargazers_url: templated('stargazers', ''),
    statuses_url: templated('statuses', '/{sha}'),
    subscribers_url: templated('subscribers', ''),
    subscription_url: templated('subscription', ''),
    tags_url: templated('tags', ''),
    teams_url: templated('teams', ''),
    trees_url: templated('git/trees', '{/sha}'),
    clone_url: `${html}.git`,
    mirror_url: null,
    homepage: null,
    svn_url: html,
    language: 'TypeScript',
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 0,
    default_branch: 'main',
    open_issues_count: 0,
    open_issues: 0,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    archived: false,
    disabled: false,
    visibility: 'public',
    license: null,
    pushed_at: '2026-01-01T00:00:00Z',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
  };
}

/** An open pull request whose head is `headSha` on branch `head`, into `main`. */
export function pullRequest(urls: Urls, fullName: string, number: number, headSha: string, now: string): Record<string, unknown> {
  const id = 500_000 + number;
  const url = `${urls.api}/repos/${fullName}/pulls/${number}`;
  const html = `${urls.server}/${fullName}/pull/${number}`;
  const issue = `${urls.api}/repos/${fullName}/issues/${number}`;
  const author = simpleUser(urls, 'octocat', 583231);
  const repo = repository(urls, fullName, 100_000 + (hash(fullName) % 100_000));
  const owner = fullName.split('/')[0] ?? '';
  const side = (ref: string, sha: string) => ({ label: `${owner}:${ref}`, ref, sha, user: repo.owner, repo });
  const statuses = `${urls.api}/repos/${fullName}/statuses/${headSha}`;
  return {
    url,
    id,
    node_id: nodeId('PR', id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issue,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${urls.api}/repos/${fullName}/pulls/comments{/number}`,
    comments_url: `${issue}/comments`,
    statuses_url: statuses,
    number,
    state: 'open',
    locked: false,
    title: `Pull request #${number}`,
    user: author,
    body: null,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: now,
    updated_at: now,
    closed_at: null,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: side(`pr-${number}`, headSha),
    base: side('main', '0'.repeat(40)),
    _links: {
      self: { href: url },
      html: { href: html },
      issue: { href: issue },
      comments: { href: `${issue}/comments` },
      review_comments: { href: `${url}/comments` },
      review_comment: { href: `${urls.api}/repos/${fullName}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` },
      statuses: { href: statuses },
    },
    author_association: 'CONTRIBUTOR',
    auto_merge: null,
    draft: false,
    merged: false,
    mergeable: true,
    rebaseable: true,
    mergeable_state: 'clean',
    merged_by: null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: 1,
    deletions: 0,
    changed_files: 1,
  };
}

/** GitHub's newer global node IDs are a type prefix and an opaque suffix. */
function nodeId(prefix: string, id: number): string {
  return `${prefix}_kw${Buffer.from(String(id)).toString('base64url')}`;
}

function hash(text: string): number {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h;
}
