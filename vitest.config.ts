import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';
import { FAST_LANE, KNOWN_SLOW } from './test/lanes.js';

class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const seconds = (spec: TestSpecification): number => {
      const file = relative(spec.project.config.root, spec.moduleId);
      const cached = this.ctx.cache.getFileTestResults(`${spec.project.name}:${file}`);
      return cached ? cached.duration / 1000 : (KNOWN_SLOW[file] ?? 0);
    };
    const sorted = await super.sort(files);
    // Array.prototype.sort is stable: files of equal weight keep vitest's own order.
    return sorted.sort((a, b) => seconds(b) - seconds(a));
  }
}

export default defineConfig({
  test: {
    // Tests drive real Docker, a real registry and bundles in child processes: give them room.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Every exchange with the stand-ins is held to AWS's and GitHub's published models
    // (local/conformance); the oracles are installed once per run.
    globalSetup: ['test/helpers/conformance-oracles.ts'],
    // Each file's temporary files in a folder of its own, gone when the file ends (temp-dir.ts).
    setupFiles: ['test/helpers/file-env.ts', 'test/helpers/temp-dir.ts', 'test/helpers/conformance.ts'],
    // Files run side by side. Most of a file's time is waiting (on Docker, the registry, emulated
    // ECS time, a bundle's poll), not computing, so workers are sized for waiting, not for the
    // 2 cores. Measured on a clean 2-core machine (issue 29): with 4, the files' times added up to
    // 1,382 s for ~500 s of CPU, and the suite took 401 s — the demo (272 s) on one worker and the
    // other 1,110 s of files on three; a fifth worker takes the rest to the demo's length while the
    // CPU stays below its two cores on average. 8 were tried on a machine shared with other runs:
    // slower, and timing flakes. Safe because of the rules in test/README.md ("Running beside other
    // files").
    maxWorkers: 5,
    sequence: { sequencer: SlowestFirst },
    reporters: ['default'],
    // @actions/workflow-parser imports its schema JSON without an import attribute, which only a
    // bundler (or tsx) accepts: let vite transform it instead of handing it to Node.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
    projects: [
      // The fast lane's files start no process and share no state between files (each file's own
      // servers, emulators and temp dirs, set up and torn down in it), so a worker runs one after
      // another without a fresh process each: its CPU went from 51 s to 29 s (npm run test:fast,
      // 32 → 20 s of wall time), all 1,084 tests passing either way.
      { extends: true, test: { name: 'fast', include: FAST_LANE, setupFiles: ['test/helpers/fast-lane-guard.ts'], isolate: false } },
      // The stack lane's files too (issue 29): a process per file was ~100 s of the suite's CPU
      // (674 → 541 s with this, esbuild's minify and TypeScript 7's typecheck; 1,681 tests passing
      // either way). What a file changes in the process is undone when it ends (file-env.ts,
      // temp-dir.ts, conformance.ts; test/README.md).
      { extends: true, test: { name: 'stack', include: ['test/**/*.test.ts'], exclude: FAST_LANE, isolate: false } },
    ],
  },
});
