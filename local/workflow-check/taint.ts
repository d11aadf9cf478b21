/**
 * Where a value read by an expression can come from, for the template-injection rule: whether an
 * outsider (a PR's author, a branch's name, whoever triggers a dispatch, a test that writes a step
 * output) can choose its text. Follows values through `env:` (workflow, job, step) and `matrix`
 * definitions, as zizmor's template-injection audit does, so routing a PR title through an
 * environment variable or a matrix value and then expanding `${{ env.X }}` in a script is seen.
 */
import { isBasicExpression, isMapping } from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { TemplateToken as TemplateTokenClass } from '@actions/workflow-parser/templates/tokens/template-token';
import { propertyChains } from '../workflow-runner/expression-reads.js';
import { rawAt, rawCount } from '../workflow-runner/workflow-file.js';

export interface TaintOptions {
  /** Secrets count as untrusted text (in a script they land in the shell's source). */
  secrets: boolean;
  /** Step and job outputs count (anything their step wrote, e.g. a test's report path). */
  outputs: boolean;
  /** Workflow inputs count (a dispatch's free text; for a command input, the caller's choice). */
  inputs: boolean;
}

/** Where `env.*` and `matrix.*` of one step are defined: step < job < workflow. */
export interface TaintScope {
  env: (TemplateToken | undefined)[];
  matrix: TemplateToken | undefined;
}

export function expressionsOf(token: TemplateToken | undefined): string[] {
  if (!token) return [];
  const found: string[] = [];
  for (const [, t] of TemplateTokenClass.traverse(token, true)) if (isBasicExpression(t)) found.push(t.expression);
  return found;
}

/**
 * Why the value a chain reads is untrusted (e.g. `github.event.pull_request.title`, or
 * `env.TITLE ← github.event.pull_request.title`), or undefined when it is not.
 */
export function taintOf(chain: string[], options: TaintOptions, scope: TaintScope, seen = new Set<string>()): string | undefined {
  const [context, first, second] = chain;
  const text = chain.join('.');
  if (context === 'github') {
    // The whole context (toJSON(github)) and the whole event carry every field a PR author writes.
    if (first === undefined || first === 'event' || first === 'head_ref') return text;
    return undefined;
  }
  if (context === 'inputs') return options.inputs ? text : undefined;
  if (context === 'secrets') return options.secrets ? text : undefined;
  if (context === 'steps' || context === 'needs') return options.outputs && (second === 'outputs' || first === undefined) ? text : undefined;
  if (context === 'env') {
    if (first === undefined) return text;
    const definition = scope.env.map((e) => rawAt(e, first)).find((t) => t !== undefined);
    // Not defined in the file: set by a script through GITHUB_ENV, whatever it wrote.
    if (!definition) return `${text} (not defined in the workflow: set through GITHUB_ENV)`;
    return via(text, definition);
  }
  if (context === 'matrix') {
    const matrix = scope.matrix;
    if (!matrix) return undefined;
    if (!isMapping(matrix)) return via(text, matrix);
    if (first === undefined) return text;
    const values = rawAt(matrix, first);
    const include = rawAt(matrix, 'include');
    const included = Array.from({ length: rawCount(include) }, (_, i) => rawAt(include, i, first));
    for (const v of [values, ...included]) {
      const found = v && via(text, v);
      if (found) return found;
    }
  }
  return undefined;

  function via(text: string, token: TemplateToken): string | undefined {
    if (seen.has(text)) return undefined;
    seen.add(text);
    for (const expression of expressionsOf(token)) {
      for (const inner of propertyChains(expression)) {
        // A value defined from inputs or outputs is as untrusted as they are wherever it lands.
        const found = taintOf(inner, { ...options, outputs: true }, scope, seen);
        if (found) return `${text} ← ${found}`;
      }
    }
    return undefined;
  }
}

/** Every untrusted read in a token: the expression's chain and why. */
export function untrustedReads(token: TemplateToken | undefined, options: TaintOptions, scope: TaintScope): { chain: string; why: string }[] {
  const found: { chain: string; why: string }[] = [];
  for (const expression of expressionsOf(token)) {
    for (const chain of propertyChains(expression)) {
      const why = taintOf(chain, options, scope);
      if (why) found.push({ chain: chain.join('.'), why });
    }
  }
  return found;
}
