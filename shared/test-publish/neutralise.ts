/**
 * Test names and messages are written by whoever wrote the tests — on a pull request from a fork,
 * by anyone. Published as they are, `@team` would notify a team, `#123` or `GH-123` would link
 * (and cross-reference) an issue, and a bare `https://…` or `www.…` would become a link under the
 * repository's name. A zero-width space after the `@`, the `#`, before `-` in `GH-`, inside `://`
 * and after `www` keeps the text as it reads while GitHub's Markdown no longer sees a mention, a
 * reference or an autolink (the way Dependabot quotes release notes). Commit SHAs are left: a
 * link to a commit of this repository says nothing the text does not.
 */

const ZWSP = '\u200B';

/** Untrusted text bound for GitHub Markdown (a comment, a check run's summary). */
export function neutraliseReferences(text: string): string {
  return (
    text
      .replace(/@(?=[A-Za-z0-9])/g, `@${ZWSP}`)
      // Not `&#123;`: an HTML character reference is not a reference to an issue.
      .replace(/(?<!&)#(?=\d)/g, `#${ZWSP}`)
      .replace(/\b(GH)-(?=\d)/gi, `$1${ZWSP}-`)
      .replace(/:\/\//g, `:${ZWSP}//`)
      .replace(/\b(www)\./gi, `$1${ZWSP}.`)
  );
}

/** The same for HTML our code wrote around untrusted text: only text between tags is touched, never a tag or its attributes. */
export function neutraliseHtmlText(html: string): string {
  return html.replace(/(^|>)([^<]+)/g, (_m, open: string, textPart: string) => `${open}${neutraliseReferences(textPart)}`);
}
