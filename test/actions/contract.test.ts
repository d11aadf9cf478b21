import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../../local/runner/run-bundle.js';

/**
 * Every action has the same shape: `index.ts` only calls runAction, `inputs.ts` reads every
 * input in one place, `outputs.ts` declares the output names action.yml declares, and an
 * action with a post step has `post.ts` (the wrapper), `cleanup.ts` (what it does) and
 * `state.ts` (the keys main hands to it).
 */

interface Manifest {
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  runs: { using: string; main: string; post?: string };
}

const actions = readdirSync(path.join(repoRoot, 'actions'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe.each(actions)('actions/%s', (action) => {
  const dir = path.join(repoRoot, 'actions', action);
  const src = (file: string) => path.join(dir, 'src', file);
  const manifest = parse(readFileSync(path.join(dir, 'action.yml'), 'utf8')) as Manifest;

  it('runs on node24 from its bundle, with index.ts a thin entry', () => {
    expect(manifest.runs.using).toBe('node24');
    expect(manifest.runs.main).toBe(`../../dist/${action}/index.js`);
    const index = readFileSync(src('index.ts'), 'utf8');
    expect(index).toMatch(new RegExp(`^void runAction\\('${action}', main\\);$`, 'm'));
    expect(index.split('\n').filter((l) => l.trim() !== '').length).toBeLessThanOrEqual(3);
  });

  it('declares in outputs.ts exactly the outputs of action.yml, and sets no other way', async () => {
    const { outputs } = (await import(src('outputs.ts'))) as { outputs: { names: readonly string[] } };
    expect([...outputs.names]).toEqual(Object.keys(manifest.outputs ?? {}));
    for (const file of readdirSync(path.join(dir, 'src'))) {
      expect(readFileSync(src(file), 'utf8'), file).not.toMatch(/core\.setOutput\(/);
    }
  });

  it('reads its inputs in inputs.ts, and only inputs that action.yml declares', () => {
    expect(existsSync(src('inputs.ts'))).toBe(true);
    const declared = Object.keys(manifest.inputs ?? {});
    const read: string[] = [];
    for (const file of readdirSync(path.join(dir, 'src'))) {
      const text = readFileSync(src(file), 'utf8');
      for (const [, name] of text.matchAll(/\binputs\.\w+\(\s*'([a-z0-9-]+)'/g)) read.push(name!);
      // Names kept as constants (`export const INPUT = { image: 'image', … }`).
      const constants = /export const INPUT = \{([^}]*)\}/.exec(text)?.[1] ?? '';
      for (const [, name] of constants.matchAll(/:\s*'([a-z0-9-]+)'/g)) read.push(name!);
    }
    expect(read.length, 'inputs read by name').toBeGreaterThan(0);
    for (const name of read) expect(declared, `reads '${name}'`).toContain(name);
  });

  it('has one shape for its post step, when it has one', () => {
    if (!manifest.runs.post) {
      expect(existsSync(src('post.ts'))).toBe(false);
      return;
    }
    expect(manifest.runs.post).toBe(`../../dist/${action}/post/index.js`);
    const post = readFileSync(src('post.ts'), 'utf8');
    expect(post).toMatch(/^import \{ post \} from '\.\/cleanup\.js';$/m);
    expect(post).toMatch(new RegExp(`^void runAction\\('${action} \\(post\\)', post\\);$`, 'm'));
    expect(readFileSync(src('cleanup.ts'), 'utf8')).toMatch(/^export async function post\(/m);
    expect(readFileSync(src('state.ts'), 'utf8')).toMatch(/defineState\(\[/);
  });
});
