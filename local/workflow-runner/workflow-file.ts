/**
 * A workflow file read the way GitHub reads it: `parseWorkflow` validates it against GitHub's
 * workflow schema (and parses every `${{ }}`), `convertWorkflowTemplate` builds the job graph
 * (needs, generated step ids, `if:` conditions wrapped in `success() && (…)`). The converted
 * model leaves out `with:`, `shell:`, `working-directory:` and the like, so the raw token tree is
 * kept beside it and read for those.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { convertWorkflowTemplate, isMapping, isSequence, NoOperationTraceWriter, parseWorkflow, type WorkflowTemplate } from '@actions/workflow-parser';
import type { MappingToken } from '@actions/workflow-parser/templates/tokens/mapping-token';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';

export class WorkflowFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file} is not a valid workflow:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'WorkflowFileError';
  }
}

export interface LoadedWorkflow {
  file: string;
  /** The workflow's `name:`, or its path as GitHub shows it when there is none. */
  name: string;
  template: WorkflowTemplate;
  raw: MappingToken;
}

/** Parses a workflow's text; the parser's errors, each with line and column, in `problems`. */
export async function parseWorkflowText(name: string, content: string): Promise<{ workflow?: LoadedWorkflow; problems: string[] }> {
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const problems = parsed.context.errors.getErrors().map((e) => e.message);
  if (problems.length || !parsed.value || !isMapping(parsed.value)) return { problems: problems.length ? problems : ['empty workflow'] };
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  const converted = [...(template.errors ?? []).map((e) => e.Message), ...parsed.context.errors.getErrors().map((e) => e.message)];
  const unique = [...new Set(converted)];
  if (unique.length) return { problems: unique };
  const nameToken = parsed.value.find('name');
  const display = nameToken && 'value' in nameToken ? String((nameToken as { value: unknown }).value) : name;
  return { workflow: { file: name, name: display, template, raw: parsed.value }, problems: [] };
}

export async function loadWorkflow(file: string): Promise<LoadedWorkflow> {
  const absolute = path.resolve(file);
  let content: string;
  try {
    content = readFileSync(absolute, 'utf8');
  } catch (e) {
    throw new WorkflowFileError(file, [`cannot read it: ${(e as Error).message}`]);
  }
  const { workflow, problems } = await parseWorkflowText(absolute, content);
  if (!workflow) throw new WorkflowFileError(file, problems);
  return workflow;
}

/** `raw[key]…` down a path of mapping keys and sequence indexes; undefined where it stops. */
export function rawAt(token: TemplateToken | undefined, ...keys: (string | number)[]): TemplateToken | undefined {
  let at = token;
  for (const key of keys) {
    if (at === undefined) return undefined;
    if (typeof key === 'number') at = isSequence(at) && key < at.count ? at.get(key) : undefined;
    else at = isMapping(at) ? at.find(key) : undefined;
  }
  return at;
}

/** The keys of a raw mapping token (e.g. `with:`), in order. */
export function rawKeys(token: TemplateToken | undefined): string[] {
  if (!token || !isMapping(token)) return [];
  const keys: string[] = [];
  for (const pair of token) keys.push(String((pair.key as { value?: unknown }).value ?? pair.key.toString()));
  return keys;
}

export interface InputDefinition {
  type: string;
  required: boolean;
  /** undefined when the input has no default. */
  default?: string | number | boolean;
  options?: string[];
}

/**
 * The inputs a trigger declares, read from the file itself: the converted model has no `number`
 * type (it turns it into undefined), and a default's own type matters for workflow_call.
 */
export function inputDefinitions(workflow: LoadedWorkflow, trigger: 'workflow_dispatch' | 'workflow_call'): Record<string, InputDefinition> {
  const inputs = rawAt(workflow.raw, 'on', trigger, 'inputs');
  const out: Record<string, InputDefinition> = {};
  for (const name of rawKeys(inputs)) {
    const scalar = (key: string) => {
      const t = rawAt(inputs, name, key) as { value?: unknown } | undefined;
      return t && 'value' in t ? t.value : undefined;
    };
    const def: InputDefinition = { type: String(scalar('type') ?? 'string'), required: scalar('required') === true };
    const d = scalar('default');
    if (typeof d === 'string' || typeof d === 'number' || typeof d === 'boolean') def.default = d;
    const options = rawAt(inputs, name, 'options');
    if (options && isSequence(options)) def.options = [...options].map((o) => String((o as { value?: unknown }).value));
    out[name] = def;
  }
  return out;
}

/** The number of items of a raw sequence token (0 when it is not one). */
export function rawCount(token: TemplateToken | undefined): number {
  return token && isSequence(token) ? token.count : 0;
}
