// Requests one tier run makes to publish its results (check run + pull-request comment), for 10
// and for 1,000 failures, through the bundle against the local GitHub API stand-in, beside the
// fewest GitHub allows (one create and one update per further 50 annotations, one comment
// lookup, one comment write); and the time publishing adds, against the same tier without a
// token in the same run.
import { mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalGitHubApi } from '../local/github-api/index.js';
import { runBundle } from '../local/runner/run-bundle.js';
import { median, printTable, verdict } from './_lib.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TOKEN = 'ghs_bench';
const HEAD = 'be7c4'.repeat(8);

function workspaceWith(failed: number): string {
  const workspace = mkdtempSync(path.join(tmpdir(), 'bench-publish-'));
  mkdirSync(path.join(workspace, 'src'), { recursive: true });
  mkdirSync(path.join(workspace, 'fixtures'));
  writeFileSync(path.join(workspace, 'src/many.test.js'), Array.from({ length: failed + 20 }, (_, i) => `// ${i + 1}`).join('\n'));
  const cases = Array.from(
    { length: failed },
    (_, i) =>
      `<testcase classname="many" name="case ${i}" time="0.01"><failure message="expected ${i}">AssertionError: expected ${i}\n    at src/many.test.js:${i + 1}:7</failure></testcase>`,
  );
  writeFileSync(path.join(workspace, 'fixtures/junit.xml'), `<testsuite name="many">${cases.join('')}<testcase classname="many" name="ok"/></testsuite>`);
  const old = new Date(Date.now() - 3_600_000);
  for (const f of readdirSync(path.join(workspace, 'fixtures'))) utimesSync(path.join(workspace, 'fixtures', f), old, old);
  return workspace;
}

const gh = await startLocalGitHubApi({ token: TOKEN });
const rows: (string | number)[][] = [];
let met = true;
try {
  for (const failed of [10, 1_000]) {
    const workspace = workspaceWith(failed);
    const run = (token: string | undefined, repository: string) =>
      runBundle('run-test-tier', {
        workspace,
        inputs: {
          tier: 'unit',
          run: 'mkdir -p build && cp fixtures/junit.xml build/TEST-many.xml',
          reports: 'build/TEST-*.xml',
          annotate: 'false',
          ...(token ? { 'github-token': token, comment: 'always' } : {}),
        },
        github: {
          repository,
          eventName: 'pull_request',
          ref: 'refs/pull/1/merge',
          apiUrl: gh.url,
          event: { pull_request: { number: 1, head: { sha: HEAD } } },
        },
      });
    const withToken: number[] = [];
    const without: number[] = [];
    let requests = 0;
    for (let i = 0; i < RUNS; i++) {
      without.push((await run(undefined, `bench/none-${failed}-${i}`)).durationMs);
      const repository = `bench/publish-${failed}-${i}`;
      const before = gh.requests.length;
      const r = await run(TOKEN, repository);
      withToken.push(r.durationMs);
      requests = gh.requests.slice(before).filter((q) => q.includes(repository)).length;
      const annotations = gh.checkRuns(repository)[0]?.annotations.length ?? 0;
      if (annotations !== failed) throw new Error(`expected ${failed} annotations, the check run holds ${annotations}`);
    }
    const fewest = Math.ceil(failed / 50) + 2;
    met &&= requests === fewest;
    const added = median(withToken) - median(without);
    rows.push([failed, requests, fewest, `${Math.round(median(without))} ms`, `${Math.round(median(withToken))} ms`, `+${Math.round(added)} ms`]);
  }
} finally {
  await gh.stop();
}
printTable(['failures', 'requests', 'fewest possible', 'tier without token', 'with publishing', 'publishing adds'], rows);
console.log(verdict(met, 'requests per tier run = ceil(failures / 50) + 2 (check run create + updates, one comment lookup, one comment write)'));
