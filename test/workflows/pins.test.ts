/**
 * What the pins of our own actions point to (local/workflow-check/pins.ts): a user who copies
 * workflows-examples/ or a README's snippet runs the action.yml at the pinned commit, not this
 * working tree's. The first test holds the real files to that; the others show the check and the
 * pin script (scripts/pin-examples.ts) on a scratch repository and on a clone of this one.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../local/runner/run-bundle.js';
import { checkPins, findPins, pinDocuments, rewritePins } from '../../local/workflow-check/pins.js';
import { git, scratchDirs } from './scratch.js';

const temp = scratchDirs();

describe('the pins in the files users copy', () => {
  it('each resolves to a commit of main whose action.yml declares every input passed and output read', async () => {
    // Fails while a pin names a commit that lacks what the file uses; `npm run pin-examples --
    // <sha of main> --comment vX.Y.Z` moves them (the message of each problem says where).
    expect(await checkPins(repoRoot)).toEqual([]);
  });

  it('covers the examples, their README, the top README and every action’s README', () => {
    const files = pinDocuments(repoRoot).map((f) => path.relative(repoRoot, f));
    expect(files).toEqual(expect.arrayContaining(['workflows-examples/deploy.yml', 'workflows-examples/README.md', 'README.md', 'actions/rollback/README.md']));
  });
});

const action = (inputs: string[], outputs: string[]) =>
  [
    'name: probe',
    'inputs:',
    ...inputs.map((i) => `  ${i}:\n    description: ${i}\n    required: false`),
    'outputs:',
    ...outputs.map((o) => `  ${o}:\n    description: ${o}`),
    'runs:',
    '  using: node24',
    '  main: index.js',
    '',
  ].join('\n');

/** A repository with actions/probe at three commits: v1 (input a), main after it (a, b; output said), and a side branch (c). */
function history(): { dir: string; v1: string; v2: string; side: string } {
  const dir = temp('ctp-pins-');
  mkdirSync(path.join(dir, 'actions/probe'), { recursive: true });
  const commit = (inputs: string[], outputs: string[], message: string) => {
    writeFileSync(path.join(dir, 'actions/probe/action.yml'), action(inputs, outputs));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', message);
    return git(dir, 'rev-parse', 'HEAD');
  };
  git(dir, 'init', '-q', '-b', 'main');
  const v1 = commit(['a'], [], 'v1');
  git(dir, 'tag', 'v1.0.0');
  const v2 = commit(['a', 'b'], ['said'], 'v2');
  git(dir, 'checkout', '-q', '-b', 'side');
  const side = commit(['a', 'b', 'c'], ['said'], 'side');
  git(dir, 'checkout', '-q', 'main');
  return { dir, v1, v2, side };
}

function workflow(pin: string, withKeys: string[], read = 'said'): string {
  return [
    'on: push',
    'permissions:',
    '  contents: read',
    'jobs:',
    '  a:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - id: p',
    `        uses: acme/commit-to-prod/actions/probe@${pin}`,
    ...(withKeys.length ? ['        with:', ...withKeys.map((k) => `          ${k}: x`)] : []),
    `      - run: echo "\${{ steps.p.outputs.${read} }}"`,
    '',
  ].join('\n');
}

describe('checkPins, on a scratch repository', () => {
  it('reads the action.yml at the pinned commit: an input or output added later is missing there', async () => {
    const h = history();
    mkdirSync(path.join(h.dir, 'workflows-examples'));
    writeFileSync(path.join(h.dir, 'workflows-examples/old.yml'), workflow(`${h.v1} # v1.0.0`, ['a', 'b']));
    writeFileSync(path.join(h.dir, 'workflows-examples/new.yml'), workflow(`${h.v2} # v1.1.0`, ['a', 'b']));
    expect(await checkPins(h.dir)).toEqual([
      `workflows-examples/old.yml: job 'a' step 1 (p): acme/commit-to-prod/actions/probe@${h.v1} declares no input 'b' (it has: a)`,
      "workflows-examples/old.yml: job 'a' step 2: steps.p.outputs.said does not exist (outputs: none)",
    ]);
  });

  it('refuses a commit that is not on main, one that does not exist, a tag, and a comment naming another commit’s tag', async () => {
    const h = history();
    mkdirSync(path.join(h.dir, 'workflows-examples'));
    const missing = 'f'.repeat(40);
    writeFileSync(path.join(h.dir, 'workflows-examples/side.yml'), workflow(`${h.side} # v1.2.0`, ['c']));
    writeFileSync(path.join(h.dir, 'workflows-examples/missing.yml'), workflow(`${missing} # v1.1.0`, []));
    writeFileSync(path.join(h.dir, 'workflows-examples/tag.yml'), workflow('v1', ['a'], 'x'));
    writeFileSync(path.join(h.dir, 'workflows-examples/lie.yml'), workflow(`${h.v2} # v1.0.0`, ['b']));
    const problems = await checkPins(h.dir);
    expect(problems).toEqual([
      `workflows-examples/lie.yml:9: probe@${h.v2}: the comment names v1.0.0, which is commit ${h.v1}, not the pinned ${h.v2}`,
      `workflows-examples/missing.yml:9: probe@${missing}: commit ${missing} does not exist in this repository`,
      `workflows-examples/missing.yml: job 'a' step 1 (p): acme/commit-to-prod/actions/probe@${missing}: no actions/probe/action.yml at commit ${missing}`,
      `workflows-examples/side.yml:9: probe@${h.side}: commit ${h.side} is not on main (refs/heads/main): a user's workflow would run a commit no release came from`,
      expect.stringMatching(/^workflows-examples\/tag\.yml:9: probe@v1: 'v1' is not a full commit SHA/),
      "workflows-examples/tag.yml: job 'a' step 1 (p): acme/commit-to-prod/actions/probe@v1: pinned to 'v1', not a commit: what it runs cannot be known",
    ]);
  });

  it('checks README snippets: the pin, the inputs passed and the outputs read', async () => {
    const h = history();
    mkdirSync(path.join(h.dir, 'actions/probe'), { recursive: true });
    writeFileSync(
      path.join(h.dir, 'actions/probe/README.md'),
      [
        '# probe',
        '',
        'Pin it like `acme/commit-to-prod/actions/<name>@<sha> # vX.Y.Z` (a template, not a pin).',
        '',
        '```yaml',
        '- id: p',
        `  uses: acme/commit-to-prod/actions/probe@${h.v1} # v1.0.0`,
        '  with: { a: 1, b: 2 }',
        '- run: echo "${{ steps.p.outputs.said }}"',
        '```',
        '',
      ].join('\n'),
    );
    expect(await checkPins(h.dir)).toEqual([
      `actions/probe/README.md (snippet at line 6): acme/commit-to-prod/actions/probe@${h.v1} declares no input 'b' (it has: a)`,
      `actions/probe/README.md (snippet at line 6): steps.p.outputs.said does not exist at ${h.v1} (outputs of probe: none)`,
    ]);
  });

  it('judges "on main" against origin/main in a clone that has no local main, as CI’s checkout has', async () => {
    const h = history();
    const clone = temp('ctp-pins-clone-');
    git(clone, 'clone', '-q', '--branch', 'side', h.dir, '.');
    mkdirSync(path.join(clone, 'workflows-examples'));
    writeFileSync(path.join(clone, 'workflows-examples/a.yml'), workflow(`${h.v2} # v1.1.0`, ['b']));
    expect(await checkPins(clone)).toEqual([]);
  });
});

describe('rewritePins and npm run pin-examples', () => {
  it('moves every pin, placeholders and major tags included, and leaves templates in prose alone', () => {
    const sha = 'a'.repeat(40);
    const text = [
      '        uses: acme/commit-to-prod/actions/deploy@2f0d9c76242a52bc859b5b8a8b0ae8bbcaf42aa9 # v1.0.0',
      '- uses: acme/commit-to-prod/actions/ecs-rolling-deploy@<40-hex SHA of the release> # v1.0.0',
      '    uses: acme/commit-to-prod/actions/rollback@v1',
      'in every `uses: acme/commit-to-prod/actions/<name>@<sha> # vX.Y.Z`: the owner',
    ].join('\n');
    const moved = rewritePins(text, sha, 'v1.1.0');
    expect(moved.split('\n')).toEqual([
      `        uses: acme/commit-to-prod/actions/deploy@${sha} # v1.1.0`,
      `- uses: acme/commit-to-prod/actions/ecs-rolling-deploy@${sha} # v1.1.0`,
      `    uses: acme/commit-to-prod/actions/rollback@${sha} # v1.1.0`,
      'in every `uses: acme/commit-to-prod/actions/<name>@<sha> # vX.Y.Z`: the owner',
    ]);
    expect(findPins('x', moved).map((p) => [p.action, p.ref, p.comment])).toEqual([
      ['deploy', sha, 'v1.1.0'],
      ['ecs-rolling-deploy', sha, 'v1.1.0'],
      ['rollback', sha, 'v1.1.0'],
    ]);
  });

  it('pins a clone of this repository to its own HEAD (as main), after which every pin passes', async () => {
    const clone = temp('ctp-pins-self-');
    git(clone, 'clone', '-q', '--shared', repoRoot, '.');
    git(clone, 'checkout', '-q', '-B', 'main');
    const head = git(clone, 'rev-parse', 'HEAD');
    const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
    const refused = spawnSync(tsx, ['scripts/pin-examples.ts', 'HEAD', '--root', clone], { cwd: repoRoot, encoding: 'utf8' });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`--comment: ${head} has no vX.Y.Z tag`);
    const run = spawnSync(tsx, ['scripts/pin-examples.ts', 'HEAD', '--comment', 'v9.9.9', '--root', clone], { cwd: repoRoot, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`→ ${head} # v9.9.9`);
    expect(run.status).toBe(0);
    const pins = pinDocuments(clone).flatMap((f) => findPins(f, readFileSync(f, 'utf8')));
    expect(pins.length).toBeGreaterThan(10);
    expect(new Set(pins.map((p) => `${p.ref} # ${p.comment}`))).toEqual(new Set([`${head} # v9.9.9`]));
    expect(await checkPins(clone)).toEqual([]);
  });
});
