import { InputError } from '../core/errors.js';
import type { GitContext } from '../github/git-context.js';
import { formatSemVer, parseSemVer } from './semver.js';

/**
 * Turns the `tags` templates into Docker tags from the git context. A template is a keyword
 * (`sha`, `short-sha`, `branch`, `pr`, `semver`, `major`, `minor`, `latest`) or a literal that may
 * hold `{{keyword}}` placeholders (`pr-{{short-sha}}`).
 *
 * On a pull request, `sha` and `short-sha` name the head commit (what the author pushed; the
 * merge commit GitHub built goes in the labels), `pr` is `pr-<number>`, and the `branch` keyword
 * is skipped: a fork's pull request from its own `main` must not move our `main` tag. A template
 * that names `{{branch}}` explicitly still gets the head branch. A keyword that does not apply to this build
 * (`semver` on a branch push, `latest` off the default branch) is skipped with a reason the log
 * shows; a tag that is illegal after templating is an input error, raised before anything builds.
 */
export const TAG_KEYWORDS = ['sha', 'short-sha', 'branch', 'pr', 'semver', 'major', 'minor', 'latest'] as const;
export type TagKeyword = (typeof TAG_KEYWORDS)[number];

/** Docker's tag grammar: a word character, then up to 127 of word characters, `.` and `-`. */
export const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export interface ResolvedTags {
  tags: string[];
  skipped: { template: string; reason: string }[];
}

/** A branch name as a legal tag: `feature/Login#2` → `feature-Login-2`. */
export function sanitizeBranch(branch: string): string {
  return branch
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 128)
    .replace(/[.-]+$/, '');
}

type KeywordValue = { value: string } | { reason: string };

export function keywordValue(keyword: TagKeyword, git: GitContext): KeywordValue {
  const sha = git.headSha ?? git.sha;
  switch (keyword) {
    case 'sha':
      return sha ? { value: sha } : { reason: 'no commit SHA (GITHUB_SHA is empty)' };
    case 'short-sha':
      return sha ? { value: sha.slice(0, 7) } : { reason: 'no commit SHA (GITHUB_SHA is empty)' };
    case 'pr':
      if (!git.pullRequest) return { reason: `${git.ref || 'this ref'} is not a pull request` };
      return git.pullRequestNumber !== undefined ? { value: `pr-${git.pullRequestNumber}` } : { reason: 'the event names no pull request number' };
    case 'branch': {
      if (!git.branch) return { reason: `${git.ref || 'this ref'} is not a branch` };
      const value = sanitizeBranch(git.branch);
      return value ? { value } : { reason: `branch '${git.branch}' has no character legal in a tag` };
    }
    case 'semver':
    case 'major':
    case 'minor': {
      if (!git.tag) return { reason: `${git.ref || 'this ref'} is not a tag` };
      const version = parseSemVer(git.tag);
      if (!version) return { reason: `tag '${git.tag}' is not a semantic version like v1.2.3` };
      if (keyword === 'semver') return { value: formatSemVer(version) };
      if (version.prerelease) return { reason: `pre-release ${formatSemVer(version)} does not move the ${keyword} tag` };
      if (keyword === 'minor') return { value: `${version.major}.${version.minor}` };
      if (version.major === 0) return { reason: `major version 0 promises no compatibility, so no '0' tag` };
      return { value: String(version.major) };
    }
    case 'latest':
      if (git.pullRequest) return { reason: 'a pull request build is never latest' };
      if (git.branch !== git.defaultBranch) {
        return { reason: `only a push to the default branch '${git.defaultBranch}' is latest (this is ${git.ref || 'no ref'})` };
      }
      return { value: 'latest' };
  }
}

function isKeyword(value: string): value is TagKeyword {
  return (TAG_KEYWORDS as readonly string[]).includes(value);
}

export function resolveTags(templates: readonly string[], git: GitContext, inputName = 'tags'): ResolvedTags {
  const tags: string[] = [];
  const skipped: ResolvedTags['skipped'] = [];
  for (const template of templates) {
    let tag: string;
    if (isKeyword(template)) {
      if (template === 'branch' && git.pullRequest) {
        skipped.push({
          template,
          reason: `a pull request build gets \`pr\` (pr-${git.pullRequestNumber ?? 'N'}), not its head branch's tag; write \`{{branch}}\` to ask for it`,
        });
        continue;
      }
      const v = keywordValue(template, git);
      if ('reason' in v) {
        skipped.push({ template, reason: v.reason });
        continue;
      }
      tag = v.value;
    } else {
      let reason: string | undefined;
      tag = template.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_all, name: string) => {
        if (!isKeyword(name) || name === 'latest') {
          throw new InputError(
            inputName,
            template,
            `placeholders among ${TAG_KEYWORDS.filter((k) => k !== 'latest')
              .map((k) => `{{${k}}}`)
              .join(', ')} (found {{${name}}})`,
          );
        }
        const v = keywordValue(name, git);
        if ('reason' in v) {
          reason ??= v.reason;
          return '';
        }
        return v.value;
      });
      if (reason) {
        skipped.push({ template, reason });
        continue;
      }
    }
    if (!TAG_PATTERN.test(tag)) {
      throw new InputError(
        inputName,
        template,
        `a legal Docker tag after templating (it became ${JSON.stringify(tag)}; a tag is 1–128 of A–Z a–z 0–9 _ . - and cannot start with . or -)`,
      );
    }
    if (!tags.includes(tag)) tags.push(tag);
  }
  return { tags, skipped };
}
