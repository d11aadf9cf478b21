// Bundles every action entry found under actions/*/src/ with @vercel/ncc:
//   actions/<name>/src/index.ts -> dist/<name>/index.js
//   actions/<name>/src/post.ts  -> dist/<name>/post/index.js
// `--check` bundles into a temporary folder and fails when the committed dist/ differs, so a
// change to shared code that was not re-bundled cannot land.
//
// Why these versions: @actions/core 3 is ESM-only, so the package is "type": "module" and ncc
// emits ESM (plus a package.json {"type":"module"} beside each bundle). ncc 0.45.0 compiles
// TypeScript through the project's own `typescript`, and its ts-loader crashes with TypeScript 7
// ("Cannot read properties of undefined (reading 'fileExists')"), so TypeScript is pinned to 5.9.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';

// ncc's ts-loader builds a TypeScript program over everything tsconfig includes, once per entry,
// and keeps what it built: eight entries outgrow Node's default heap (it died with "heap out of
// memory" once the test suite grew). Re-run with a heap large enough, rather than on luck.
const HEAP_MB = 8192;
if (getHeapStatistics().heap_size_limit < (HEAP_MB - 512) * 1024 * 1024) {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
const { default: ncc } = await import('@vercel/ncc');
const { transform } = await import('esbuild');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// ncc's resolver maps import names through the `paths` of the tsconfig.json in the folder it runs
// in (not the one beside the entry, which its ts-loader uses): actions/tsconfig.json maps `undici`
// to shared/core/undici-on-demand.ts. Every path below is absolute.
process.chdir(path.join(root, 'actions'));
const check = process.argv.includes('--check');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const flag = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
// A worker (see bundleInParallel) bundles the entries with these indices into this folder.
const workerOut = flag('worker-out');
const workerEntries = flag('worker-entries');

async function discoverEntries() {
  const entries = [];
  for (const name of (await readdir(path.join(root, 'actions'))).sort()) {
    if (only.length > 0 && !only.includes(name)) continue;
    const src = path.join(root, 'actions', name, 'src');
    for (const [file, out] of [
      ['index.ts', ''],
      ['post.ts', 'post'],
    ]) {
      const entry = path.join(src, file);
      if (existsSync(entry)) entries.push({ name, entry, outDir: path.join(name, out) });
    }
  }
  return entries;
}

// Every file of a bundle, the entry and the chunks of modules an action imports lazily (the AWS
// SDK, @actions/github, YAML, XML), is minified by esbuild: it keeps dist/ small and makes the step
// that loads it start sooner. ncc's own `minify` runs terser over the entry only, and terser took
// a quarter of the bundling CPU (the deploy entry: 14.4 s of CPU with it, 10.7 s without; esbuild
// minifies the same file in a fraction of a second) — CPU the dist/ check takes from the tests it
// runs beside in `npm test` (issue 29).
async function minify(source) {
  const { code } = await transform(source.toString(), { minify: true, format: 'esm', target: 'node20', legalComments: 'none' });
  return code;
}
const isChunk = (name) => /\.index\.js$/.test(name);

async function bundleInto(outRoot, entries) {
  for (const { entry, outDir } of entries) {
    const started = Date.now();
    const { code, assets } = await ncc(entry, {
      // esbuild minifies instead (minify above).
      minify: false,
      sourceMap: false,
      quiet: true,
      // Reproducible output: no cache keyed on absolute paths or time.
      cache: false,
      // Each file transpiled on its own: the type program ts-loader would otherwise build per entry
      // took over half of the time, and `npm test` type-checks everything with tsc before it
      // bundles. Same bytes (actions/tsconfig.json says why).
      transpileOnly: true,
    });
    const dir = path.join(outRoot, outDir);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'index.js'), await minify(code));
    for (const [assetName, asset] of Object.entries(assets ?? {})) {
      await mkdir(path.dirname(path.join(dir, assetName)), { recursive: true });
      await writeFile(path.join(dir, assetName), isChunk(assetName) ? await minify(asset.source) : asset.source);
    }
    if (!check) {
      const size = (await stat(path.join(dir, 'index.js'))).size;
      console.log(`bundled ${path.relative(root, entry)} -> dist/${outDir}/index.js (${(size / 1024).toFixed(0)} kB, ${Date.now() - started} ms)`);
    }
  }
}

// The entries are independent and ncc is single-threaded: a few processes, each bundling every
// n-th entry, use the cores a machine has (`--jobs=1` for one process). Each entry's output is
// the same whichever process builds it.
async function bundleInParallel(outRoot, entries) {
  const jobs = Math.max(1, Math.min(Number(flag('jobs') ?? Math.min(2, availableParallelism())), entries.length));
  if (jobs === 1) return bundleInto(outRoot, entries);
  const script = fileURLToPath(import.meta.url);
  const runs = Array.from({ length: jobs }, (_, job) => {
    const indices = entries.map((_, i) => i).filter((i) => i % jobs === job);
    const args = [`--max-old-space-size=${HEAP_MB}`, script, ...process.argv.slice(2), `--worker-out=${outRoot}`, `--worker-entries=${indices.join(',')}`];
    return new Promise((resolve) => spawn(process.execPath, args, { stdio: 'inherit' }).on('close', (code) => resolve(code)));
  });
  const codes = await Promise.all(runs);
  if (codes.some((c) => c !== 0)) {
    console.error(`bundling failed in ${codes.filter((c) => c !== 0).length} of ${jobs} processes (their errors are above)`);
    process.exit(1);
  }
}

async function listFiles(dir, prefix = '') {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path.join(dir, entry.name), rel)));
    else out.push(rel);
  }
  return out.sort();
}

const entries = await discoverEntries();
if (entries.length === 0) {
  console.error('no action entries found under actions/*/src/index.ts');
  process.exit(1);
}
if (workerOut) {
  const mine = new Set(workerEntries.split(',').map(Number));
  await bundleInto(
    workerOut,
    entries.filter((_, i) => mine.has(i)),
  );
  process.exit(0);
}
const dist = path.join(root, 'dist');
if (check) {
  const tmp = await mkdtemp(path.join(tmpdir(), 'ctp-dist-'));
  try {
    await bundleInParallel(tmp, entries);
    const built = await listFiles(tmp);
    // With action names given, only those actions' folders are compared.
    const inScope = (f) => only.length === 0 || only.includes(f.split(path.sep)[0]);
    const committed = (await listFiles(dist)).filter(inScope);
    const problems = [];
    for (const f of new Set([...built, ...committed])) {
      if (!built.includes(f)) problems.push(`dist/${f} is committed but no longer built`);
      else if (!committed.includes(f)) problems.push(`dist/${f} is built but missing from dist/`);
      else if (!(await readFile(path.join(tmp, f))).equals(await readFile(path.join(dist, f)))) problems.push(`dist/${f} differs from a fresh build`);
    }
    if (problems.length > 0) {
      console.error(`dist/ is out of date (${problems.length} file(s)):\n  ${problems.join('\n  ')}\nRun 'npm run bundle' and commit dist/.`);
      process.exit(1);
    }
    console.log(`dist/ is up to date (${built.length} files from ${entries.length} entries)`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
} else {
  if (only.length === 0) await rm(dist, { recursive: true, force: true });
  await bundleInParallel(dist, entries);
}
