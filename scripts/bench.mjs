// Runs the benchmarks in bench/*.ts (files starting with _ are helpers) (each a script that prints its own table), or the ones named:
//   npm run bench              all of them
//   npm run bench -- cold-start   only bench/cold-start.ts
// Benchmarks print figures and ratios against a baseline measured in the same run; they never
// fail on a threshold (these machines are noisy), but each prints whether its target was met.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const wanted = process.argv.slice(2);
const all = readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
  .sort();
const chosen = wanted.length ? all.filter((f) => wanted.includes(f.replace(/\.ts$/, ''))) : all;
if (chosen.length === 0) {
  console.error(`no benchmark matches ${wanted.join(', ')}; there are: ${all.map((f) => f.replace(/\.ts$/, '')).join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const file of chosen) {
  console.log(`\n== ${file.replace(/\.ts$/, '')} ==`);
  const r = spawnSync(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'bench', file)], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
