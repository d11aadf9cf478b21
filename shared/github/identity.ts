/**
 * Who wrote something on GitHub. A token writes as one login: `github-actions[bot]` for a
 * workflow's `github.token`, `<app-slug>[bot]` for a GitHub App's, the user's own for a personal
 * token. Records and comments are trusted only when that login wrote them, so anything else that
 * can write to the repository (another workflow's token, a collaborator) cannot pass for us.
 */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

/** A GitHub login: letters, digits and single hyphens, up to 39 characters; an app's bot adds `[bot]`. */
export function isGitHubLogin(text: string): boolean {
  return /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/.test(text);
}

export const GITHUB_LOGIN_EXPECTED = 'a GitHub login, e.g. `github-actions[bot]` (the default), `my-app[bot]` or `release-bot`';

/** GitHub logins are case-insensitive. */
export function sameLogin(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b.toLowerCase();
}
