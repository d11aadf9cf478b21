/**
 * The project's rules for a workflow users copy: least-privilege `permissions:` declared; every
 * job that deploys to an environment in a `concurrency:` group named after that environment;
 * every marketplace action pinned to a full commit SHA with its version in a comment; no
 * `${{ github.event.* }}` (or other attacker-controlled text) and no secret expanded inside a
 * `run:` script — such values reach the shell through `env:` instead.
 */
import { isBasicExpression, isMapping, isString } from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { TemplateToken as TemplateTokenClass } from '@actions/workflow-parser/templates/tokens/template-token';
import { parseActionRef } from '../workflow-runner/action-refs.js';
import { rawAt, rawCount, rawKeys, type LoadedWorkflow } from '../workflow-runner/workflow-file.js';
import { propertyChains } from '../workflow-runner/expression-reads.js';

/** Contexts whose text an outsider can choose (a PR title, a branch name, a dispatch input…). */
function isUntrusted(chain: string[]): boolean {
  const [context, first] = chain;
  if (context === 'github') return first === 'event' || first === 'head_ref';
  if (context === 'inputs') return true;
  if (context === 'secrets') return true;
  return false;
}

export function checkPolicy(workflow: LoadedWorkflow, source: string): string[] {
  const problems: string[] = [];
  const raw = workflow.raw;
  if (!rawAt(raw, 'permissions')) problems.push('no top-level `permissions:` (the default token can write to everything)');
  const topConcurrency = rawAt(raw, 'concurrency');
  for (const job of rawKeys(rawAt(raw, 'jobs'))) {
    const rawJob = rawAt(raw, 'jobs', job);
    const environment = rawAt(rawJob, 'environment');
    const concurrency = rawAt(rawJob, 'concurrency') ?? topConcurrency;
    // A job that changes an environment must queue behind any other change to it; a build-only
    // workflow may run as often as it likes.
    if (environment) {
      const envName = exprText(isMapping(environment) ? rawAt(environment, 'name') : environment);
      const group = exprText(concurrency && isMapping(concurrency) ? rawAt(concurrency, 'group') : concurrency);
      if (!concurrency) problems.push(`job '${job}': changes environment ${envName} without a concurrency group (workflow or job level)`);
      else if (envName && !group.includes(envName))
        problems.push(`job '${job}': deploys to environment ${envName} but its concurrency group (${group}) is not per environment`);
    }
    const steps = rawAt(rawJob, 'steps');
    for (let i = 0; i < rawCount(steps); i++) {
      const step = rawAt(steps, i)!;
      const where = `job '${job}' step ${i + 1}`;
      const uses = rawAt(step, 'uses');
      if (uses && isString(uses)) {
        const ref = parseActionRef(uses.value, { root: '.', workspace: '.' });
        if (ref.kind === 'marketplace') {
          if (!/^[0-9a-f]{40}$/.test(ref.ref)) problems.push(`${where}: ${uses.value} is not pinned to a full commit SHA`);
          else if (!new RegExp(`${escapeRegExp(uses.value)}\\s+#\\s*v\\d`).test(source))
            problems.push(`${where}: ${uses.value} has no '# vX' comment saying which version the SHA is`);
        }
      }
      const run = rawAt(step, 'run');
      for (const expression of expressionsOf(run)) {
        for (const chain of propertyChains(expression)) {
          if (isUntrusted(chain)) problems.push(`${where}: \${{ ${chain.join('.')} }} is expanded inside run: (pass it through env: instead)`);
        }
      }
    }
  }
  return problems;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function exprText(token: TemplateToken | undefined): string {
  if (!token) return '';
  if (isBasicExpression(token)) return token.expression;
  if (isString(token)) return token.value;
  return token.toString();
}

function expressionsOf(token: TemplateToken | undefined): string[] {
  if (!token) return [];
  const found: string[] = [];
  for (const [, t] of TemplateTokenClass.traverse(token, true)) if (isBasicExpression(t)) found.push(t.expression);
  return found;
}
