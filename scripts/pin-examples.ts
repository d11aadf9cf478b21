// Moves every pin of our own actions in the files users copy (workflows-examples/, README.md,
// actions/*/README.md) to one commit, with its version beside it, then checks the pins as
// test/workflows/pins.test.ts does:
//   npm run pin-examples -- <sha|HEAD|ref> [--comment vX.Y.Z] [--root DIR]
// The commit must be on main and carry every action and input the examples use: pin the commit a
// release is (or will be) tagged on, in the same change that documents it. Without --comment the
// vX.Y.Z tag on that commit is used; with none, --comment is required.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPins, findPins, pinDocuments, rewritePins } from '../local/workflow-check/pins.js';

const VERSION = /^v\d+(\.\d+){0,2}$/;

function usage(message: string): never {
  console.error(`${message}\nusage: npm run pin-examples -- <sha|HEAD|ref> [--comment vX.Y.Z] [--root DIR]`);
  process.exit(2);
}

const args = process.argv.slice(2);
let target: string | undefined;
let comment: string | undefined;
let root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  if (arg === '--comment' || arg === '--root') {
    const value = args[++i];
    if (value === undefined) usage(`${arg} needs a value`);
    if (arg === '--comment') comment = value;
    else root = path.resolve(value);
  } else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
  else if (target === undefined) target = arg;
  else usage(`one commit only (got '${target}' and '${arg}')`);
}
if (!target) usage('which commit? (a SHA, HEAD, or a tag)');

const git = (...gitArgs: string[]) => execFileSync('git', gitArgs, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
let sha: string;
try {
  sha = git('rev-parse', '--verify', `${target}^{commit}`);
} catch {
  usage(`'${target}' is not a commit of the repository at ${root}`);
}
if (comment === undefined) {
  const tags = git('tag', '--points-at', sha)
    .split('\n')
    .filter((t) => VERSION.test(t));
  if (tags.length !== 1)
    usage(
      `--comment: ${sha} has ${tags.length ? `several version tags (${tags.join(', ')})` : 'no vX.Y.Z tag'}; say which release it is, e.g. --comment v1.1.0`,
    );
  comment = tags[0]!;
}
if (!VERSION.test(comment)) usage(`--comment '${comment}' is not a version: expected vX.Y.Z (the release tag of ${sha}, what Dependabot reads)`);

let moved = 0;
for (const file of pinDocuments(root)) {
  const text = readFileSync(file, 'utf8');
  const pins = findPins(file, text);
  if (!pins.length) continue;
  const next = rewritePins(text, sha, comment);
  if (next !== text) writeFileSync(file, next);
  moved += pins.length;
  console.log(`${path.relative(root, file)}: ${pins.length} pin${pins.length === 1 ? '' : 's'}`);
}
console.log(`${moved} pins → ${sha} # ${comment}`);
const problems = await checkPins(root);
if (problems.length) {
  console.error(`\nThe pins are written, but ${sha} does not carry what the files use:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('every pin resolves to a commit of main whose action.yml declares what is passed and read');
