/**
 * What a workflow's expressions read: every `${{ }}` of a token tree (bare `if:` strings
 * included), as property chains (`steps.build.outputs.digest`) found by walking the tree GitHub's
 * own expression parser builds — so `steps['build'].outputs.digest` and reads inside function
 * calls count too.
 */
import { Lexer, Parser } from '@actions/expressions';
import { Binary, ContextAccess, type Expr, FunctionCall, Grouping, IndexAccess, Literal, Logical, Unary } from '@actions/expressions/ast';
import { isBasicExpression, isString } from '@actions/workflow-parser';
import { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';

/** A property chain read in an expression: `steps.build.outputs.x` → ['steps', 'build', 'outputs', 'x']. */
export function propertyChains(expression: string): string[][] {
  let tree: Expr;
  try {
    tree = new Parser(
      new Lexer(expression).lex().tokens,
      ['github', 'env', 'vars', 'secrets', 'inputs', 'steps', 'needs', 'job', 'jobs', 'runner', 'strategy', 'matrix'],
      [],
    ).parse();
  } catch {
    return []; // the schema validation reports unparsable expressions
  }
  const chains: string[][] = [];
  const chainOf = (e: Expr): string[] | undefined => {
    if (e instanceof ContextAccess) return [e.name.lexeme];
    if (e instanceof IndexAccess) {
      const head = chainOf(e.expr);
      if (head && e.index instanceof Literal && typeof (e.index.literal as { value?: unknown }).value === 'string')
        return [...head, String((e.index.literal as { value: string }).value)];
      return undefined;
    }
    return undefined;
  };
  const visit = (e: Expr) => {
    if (e instanceof IndexAccess) {
      const chain = chainOf(e);
      if (chain) {
        chains.push(chain);
        return;
      }
      visit(e.expr);
      visit(e.index);
    } else if (e instanceof ContextAccess) chains.push([e.name.lexeme]);
    else if (e instanceof FunctionCall || e instanceof Logical) e.args.forEach(visit);
    else if (e instanceof Binary) {
      visit(e.left);
      visit(e.right);
    } else if (e instanceof Unary) visit(e.expr);
    else if (e instanceof Grouping) visit(e.group);
  };
  visit(tree);
  return chains;
}

/** Every expression in a token tree; bare `if:` strings are expressions too. */
export function expressionsIn(token: TemplateToken | undefined): string[] {
  if (!token) return [];
  const found: string[] = [];
  for (const [, t, key] of TemplateToken.traverse(token, true)) {
    if (isBasicExpression(t)) found.push(t.expression);
    else if (key && isString(key) && key.value === 'if' && isString(t)) found.push(t.value);
  }
  return found;
}
