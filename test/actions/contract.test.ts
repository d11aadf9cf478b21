import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../../local/runner/run-bundle.js';

/**
 * Inputs are read by name in actions/<name>/src and nowhere else: shared/ takes values (each with
 * the input's name, for its errors) and never reads one. Found: `inputs.x('name'`, a helper handed
 * the reader and a name (`fn(inputs, 'name'`), `getInput(`, an `INPUT_NAME` variable, and a file
 * outside shared/core/ that takes the reader itself (`Inputs`, `readStructuredInput`); the value
 * parsers of core/inputs.ts (`parseKeyValues`, `GivenInput`) are what shared/ may use.
 */
function inputReads(file: string, source: string): string[] {
  const found: string[] = [];
  // Comments may name an input (`INPUT_FOO-BAR` in the reader's own notes); code may not.
  const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  for (const [read] of text.matchAll(/\binputs\.\w+\(\s*'[a-z0-9-]+'|\(\s*inputs\s*,\s*'[a-z0-9-]+'|\bgetInput\(|\bINPUT_[A-Z0-9][A-Z0-9_-]*/g))
    found.push(`${file}: ${read}`);
  if (!file.startsWith('shared/core/'))
    for (const [, names, spec] of text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*'((?:\.\.?\/)+(?:core\/)?(?:inputs|structured-input)\.js)'/g))
      if (/\b(?:Inputs|readStructuredInput)\b/.test(names!)) found.push(`${file}: imports ${spec}`);
  return found;
}

function sharedSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sharedSources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

describe('shared/', () => {
  it('reads no input by name', () => {
    const reads = sharedSources(path.join(repoRoot, 'shared')).flatMap((file) => {
      const rel = path.relative(repoRoot, file).split(path.sep).join('/');
      return inputReads(rel, readFileSync(file, 'utf8'));
    });
    expect(reads).toEqual([]);
  });

  it('catches every way of reading one', () => {
    expect(
      inputReads(
        'shared/ecs/x.ts',
        "import type { Inputs } from '../core/inputs.js';\nimport { readStructuredInput } from '../core/structured-input.js';\n" +
          "import { parseKeyValues, type GivenInput } from '../core/inputs.js';\n" +
          "inputs.optionalString('strategy'); minutes(inputs, 'bake-time'); core.getInput('wait'); process.env.INPUT_TIMEOUT;\n",
      ),
    ).toEqual([
      "shared/ecs/x.ts: inputs.optionalString('strategy'",
      "shared/ecs/x.ts: (inputs, 'bake-time'",
      'shared/ecs/x.ts: getInput(',
      'shared/ecs/x.ts: INPUT_TIMEOUT',
      'shared/ecs/x.ts: imports ../core/inputs.js',
      'shared/ecs/x.ts: imports ../core/structured-input.js',
    ]);
    // The reader's own home may take a name as a parameter; it holds none.
    expect(inputReads('shared/core/structured-input.ts', "import type { Inputs } from './inputs.js';\n")).toEqual([]);
  });
});

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

  it('reads its inputs in src/, exactly the inputs that action.yml declares', () => {
    expect(existsSync(src('inputs.ts'))).toBe(true);
    const declared = Object.keys(manifest.inputs ?? {});
    const read: string[] = [];
    for (const file of readdirSync(path.join(dir, 'src'))) {
      const text = readFileSync(src(file), 'utf8');
      for (const [, name] of text.matchAll(/(?:\binputs\.\w+\(|\(\s*inputs\s*,)\s*'([a-z0-9-]+)'/g)) read.push(name!);
      // Names kept as constants (`export const INPUT = { image: 'image', … }`).
      const constants = /export const INPUT = \{([^}]*)\}/.exec(text)?.[1] ?? '';
      for (const [, name] of constants.matchAll(/:\s*'([a-z0-9-]+)'/g)) read.push(name!);
    }
    expect(read.length, 'inputs read by name').toBeGreaterThan(0);
    for (const name of read) expect(declared, `reads '${name}'`).toContain(name);
    // And every input it declares is read: one that nothing reads means nothing in any run.
    for (const name of declared) expect(read, `declares '${name}'`).toContain(name);
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
