// Runs one action's bundle as the Actions runner would and prints what the runner would show:
//   npm run local-action -- build-in-container --input image=ctp/busybox:latest --input 'run=echo hi'
//   options: --input NAME=VALUE (repeatable), --env NAME=VALUE (repeatable), --workspace DIR, --no-post
import path from 'node:path';
import { runBundle } from './run-bundle.js';

const args = process.argv.slice(2);
const action = args.shift();
if (!action || action.startsWith('-')) {
  console.error('usage: npm run local-action -- <action> [--input NAME=VALUE]… [--env NAME=VALUE]… [--workspace DIR] [--no-post]');
  process.exit(2);
}
const inputs: Record<string, string> = {};
const env: Record<string, string> = {};
let workspace: string | undefined;
let post = true;
for (let i = 0; i < args.length; i++) {
  const flag = args[i];
  const pair = (target: Record<string, string>) => {
    const value = args[++i] ?? '';
    const eq = value.indexOf('=');
    if (eq <= 0) throw new Error(`${flag} expects NAME=VALUE, got ${JSON.stringify(value)}`);
    target[value.slice(0, eq)] = value.slice(eq + 1);
  };
  if (flag === '--input') pair(inputs);
  else if (flag === '--env') pair(env);
  else if (flag === '--workspace') workspace = path.resolve(args[++i] ?? '.');
  else if (flag === '--no-post') post = false;
  else throw new Error(`unknown option ${flag}`);
}
const result = await runBundle(action, { inputs, env, post, echo: true, ...(workspace ? { workspace } : {}) });
console.log(`\nexit code: ${result.exitCode}${result.post ? `, post: ${result.post.exitCode}` : ''}`);
for (const [k, v] of Object.entries(result.outputs)) console.log(`output ${k} = ${v}`);
if (result.summary.trim()) console.log(`\njob summary:\n${result.summary}`);
process.exit(result.exitCode);
