// build-in-container's overhead over a bare `docker run --rm <image> true`: the action (bundle
// under node24 through the local runner: inputs, image resolution, run directory, env file,
// `docker run` with mounts and --init, outputs, summary) running the same `true` in the same
// image, interleaved with the bare run so machine noise hits both alike. Target: the main
// step at most 1 s over the bare run (median). The post step is shown apart.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBundle } from '../local/runner/run-bundle.js';
import { median, printTable, verdict } from './_lib.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const IMAGE = process.env.BENCH_IMAGE ?? 'ctp/busybox:latest';
const TARGET_MS = 1_000;

function bareDockerRun(): number {
  const started = process.hrtime.bigint();
  const r = spawnSync('docker', ['run', '--rm', IMAGE, 'true'], { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`docker run --rm ${IMAGE} true failed (${r.status}): is the local stack up?`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function actionRun(workspace: string): Promise<{ main: number; post: number }> {
  const r = await runBundle('build-in-container', { inputs: { image: IMAGE, run: 'true' }, workspace });
  if (r.exitCode !== 0) throw new Error(`build-in-container failed:\n${r.log}`);
  return { main: r.durationMs, post: r.post?.durationMs ?? 0 };
}

const workspace = mkdtempSync(path.join(tmpdir(), 'bench-bic-'));
try {
  bareDockerRun(); // warm the engine and the page cache for both
  await actionRun(workspace);
  const bare: number[] = [];
  const main: number[] = [];
  const post: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    bare.push(bareDockerRun());
    const a = await actionRun(workspace);
    main.push(a.main);
    post.push(a.post);
  }
  const bareMedian = median(bare);
  const mainMedian = median(main);
  const over = mainMedian - bareMedian;
  console.log(`image ${IMAGE}, command \`true\`, ${RUNS} interleaved runs each, medians`);
  printTable(
    ['what', 'median', 'min', 'max', 'over bare', 'ratio', 'target'],
    [
      [
        `bare docker run --rm ${IMAGE} true`,
        `${bareMedian.toFixed(0)} ms`,
        `${Math.min(...bare).toFixed(0)} ms`,
        `${Math.max(...bare).toFixed(0)} ms`,
        '',
        '1.00x',
        '',
      ],
      [
        'build-in-container (main step)',
        `${mainMedian.toFixed(0)} ms`,
        `${Math.min(...main).toFixed(0)} ms`,
        `${Math.max(...main).toFixed(0)} ms`,
        `+${over.toFixed(0)} ms`,
        `${(mainMedian / bareMedian).toFixed(2)}x`,
        verdict(over <= TARGET_MS, `≤ +${TARGET_MS} ms`),
      ],
      [
        'build-in-container (post step)',
        `${median(post).toFixed(0)} ms`,
        `${Math.min(...post).toFixed(0)} ms`,
        `${Math.max(...post).toFixed(0)} ms`,
        '',
        '',
        '',
      ],
    ],
  );
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
