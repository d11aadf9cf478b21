/**
 * Setup file of the `fast` lane (vitest.config.ts): a file in that lane may start no child
 * process (so no Docker, no bundle run through the local runner, no workflow run). Every way
 * node:child_process starts one is replaced by a function that throws and says what to do, so a
 * file that starts needing one fails at once with the reason, instead of making the lane slow.
 *
 * syncBuiltinESMExports() carries the replacement into the ESM bindings every module already
 * imported (`import { spawn } from 'node:child_process'`), ours and node_modules' alike.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';

const require = createRequire(import.meta.url);
const childProcess = require('node:child_process') as Record<string, unknown>;
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
  childProcess[name] = () => {
    throw new Error(
      `child_process.${name}() in the fast lane: files there start no child process (no Docker, bundle or workflow run). ` +
        'Take the file out of FAST_LANE in vitest.config.ts; it then runs in the stack lane of `npm test`.',
    );
  };
}
syncBuiltinESMExports();
