import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../shared/core/errors.js';
import { Inputs, inputEnvName } from '../../shared/core/inputs.js';
import { readStructuredInput } from '../../shared/core/structured-input.js';
import { formatDuration, parseDuration } from '../../shared/core/duration.js';

const inputs = (values: Record<string, string>) => new Inputs(Object.fromEntries(Object.entries(values).map(([k, v]) => [inputEnvName(k), v])));

function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('inputEnvName', () => {
  it('upper-cases, keeps hyphens and turns spaces into underscores, as the runner does', () => {
    expect(inputEnvName('container-images')).toBe('INPUT_CONTAINER-IMAGES');
    expect(inputEnvName('my input')).toBe('INPUT_MY_INPUT');
  });
});

describe('strings', () => {
  it('reads required and optional strings, trimmed', () => {
    const i = inputs({ image: '  maven:3 \n', empty: '   ' });
    expect(i.requiredString('image')).toBe('maven:3');
    expect(i.optionalString('empty')).toBeUndefined();
    expect(i.optionalString('absent')).toBeUndefined();
    expect(i.string('absent', 'fallback')).toBe('fallback');
  });
  it('keeps the raw value byte for byte', () => {
    expect(inputs({ run: '  echo a\n\techo b\n' }).raw('run')).toBe('  echo a\n\techo b\n');
  });
  it('names a missing required input and what is expected', () => {
    const e = errorOf(() => inputs({}).requiredString('cluster', 'an ECS cluster name'));
    expect(e.message).toBe("Input 'cluster' is required: expected an ECS cluster name.");
    expect(e.input).toBe('cluster');
  });
});

describe('boolean', () => {
  it.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
    ['FALSE', false],
  ])('%s → %s', (text, value) => {
    expect(inputs({ wait: text }).boolean('wait', !value)).toBe(value);
  });
  it('falls back when empty', () => expect(inputs({}).boolean('wait', true)).toBe(true));
  it.each(['yes', '1', 'on', 'tru'])('refuses %s', (text) => {
    expect(errorOf(() => inputs({ wait: text }).boolean('wait', true)).message).toBe(
      `Input 'wait' has an invalid value "${text}": expected \`true\` or \`false\`.`,
    );
  });
});

describe('integer', () => {
  it('reads whole numbers within range', () => {
    expect(inputs({ n: '3' }).integer('n', 1, { min: 0 })).toBe(3);
    expect(inputs({ n: '-2' }).integer('n', 1)).toBe(-2);
    expect(inputs({}).integer('n', 7)).toBe(7);
  });
  it.each([
    ['2.5', 'a whole number of at least 0'],
    ['abc', 'a whole number of at least 0'],
    ['-1', 'a whole number of at least 0'],
    ['1e3', 'a whole number of at least 0'],
  ])('refuses %s', (text, expected) => {
    expect(errorOf(() => inputs({ 'desired-count': text }).integer('desired-count', 1, { min: 0 })).message).toBe(
      `Input 'desired-count' has an invalid value "${text}": expected ${expected}.`,
    );
  });
  it('says the range when both ends are set', () => {
    expect(errorOf(() => inputs({ p: '201' }).integer('p', 100, { min: 0, max: 200 })).message).toContain('from 0 to 200');
  });
});

describe('duration', () => {
  it.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['45', 45_000],
    ['1.5s', 1_500],
  ])('%s → %d ms', (text, ms) => {
    expect(inputs({ timeout: text }).duration('timeout', 0)).toBe(ms);
    expect(parseDuration(text)).toBe(ms);
  });
  it.each(['5 minutes', '5min', 'm5', '', '-5s', '1d'])('refuses %j', (text) => {
    if (text === '') {
      expect(inputs({ timeout: text }).optionalDuration('timeout')).toBeUndefined();
      return;
    }
    expect(errorOf(() => inputs({ timeout: text }).duration('timeout', 1)).message).toBe(
      `Input 'timeout' has an invalid value "${text}": expected a duration such as \`90s\`, \`5m\`, \`1h30m\` or a number of seconds.`,
    );
  });
  it('formats durations for people', () => {
    expect(formatDuration(800)).toBe('0.8s');
    expect(formatDuration(75_000)).toBe('1m15s');
    expect(formatDuration(3_723_000)).toBe('1h02m03s');
  });
});

describe('choice', () => {
  it('accepts a listed word and refuses others, listing them', () => {
    expect(inputs({ pull: 'always' }).choice('pull', ['missing', 'always', 'never'], 'missing')).toBe('always');
    expect(errorOf(() => inputs({ pull: 'sometimes' }).choice('pull', ['missing', 'always', 'never'], 'missing')).message).toBe(
      'Input \'pull\' has an invalid value "sometimes": expected one of `missing`, `always`, `never`.',
    );
  });
});

describe('list and lines', () => {
  it('splits on newlines and commas, dropping blanks and comments', () => {
    expect(inputs({ caches: 'maven, npm\n\n# a comment\n/root/.cache\n' }).list('caches')).toEqual(['maven', 'npm', '/root/.cache']);
  });
  it('lines keeps commas inside a line', () => {
    expect(inputs({ labels: 'a=1,2\n b=3 \n' }).lines('labels')).toEqual(['a=1,2', 'b=3']);
  });
});

describe('keyValues', () => {
  it('splits only on the first =', () => {
    const kv = inputs({ env: 'TOKEN=abc==\nURL=https://x/?a=b&c=d\nEMPTY=\n' }).keyValues('env');
    expect([...kv]).toEqual([
      ['TOKEN', 'abc=='],
      ['URL', 'https://x/?a=b&c=d'],
      ['EMPTY', ''],
    ]);
  });
  it('names the input and the bad line', () => {
    expect(errorOf(() => inputs({ env: 'GOOD=1\nnot a pair' }).keyValues('env')).message).toBe(
      'Input \'env\' has an invalid value "not a pair": expected one `KEY=VALUE` per line (a line without `=` or with nothing before it was found).',
    );
    expect(errorOf(() => inputs({ env: '=value' }).keyValues('env')).input).toBe('env');
  });
  it('checks keys against a pattern', () => {
    expect(
      errorOf(() => inputs({ env: '1BAD=x' }).keyValues('env', { keyPattern: /^[A-Z_][A-Z0-9_]*$/, keyDescription: 'an environment variable name' })).message,
    ).toContain('where KEY is an environment variable name');
  });
  it('can refuse empty values', () => {
    expect(errorOf(() => inputs({ args: 'A=' }).keyValues('args', { allowEmptyValue: false })).message).toContain('non-empty value');
  });
});

describe('structured input (JSON or YAML, inline or a file)', () => {
  it('parses inline JSON and YAML', async () => {
    expect((await readStructuredInput(inputs({ td: '{"family":"web","cpu":"256"}' }), 'td'))?.value).toEqual({ family: 'web', cpu: '256' });
    expect((await readStructuredInput(inputs({ td: 'family: web\ncpu: "256"\n' }), 'td'))?.value).toEqual({ family: 'web', cpu: '256' });
  });
  it('reads a file relative to the workspace', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ctp-structured-'));
    writeFileSync(path.join(dir, 'td.yaml'), 'family: api\ncontainerDefinitions:\n  - name: app\n');
    const result = await readStructuredInput(inputs({ td: 'td.yaml' }), 'td', { workspace: dir });
    expect(result?.value).toEqual({ family: 'api', containerDefinitions: [{ name: 'app' }] });
    expect(result?.source).toBe(path.join(dir, 'td.yaml'));
  });
  it('is undefined when empty', async () => {
    expect(await readStructuredInput(inputs({}), 'td')).toBeUndefined();
  });
  it('names a missing file', async () => {
    await expect(readStructuredInput(inputs({ td: 'nope.json' }), 'td', { workspace: tmpdir() })).rejects.toThrow(
      'Input \'td\' has an invalid value "nope.json": expected inline JSON or YAML, or the path of an existing JSON or YAML file (no such file).',
    );
  });
  it('says where a document is malformed', async () => {
    await expect(readStructuredInput(inputs({ td: '{"family": "web",,}' }), 'td')).rejects.toThrow(/Input 'td' .*parse error at line 1, column \d+/);
  });
});
