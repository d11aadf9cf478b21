import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../local/runner/run-bundle.js';
import { runWorkflow, type JobRunResult, type RunWorkflowOptions, type WorkflowRunResult } from '../../local/workflow-runner/run-workflow.js';
import { git, scratchDirs } from './scratch.js';

// Cancelling a run as GitHub's "Cancel workflow run" does (docs: "Workflow cancellation
// reference"): the running step's process gets SIGINT, later steps and jobs run only if their `if`
// holds with cancelled() true, and steps, jobs and the run conclude `cancelled`.

const temp = scratchDirs();
const probeRoot = path.join(repoRoot, 'test/fixtures/runner-root');

function repository(workflow: string): { dir: string; sha: string } {
  const dir = temp('ctp-cancel-repo-');
  writeFileSync(path.join(dir, 'workflow.yml'), workflow);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'one');
  return { dir, sha: git(dir, 'rev-parse', 'HEAD') };
}

/** Runs the workflow and cancels it as soon as a log line matches `cancelWhen`. */
async function runCancelled(workflow: string, cancelWhen: RegExp, options: RunWorkflowOptions = {}): Promise<WorkflowRunResult & { log: string }> {
  const repo = repository(workflow);
  const lines: string[] = [];
  const cancel = new AbortController();
  const result = await runWorkflow(path.join(repo.dir, 'workflow.yml'), {
    workspace: repo.dir,
    stateDir: temp('ctp-cancel-state-'),
    signal: cancel.signal,
    onLog: (l) => {
      lines.push(l);
      if (cancelWhen.test(l)) cancel.abort();
    },
    ...options,
    github: { sha: repo.sha, repository: 'acme/app' },
  });
  return { ...result, log: lines.join('\n') };
}

function job(result: WorkflowRunResult, id: string): JobRunResult {
  const found = result.jobs.find((j) => j.id === id);
  if (!found) throw new Error(`no job ${id} in ${result.jobs.map((j) => j.id).join(', ')}`);
  return found;
}

const byId = (j: JobRunResult) => Object.fromEntries(j.steps.map((s) => [s.id, s]));

describe('cancelling a run (options.signal)', () => {
  it('sends SIGINT to the running run: step, skips default steps and jobs, runs cancelled() and always() ones, and concludes cancelled', async () => {
    const markers = temp('ctp-cancel-markers-');
    const r = await runCancelled(
      `on: push
jobs:
  work:
    runs-on: ubuntu-latest
    outputs:
      status: \${{ job.status }}
    steps:
      - id: ok
        run: echo first
      - id: long
        run: |
          trap 'echo "$(date +%s) INT" > "$MARKERS/long-int"; kill "$pid"; exit 130' INT
          sleep 30 & pid=$!
          echo "sleeping as $$"
          wait "$pid"
          echo "not interrupted" > "$MARKERS/long-finished"
      - id: next
        run: touch "$MARKERS/next-ran"
      - id: on-cancelled
        if: cancelled()
        run: echo "cancelled; long was \${{ steps.long.outcome }}/\${{ steps.long.conclusion }}, next \${{ steps.next.outcome }}, job \${{ job.status }}"
      - id: on-always
        if: always()
        run: echo always
      - id: on-failure-or-cancelled
        if: failure() || cancelled()
        run: echo failure-or-cancelled
      - id: on-failure
        if: failure()
        run: echo failure
      - id: on-success
        if: success()
        run: echo success
  later:
    needs: work
    runs-on: ubuntu-latest
    steps:
      - run: touch "$MARKERS/later-ran"
  cleanup:
    needs: work
    if: always()
    runs-on: ubuntu-latest
    steps:
      - run: echo "work was \${{ needs.work.result }}, job \${{ job.status }}"
  only-when-cancelled:
    needs: work
    if: cancelled()
    runs-on: ubuntu-latest
    steps:
      - run: echo "ran because cancelled"
`,
      /sleeping as \d+/,
      { env: { MARKERS: markers } },
    );
    expect(r.conclusion, r.log).toBe('cancelled');
    // The running step's shell got SIGINT (its trap ran) and did not run to its end.
    expect(existsSync(path.join(markers, 'long-int')), r.log).toBe(true);
    expect(existsSync(path.join(markers, 'long-finished'))).toBe(false);
    const work = job(r, 'work');
    expect(work.result).toBe('cancelled');
    const steps = byId(work);
    expect(steps.ok!.conclusion).toBe('success');
    expect([steps.long!.outcome, steps.long!.conclusion]).toEqual(['cancelled', 'cancelled']);
    expect(steps.long!.log).toContain('The operation was canceled.');
    expect(steps.next!.conclusion).toBe('skipped');
    expect(existsSync(path.join(markers, 'next-ran'))).toBe(false);
    expect(steps['on-cancelled']!.conclusion).toBe('success');
    expect(steps['on-cancelled']!.log).toBe('cancelled; long was cancelled/cancelled, next skipped, job cancelled');
    expect(steps['on-always']!.conclusion).toBe('success');
    expect(steps['on-failure-or-cancelled']!.conclusion).toBe('success');
    // The job's status is cancelled, not failure: failure() and success() are both false (the runner's job.status).
    expect(steps['on-failure']!.conclusion).toBe('skipped');
    expect(steps['on-success']!.conclusion).toBe('skipped');
    expect(work.outputs.status).toBe('cancelled');
    // Jobs not started: their `if` is evaluated with cancelled() true.
    expect(job(r, 'later').result).toBe('skipped');
    expect(existsSync(path.join(markers, 'later-ran'))).toBe(false);
    expect(job(r, 'cleanup').result).toBe('success');
    expect(job(r, 'cleanup').steps[0]!.log).toBe('work was cancelled, job success');
    expect(job(r, 'only-when-cancelled').result).toBe('success');
  }, 60_000);

  it('escalates to SIGTERM after 7.5 s when the step ignores SIGINT', async () => {
    const markers = temp('ctp-cancel-markers-');
    const r = await runCancelled(
      `on: push
jobs:
  work:
    runs-on: ubuntu-latest
    steps:
      - id: stubborn
        run: |
          trap 'echo "$(date +%s%N) INT" >> "$MARKERS/signals"' INT
          trap 'echo "$(date +%s%N) TERM" >> "$MARKERS/signals"; kill "$pid"; exit 143' TERM
          sleep 30 & pid=$!
          echo waiting
          while kill -0 "$pid" 2>/dev/null; do wait "$pid" || true; done
`,
      /waiting/,
      { env: { MARKERS: markers } },
    );
    expect(r.conclusion, r.log).toBe('cancelled');
    const lines = readFileSync(path.join(markers, 'signals'), 'utf8').trim().split('\n');
    expect(lines.map((l) => l.split(' ')[1])).toEqual(['INT', 'TERM']);
    const [intAt, termAt] = lines.map((l) => Number(l.split(' ')[0]) / 1e6);
    // The runner's grace period between the two, as documented (7500 ms).
    expect(termAt! - intAt!).toBeGreaterThanOrEqual(7_400);
    expect(job(r, 'work').steps[0]!.outcome).toBe('cancelled');
  }, 60_000);

  it('sends SIGINT to a running action’s node process; its post step still runs', async () => {
    const r = await runCancelled(
      `on: push
jobs:
  work:
    runs-on: ubuntu-latest
    steps:
      - id: probe
        uses: acme/commit-to-prod/actions/probe@v1
        with:
          greeting: hi
          linger: 30
      - id: after
        if: always()
        run: echo "probe was \${{ steps.probe.outcome }}"
`,
      /lingering/,
      { root: probeRoot },
    );
    expect(r.conclusion, r.log).toBe('cancelled');
    const steps = byId(job(r, 'work'));
    expect(steps.probe!.outcome).toBe('cancelled');
    expect(steps.probe!.log).toContain('got SIGINT, cleaning up');
    expect(steps.probe!.log).toContain('post sees state started=yes cancelled=yes');
    expect(steps.after!.log).toBe('probe was cancelled');
    expect(job(r, 'work').result).toBe('cancelled');
  }, 60_000);

  it('keeps a running job whose if still holds (always()) running, uncancelled; propagates the cancel into a called workflow', async () => {
    const markers = temp('ctp-cancel-markers-');
    const repo = repository(`on: push
jobs:
  steady:
    if: always()
    runs-on: ubuntu-latest
    steps:
      - run: |
          sleep 2
          echo "steady finished" > "$MARKERS/steady"
      - if: cancelled()
        run: echo "told it was cancelled"
      - run: echo "job \${{ job.status }}"
  call:
    uses: ./.github/workflows/called.yml
`);
    const workflows = path.join(repo.dir, '.github/workflows');
    mkdirSync(workflows, { recursive: true });
    writeFileSync(
      path.join(workflows, 'called.yml'),
      `on: workflow_call
jobs:
  inner:
    runs-on: ubuntu-latest
    steps:
      - run: |
          trap 'touch "$MARKERS/inner-int"; kill "$pid"; exit 130' INT
          sleep 30 & pid=$!
          echo inner-sleeping
          wait "$pid"
      - if: cancelled()
        run: echo inner-cleanup
`,
    );
    git(repo.dir, 'add', '-A');
    git(repo.dir, 'commit', '-q', '-m', 'called');
    const sha = git(repo.dir, 'rev-parse', 'HEAD');
    const lines: string[] = [];
    const cancel = new AbortController();
    const r = await runWorkflow(path.join(repo.dir, 'workflow.yml'), {
      workspace: repo.dir,
      env: { MARKERS: markers },
      signal: cancel.signal,
      onLog: (l) => {
        lines.push(l);
        if (/inner-sleeping/.test(l)) cancel.abort();
      },
      github: { sha, repository: 'acme/app' },
    });
    const log = lines.join('\n');
    expect(r.conclusion, log).toBe('cancelled');
    expect(job(r, 'steady').result).toBe('success');
    // Not cancelled: cancelled() is false in it, its default steps run.
    expect(job(r, 'steady').steps.map((s) => s.conclusion)).toEqual(['success', 'skipped', 'success']);
    expect(job(r, 'steady').steps[2]!.log).toBe('job success');
    expect(readFileSync(path.join(markers, 'steady'), 'utf8')).toBe('steady finished\n');
    const call = job(r, 'call');
    expect(call.result).toBe('cancelled');
    expect(call.called!.conclusion).toBe('cancelled');
    const inner = call.called!.jobs[0]!;
    expect(inner.result).toBe('cancelled');
    expect(inner.steps.map((s) => s.conclusion)).toEqual(['cancelled', 'success']);
    expect(existsSync(path.join(markers, 'inner-int'))).toBe(true);
  }, 60_000);

  it('fail-fast cancels a running combination through the same machinery: SIGINT, then only cancelled()/always() steps', async () => {
    const markers = temp('ctp-cancel-markers-');
    const repo = repository(`on: push
jobs:
  m:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        n: [fails, slow]
    steps:
      - run: |
          if [ "\${{ matrix.n }}" = fails ]; then
            while [ ! -e "$MARKERS/slow-started" ]; do sleep 0.1; done
            exit 1
          fi
          trap 'touch "$MARKERS/slow-int"; kill "$pid"; exit 130' INT
          sleep 30 & pid=$!
          touch "$MARKERS/slow-started"
          wait "$pid"
      - if: cancelled()
        run: echo "cleanup of \${{ matrix.n }}"
      - run: echo "next of \${{ matrix.n }}"
`);
    const lines: string[] = [];
    const r = await runWorkflow(path.join(repo.dir, 'workflow.yml'), {
      workspace: repo.dir,
      env: { MARKERS: markers },
      onLog: (l) => lines.push(l),
      github: { sha: repo.sha, repository: 'acme/app' },
    });
    const log = lines.join('\n');
    // fail-fast is not a cancel of the run: the run fails.
    expect(r.conclusion, log).toBe('failure');
    const [fails, slow] = r.jobs;
    expect(fails!.result).toBe('failure');
    expect(fails!.steps.map((s) => s.conclusion)).toEqual(['failure', 'skipped', 'skipped']);
    expect(slow!.result).toBe('cancelled');
    expect(slow!.steps.map((s) => s.conclusion)).toEqual(['cancelled', 'success', 'skipped']);
    expect(slow!.steps[1]!.log).toBe('cleanup of slow');
    expect(existsSync(path.join(markers, 'slow-int'))).toBe(true);
  }, 60_000);
});

/** The CLI as a person runs it, told Ctrl-C (SIGINT) once each time its output matches one of `interrupts`. */
async function cliInterrupted(workflowFile: string, interrupts: RegExp[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/workflow-runner/cli.ts', workflowFile, '--workspace', path.dirname(workflowFile)], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const pending = [...interrupts];
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    if (pending[0]?.test(stdout)) {
      pending.shift();
      child.kill('SIGINT');
    }
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  return { code, stdout, stderr };
}

describe('the CLI and Ctrl-C', () => {
  const workflow = `on: push
jobs:
  work:
    runs-on: ubuntu-latest
    steps:
      - run: |
          trap 'echo "got SIGINT"; kill "$pid"; exit 130' INT
          sleep 30 & pid=$!
          echo first-sleeping
          wait "$pid"
      - name: default step
        run: echo "not after a cancel"
      - name: cleanup
        if: always()
        run: |
          echo cleanup-started
          sleep 30
          echo cleanup-finished
`;

  it('cancels the run on the first Ctrl-C (always() steps run, exit 130), and stops outright on the second', async () => {
    const repo = repository(workflow);
    const file = path.join(repo.dir, 'workflow.yml');
    const twice = await cliInterrupted(file, [/first-sleeping/, /cleanup-started/]);
    expect(twice.stderr).toMatch(/SIGINT: cancelling the run/);
    expect(twice.stderr).toMatch(/SIGINT again: stopping at once/);
    expect(twice.code).toBe(130);
    // The step running at the first Ctrl-C was interrupted; the cleanup started and was not waited for.
    expect(twice.stdout).toContain('got SIGINT');
    expect(twice.stdout).toContain('cleanup-started');
    expect(twice.stdout).not.toContain('cleanup-finished');
    expect(twice.stdout).toContain('○ default step (skipped: if: success())');
    expect(twice.stdout).not.toMatch(/^ +not after a cancel$/m);
  }, 60_000);
});
