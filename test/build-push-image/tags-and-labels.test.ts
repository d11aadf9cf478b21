import { describe, expect, it } from 'vitest';
import { InputError } from '../../shared/core/errors.js';
import { gitContextFrom, type GitContext } from '../../shared/github/git-context.js';
import { resolveTags, sanitizeBranch } from '../../shared/image/tags.js';
import { mergeLabels, normalizeTime, ociLabels } from '../../shared/image/oci-labels.js';
import { formatSemVer, parseSemVer } from '../../shared/image/semver.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const git = (ref: string, extra: Partial<GitContext> = {}): GitContext => ({
  ...gitContextFrom({ GITHUB_REF: ref, GITHUB_SHA: SHA, GITHUB_REPOSITORY: 'acme/payments-api' }, { repository: { default_branch: 'main' } }),
  ...extra,
});
const DEFAULTS = ['short-sha', 'branch', 'pr', 'semver', 'minor', 'major', 'latest'];
const HEAD = 'fedcba9876543210fedcba9876543210fedcba98';
// A fork's pull request from its own `main`, as GitHub sends it: GITHUB_SHA is the merge commit.
const forkPr = () =>
  gitContextFrom(
    { GITHUB_REF: 'refs/pull/7/merge', GITHUB_SHA: SHA, GITHUB_HEAD_REF: 'main', GITHUB_REPOSITORY: 'acme/payments-api' },
    {
      number: 7,
      pull_request: { number: 7, head: { ref: 'main', sha: HEAD, repo: { full_name: 'fork/payments-api' } } },
      repository: { default_branch: 'main' },
    },
  );

describe('pull requests', () => {
  it('names the number and the head commit, and labels the merge commit as the revision', () => {
    const context = forkPr();
    expect(context).toMatchObject({ pullRequest: true, pullRequestNumber: 7, headSha: HEAD, sha: SHA, branch: 'main' });
    const labels = ociLabels(context, { created: '2026-01-01T00:00:00.000Z', version: 'pr-7', title: 'app' });
    expect(labels.get('org.opencontainers.image.revision')).toBe(SHA);
    expect(labels.get('commit-to-prod.pull-request')).toBe('7');
    expect(labels.get('commit-to-prod.pull-request.head')).toBe(HEAD);
    expect(resolveTags(['branch'], context).skipped[0]!.reason).toMatch(/pull request build gets `pr` \(pr-7\)/);
  });
  it('takes the number from the ref when the payload has none', () => {
    expect(gitContextFrom({ GITHUB_REF: 'refs/pull/31/merge' }, {})).toMatchObject({ pullRequestNumber: 31 });
  });
});

describe('git context from the runner', () => {
  it.each([
    [{ GITHUB_REF: 'refs/heads/main' }, {}, 'x', { branch: 'main', defaultBranch: 'x', pullRequest: false }],
    [{ GITHUB_REF: 'refs/heads/dev' }, { repository: { default_branch: 'dev' } }, 'main', { branch: 'dev', defaultBranch: 'dev' }],
    [{ GITHUB_REF: 'refs/tags/v1.2.3' }, {}, 'main', { tag: 'v1.2.3', pullRequest: false }],
    [{ GITHUB_REF: 'refs/pull/12/merge', GITHUB_HEAD_REF: 'fix/x' }, {}, 'main', { branch: 'fix/x', pullRequest: true }],
    [{ GITHUB_REF: 'refs/pull/12/merge' }, { pull_request: { head: { ref: 'from-payload' } } }, 'main', { branch: 'from-payload' }],
    [{ GITHUB_REF: 'refs/heads/main' }, { head_commit: { timestamp: '2026-01-02T03:04:05Z' } }, 'main', { commitTime: '2026-01-02T03:04:05Z' }],
    [{ GITHUB_REF: 'refs/heads/main', GITHUB_SERVER_URL: 'https://ghe.example.com/' }, null, 'main', { serverUrl: 'https://ghe.example.com' }],
  ] as const)('%j + event %j', (env, event, fallback, expected) => {
    expect(gitContextFrom(env, event, fallback)).toMatchObject(expected);
  });
});

describe('tag templates → tags', () => {
  it.each([
    ['push to the default branch', git('refs/heads/main'), DEFAULTS, ['0123456', 'main', 'latest']],
    ['push to a feature branch', git('refs/heads/feature/Login#2'), DEFAULTS, ['0123456', 'feature-Login-2']],
    ['release tag', git('refs/tags/v1.2.3'), DEFAULTS, ['0123456', '1.2.3', '1.2', '1']],
    ['release tag without v', git('refs/tags/2.0.1'), DEFAULTS, ['0123456', '2.0.1', '2.0', '2']],
    ['pre-release moves neither minor nor major', git('refs/tags/v1.3.0-rc.1'), DEFAULTS, ['0123456', '1.3.0-rc.1']],
    ['build metadata is dropped', git('refs/tags/v1.2.3+build.7'), ['semver'], ['1.2.3']],
    ['major 0 gets no major tag', git('refs/tags/v0.4.1'), DEFAULTS, ['0123456', '0.4.1', '0.4']],
    ['a non-semver tag', git('refs/tags/nightly'), DEFAULTS, ['0123456']],
    [
      'a pull request is never latest, nor its head branch',
      git('refs/pull/7/merge', { branch: 'main', pullRequest: true, pullRequestNumber: 7 }),
      DEFAULTS,
      ['0123456', 'pr-7'],
    ],
    ["a fork's pull request from main: head commit, pr-7, no main", forkPr(), DEFAULTS, ['fedcba9', 'pr-7']],
    ['{{branch}} asks for the head branch on a pull request', forkPr(), ['sha', '{{branch}}', 'pr-{{short-sha}}'], [HEAD, 'main', 'pr-fedcba9']],
    ['pr off a pull request is skipped', git('refs/heads/main'), ['pr'], []],
    ['default branch from the payload', git('refs/heads/trunk', { defaultBranch: 'trunk' }), ['latest'], ['latest']],
    ['full sha and literals', git('refs/heads/main'), ['sha', 'stable', 'stable'], [SHA, 'stable']],
    ['placeholders in a literal', git('refs/heads/feat/x'), ['{{branch}}-{{short-sha}}', 'v{{ semver }}'], ['feat-x-0123456']],
  ])('%s', (_name, context, templates, expected) => {
    expect(resolveTags(templates, context).tags).toEqual(expected);
  });

  it('says why a template did not apply', () => {
    expect(resolveTags(['latest', 'semver'], git('refs/heads/dev')).skipped).toEqual([
      { template: 'latest', reason: "only a push to the default branch 'main' is latest (this is refs/heads/dev)" },
      { template: 'semver', reason: 'refs/heads/dev is not a tag' },
    ]);
  });

  it.each([
    ['a slash', 'a/b', /became "a\/b"/],
    ['a leading dash', '-x', /became "-x"/],
    ['129 characters', 'x'.repeat(129), /a legal Docker tag/],
    ['a placeholder producing a bad tag', '.{{short-sha}}', /became "\.0123456"/],
    ['latest as a placeholder', '{{latest}}', /found \{\{latest\}\}/],
  ])('refuses %s', (_name, template, message) => {
    const run = () => resolveTags([template], git('refs/heads/main'));
    expect(run).toThrow(InputError);
    expect(run).toThrow(message);
  });

  it.each([
    ['feature/Login#2', 'feature-Login-2'],
    ['.hidden', 'hidden'],
    ['--x--', 'x'],
    ['ü', ''],
    ['a'.repeat(200), 'a'.repeat(128)],
  ])('sanitises branch %j → %j', (branch, tag) => {
    expect(sanitizeBranch(branch)).toBe(tag);
  });
});

describe('semantic versions', () => {
  it.each([
    ['v1.2.3', '1.2.3'],
    ['1.2.3-rc.1+sha.5', '1.2.3-rc.1'],
    ['v01.2.3', undefined],
    ['v1.2', undefined],
    ['release-1.2.3', undefined],
  ])('%s → %s', (value, expected) => {
    const v = parseSemVer(value);
    expect(v ? formatSemVer(v) : undefined).toBe(expected);
  });
});

describe('OCI labels', () => {
  it('come from the git context', () => {
    expect(Object.fromEntries(ociLabels(git('refs/tags/v1.2.3'), { created: '2026-01-01T00:00:00.000Z', version: '1.2.3', title: 'payments-api' }))).toEqual({
      'org.opencontainers.image.source': 'https://github.com/acme/payments-api',
      'org.opencontainers.image.revision': SHA,
      'org.opencontainers.image.created': '2026-01-01T00:00:00.000Z',
      'org.opencontainers.image.version': '1.2.3',
      'org.opencontainers.image.title': 'payments-api',
    });
  });
  it('the user’s labels win and are reported', () => {
    const { labels, overridden } = mergeLabels(
      new Map([
        ['org.opencontainers.image.title', 'a'],
        ['x', '1'],
      ]),
      new Map([
        ['org.opencontainers.image.title', 'b'],
        ['x', '1'],
        ['y', '2'],
      ]),
    );
    expect([...labels]).toEqual([
      ['org.opencontainers.image.title', 'b'],
      ['x', '1'],
      ['y', '2'],
    ]);
    expect(overridden).toEqual(['org.opencontainers.image.title']);
  });
  it.each([
    ['2026-11-20T09:30:00+01:00', '2026-11-20T08:30:00.000Z'],
    ['not a time', undefined],
    [undefined, undefined],
  ])('created %j → %j', (value, expected) => {
    expect(normalizeTime(value)).toBe(expected);
  });
});
