/**
 * `${{ }}` expressions, evaluated by GitHub's own `@actions/expressions` (the lexer, parser and
 * evaluator the Actions service and the VS Code extension share), with the status functions the
 * runner adds (success, failure, always, cancelled) and the contexts of the place being evaluated.
 * Template tokens come from `@actions/workflow-parser`, which has already turned
 * `text ${{ a }} more` into `format('text {0} more', a)` exactly as GitHub does.
 */
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';
import { falsy } from '@actions/expressions/result';
import { TokenType, type Token } from '@actions/expressions/lexer';
import { isBasicExpression, isBoolean, isLiteral, isMapping, isNumber, isSequence, isString } from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';

export type ContextValue = string | number | boolean | null | undefined | ContextValue[] | { [key: string]: ContextValue };

/** The status of the place a condition is evaluated in (a step's job, or a job's dependencies). */
export interface StatusState {
  /** Nothing before has failed. */
  success: boolean;
  /** Something before has failed. */
  failure: boolean;
  /** The run was cancelled (and this job kept running, or is being evaluated after it). */
  cancelled?: boolean;
}

export interface EvaluationScope {
  contexts: Record<string, ContextValue>;
  status?: StatusState;
}

/** Contexts an expression may name; anything else is a parse error, as on GitHub. */
const CONTEXT_NAMES = ['github', 'env', 'vars', 'secrets', 'inputs', 'steps', 'needs', 'job', 'jobs', 'runner', 'strategy', 'matrix'];

export class ExpressionFailure extends Error {
  constructor(
    readonly expression: string,
    reason: string,
  ) {
    super(`expression \${{ ${expression} }} failed: ${reason}`);
    this.name = 'ExpressionFailure';
  }
}

function statusFunctions(status: StatusState | undefined): Map<string, FunctionDefinition> {
  const fn = (name: string, value: () => boolean): [string, FunctionDefinition] => [
    name,
    { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(value()) },
  ];
  return new Map([
    // success() is false once the run is cancelled, whatever ran before: the default `if` skips.
    fn('success', () => (status?.success ?? true) && !(status?.cancelled ?? false)),
    fn('failure', () => status?.failure ?? false),
    fn('always', () => true),
    fn('cancelled', () => status?.cancelled ?? false),
    [
      'hashfiles',
      {
        name: 'hashFiles',
        minArgs: 1,
        maxArgs: 255,
        call: () => {
          throw new Error('hashFiles() is not supported by the local workflow runner');
        },
      },
    ],
  ]);
}

/**
 * @actions/expressions 0.3.x unescapes only the first `''` of a string literal
 * (`value.replace("''", "'")`), so `format('a ''{0}'' b', x)` — what the parser makes of
 * `a '${{ x }}' b` — keeps a doubled quote. GitHub's own evaluator unescapes them all.
 */
function unescapeStrings(tokens: Token[]): void {
  for (const token of tokens) {
    if (token.type === TokenType.STRING && token.lexeme.length >= 2) token.value = token.lexeme.slice(1, -1).replaceAll("''", "'");
  }
}

export function toExpressionData(value: ContextValue): data.ExpressionData {
  return JSON.parse(JSON.stringify(value ?? null), data.reviver) as data.ExpressionData;
}

export function fromExpressionData(value: data.ExpressionData): ContextValue {
  return JSON.parse(JSON.stringify(value, data.replacer)) as ContextValue;
}

/** Evaluates one expression (without `${{ }}`) and returns GitHub's data value. */
export function evaluateExpression(expression: string, scope: EvaluationScope): data.ExpressionData {
  const functions = statusFunctions(scope.status);
  let tree: ReturnType<Parser['parse']>;
  try {
    const lexed = new Lexer(expression).lex();
    unescapeStrings(lexed.tokens);
    tree = new Parser(lexed.tokens, CONTEXT_NAMES, [...functions.values()]).parse();
  } catch (e) {
    throw new ExpressionFailure(expression, (e as Error).message);
  }
  const context = new data.Dictionary();
  for (const name of CONTEXT_NAMES) context.add(name, toExpressionData(scope.contexts[name] ?? {}));
  try {
    return new Evaluator(tree, context, functions).evaluate();
  } catch (e) {
    throw new ExpressionFailure(expression, (e as Error).message);
  }
}

/** An `if:` condition, already wrapped in `success() && (…)` by the parser where GitHub wraps it. */
export function evaluateCondition(expression: string, scope: EvaluationScope): boolean {
  return !falsy(evaluateExpression(expression, scope));
}

/** How the runner turns an expression's value into a string (inputs, env, `run:` text). */
export function expressionDataToString(value: data.ExpressionData): string {
  if (value.kind === data.Kind.Null) return '';
  if (value.kind === data.Kind.Dictionary || value.kind === data.Kind.Array) return JSON.stringify(value, data.replacer, 2);
  return value.coerceString();
}

/** A scalar token (literal or expression) as the string the runner would hand on. */
export function evaluateToString(token: TemplateToken | undefined, scope: EvaluationScope): string {
  if (token === undefined) return '';
  if (isBasicExpression(token)) return expressionDataToString(evaluateExpression(token.expression, scope));
  if (isString(token)) return token.value;
  if (isNumber(token)) return String(token.value);
  if (isBoolean(token)) return token.value ? 'true' : 'false';
  if (isLiteral(token)) return '';
  throw new ExpressionFailure(String(token), `expected a scalar, got a ${token.typeName()}`);
}

/** A whole token tree (mapping, sequence, scalars) as plain data, expressions evaluated. */
export function evaluateToValue(token: TemplateToken | undefined, scope: EvaluationScope): ContextValue {
  if (token === undefined) return null;
  if (isBasicExpression(token)) return fromExpressionData(evaluateExpression(token.expression, scope));
  if (isString(token)) return token.value;
  if (isNumber(token)) return token.value;
  if (isBoolean(token)) return token.value;
  if (isMapping(token)) {
    const out: Record<string, ContextValue> = {};
    for (const pair of token) out[evaluateToString(pair.key, scope)] = evaluateToValue(pair.value, scope);
    return out;
  }
  if (isSequence(token)) {
    const out: ContextValue[] = [];
    for (let i = 0; i < token.count; i++) out.push(evaluateToValue(token.get(i), scope));
    return out;
  }
  return null;
}

/** A mapping of names to scalars (env:, with:, outputs:) as strings, evaluated in order. */
export function evaluateStringMap(token: TemplateToken | undefined, scope: EvaluationScope): Record<string, string> {
  const out: Record<string, string> = {};
  if (token === undefined || !isMapping(token)) {
    if (token !== undefined && isBasicExpression(token)) {
      const value = evaluateToValue(token, scope);
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        for (const [k, v] of Object.entries(value)) out[k] = typeof v === 'string' ? v : v === null || v === undefined ? '' : JSON.stringify(v);
        return out;
      }
      throw new ExpressionFailure(token.expression, 'expected a mapping');
    }
    return out;
  }
  for (const pair of token) out[evaluateToString(pair.key, scope)] = evaluateToString(pair.value, scope);
  return out;
}
