import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from './errors.js';
import type { GivenInput, Inputs } from './inputs.js';

/**
 * A JSON or YAML document given inline or as a path to a file (relative paths against the
 * workspace). Kept apart from inputs.ts so that only actions that read documents bundle a YAML
 * parser. YAML is a superset of JSON, so one parser reads both; errors say line and column.
 */
export async function readStructuredInput(
  inputs: Inputs,
  name: string,
  options: { workspace?: string } = {},
): Promise<{ value: unknown; source: string } | undefined> {
  return parseStructuredInput(inputs.given(name), options);
}

/** The same, from the value as given (for a parser outside core/, which reads no input itself). */
export async function parseStructuredInput(given: GivenInput, options: { workspace?: string } = {}): Promise<{ value: unknown; source: string } | undefined> {
  const { name } = given;
  const text = given.value.trim();
  if (text === '') return undefined;
  const { parseDocument } = await import('yaml');
  const looksInline = /^[[{]/.test(text) || text.includes('\n');
  let body = text;
  let source = 'inline';
  if (!looksInline) {
    const file = path.resolve(options.workspace ?? process.env.GITHUB_WORKSPACE ?? process.cwd(), text);
    if (!existsSync(file) || !statSync(file).isFile()) {
      throw new InputError(name, text, 'inline JSON or YAML, or the path of an existing JSON or YAML file (no such file)');
    }
    body = readFileSync(file, 'utf8');
    source = file;
  }
  const doc = parseDocument(body, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const where = first.linePos?.[0] ? ` at line ${first.linePos[0].line}, column ${first.linePos[0].col}` : '';
    throw new InputError(name, source === 'inline' ? text.slice(0, 80) : source, `valid JSON or YAML (parse error${where}: ${first.message.split('\n')[0]})`);
  }
  return { value: doc.toJS(), source };
}
