/**
 * The project's rules for a workflow users copy, each problem naming its rule and where it is:
 *
 * - least-privilege: top-level `permissions:` declared, never `write-all`/`read-all`, and
 *   `id-token: write` only on the jobs that need it (never for the whole workflow);
 * - per-environment-concurrency: every job that deploys to an environment in a `concurrency:`
 *   group named after that environment;
 * - pinned-actions: every action, ours and the marketplace's, pinned to a full commit SHA with
 *   its version in a comment (a tag or branch can be moved under a job holding production
 *   credentials);
 * - untrusted-input: no `${{ github.event.* }}`, `github.head_ref`, input or secret expanded inside
 *   a `run:` script or in the script-like inputs of our actions (`run`, `shell`; and `env`, whose
 *   lines become the container's environment: a newline in a branch name adds a variable) —
 *   such values reach the shell through `env:` instead;
 * - checkout-credentials: `actions/checkout` with `persist-credentials: false`, so the token is
 *   not left in .git/config for every later step (and the build) to read;
 * - no-pull-request-target: `pull_request_target` runs with a write token and secrets, in reach
 *   of a fork's code;
 * - explicit-secrets: a reusable workflow gets the secrets it declares, never `secrets: inherit`.
 */
import { isBasicExpression, isBoolean, isMapping, isString } from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { TemplateToken as TemplateTokenClass } from '@actions/workflow-parser/templates/tokens/template-token';
import { parseActionRef } from '../workflow-runner/action-refs.js';
import { rawAt, rawCount, rawKeys, type LoadedWorkflow } from '../workflow-runner/workflow-file.js';
import { propertyChains } from '../workflow-runner/expression-reads.js';

/** Contexts whose text an outsider can choose (a PR title, a branch name, a dispatch input…). */
function isUntrusted(chain: string[], options: { secrets: boolean }): boolean {
  const [context, first] = chain;
  if (context === 'github') return first === 'event' || first === 'head_ref';
  if (context === 'inputs') return true;
  if (context === 'secrets') return options.secrets;
  return false;
}

/** Inputs of our actions that a shell runs (or that become a container's environment). */
const SCRIPT_INPUTS: Record<string, { secrets: boolean }> = { run: { secrets: true }, shell: { secrets: true }, env: { secrets: false } };

export type PolicyRule =
  | 'least-privilege'
  | 'per-environment-concurrency'
  | 'pinned-actions'
  | 'untrusted-input'
  | 'checkout-credentials'
  | 'no-pull-request-target'
  | 'explicit-secrets';

/** The permissions that grant everything at once. */
function broadPermissions(token: TemplateToken | undefined): string | undefined {
  return token && isString(token) && (token.value === 'write-all' || token.value === 'read-all') ? token.value : undefined;
}

export function checkPolicy(workflow: LoadedWorkflow, source: string): string[] {
  const problems: string[] = [];
  const problem = (rule: PolicyRule, text: string) => problems.push(`${text} [rule: ${rule}]`);
  const raw = workflow.raw;
  const topPermissions = rawAt(raw, 'permissions');
  if (!topPermissions) problem('least-privilege', 'no top-level `permissions:` (the default token can write to everything)');
  const broad = broadPermissions(topPermissions);
  if (broad) problem('least-privilege', `top-level \`permissions: ${broad}\` grants every scope; name the scopes the workflow needs`);
  const topIdToken = rawAt(topPermissions, 'id-token');
  if (topIdToken && isString(topIdToken) && topIdToken.value === 'write')
    problem('least-privilege', 'top-level `id-token: write` lets every job get a cloud token; grant it on the jobs that assume a role');
  if (Object.keys(workflow.template.events).includes('pull_request_target'))
    problem('no-pull-request-target', 'on: pull_request_target runs with a write token and the secrets, in reach of a fork’s code; use pull_request');
  const topConcurrency = rawAt(raw, 'concurrency');
  for (const job of rawKeys(rawAt(raw, 'jobs'))) {
    const rawJob = rawAt(raw, 'jobs', job);
    const jobBroad = broadPermissions(rawAt(rawJob, 'permissions'));
    if (jobBroad) problem('least-privilege', `job '${job}': \`permissions: ${jobBroad}\` grants every scope; name the scopes the job needs`);
    const secretsToken = rawAt(rawJob, 'secrets');
    if (secretsToken && isString(secretsToken) && secretsToken.value === 'inherit')
      problem('explicit-secrets', `job '${job}': \`secrets: inherit\` hands every secret to the called workflow; pass the ones it declares`);
    const uses = rawAt(rawJob, 'uses');
    if (uses && isString(uses) && !uses.value.startsWith('./')) checkPinned(`job '${job}'`, uses.value);
    const environment = rawAt(rawJob, 'environment');
    const concurrency = rawAt(rawJob, 'concurrency') ?? topConcurrency;
    // A job that changes an environment must queue behind any other change to it; a build-only
    // workflow may run as often as it likes.
    if (environment) {
      const envName = exprText(isMapping(environment) ? rawAt(environment, 'name') : environment);
      const group = exprText(concurrency && isMapping(concurrency) ? rawAt(concurrency, 'group') : concurrency);
      if (!concurrency)
        problem('per-environment-concurrency', `job '${job}': changes environment ${envName} without a concurrency group (workflow or job level)`);
      else if (envName && !group.includes(envName))
        problem('per-environment-concurrency', `job '${job}': deploys to environment ${envName} but its concurrency group (${group}) is not per environment`);
    }
    const steps = rawAt(rawJob, 'steps');
    for (let i = 0; i < rawCount(steps); i++) {
      const step = rawAt(steps, i)!;
      const where = `job '${job}' step ${i + 1}`;
      const uses = rawAt(step, 'uses');
      if (uses && isString(uses)) {
        const ref = parseActionRef(uses.value, { root: '.', workspace: '.' });
        if (ref.kind === 'marketplace' || ref.kind === 'ours') checkPinned(where, uses.value);
        if (ref.kind === 'marketplace' && ref.slug.toLowerCase() === 'actions/checkout') {
          const persist = rawAt(step, 'with', 'persist-credentials');
          const off = persist && ((isString(persist) && persist.value === 'false') || (isBoolean(persist) && !persist.value));
          if (!off)
            problem(
              'checkout-credentials',
              `${where}: actions/checkout without \`persist-credentials: false\` leaves the token in .git/config for every later step`,
            );
        }
        if (ref.kind === 'ours') {
          for (const [input, what] of Object.entries(SCRIPT_INPUTS)) {
            for (const expression of expressionsOf(rawAt(step, 'with', input))) {
              for (const chain of propertyChains(expression)) {
                if (isUntrusted(chain, what))
                  problem(
                    'untrusted-input',
                    `${where}: \${{ ${chain.join('.')} }} is expanded inside the \`${input}\` input of ${ref.action} (pass it through env: and read the variable instead)`,
                  );
              }
            }
          }
        }
      }
      const run = rawAt(step, 'run');
      for (const expression of expressionsOf(run)) {
        for (const chain of propertyChains(expression)) {
          if (isUntrusted(chain, { secrets: true }))
            problem('untrusted-input', `${where}: \${{ ${chain.join('.')} }} is expanded inside run: (pass it through env: instead)`);
        }
      }
    }
  }
  return problems;

  function checkPinned(where: string, uses: string): void {
    const at = uses.lastIndexOf('@');
    const ref = at > 0 ? uses.slice(at + 1) : '';
    if (!/^[0-9a-f]{40}$/.test(ref)) problem('pinned-actions', `${where}: ${uses} is not pinned to a full commit SHA`);
    else if (!new RegExp(`${escapeRegExp(uses)}\\s+#\\s*v\\d`).test(source))
      problem('pinned-actions', `${where}: ${uses} has no '# vX' comment saying which version the SHA is`);
  }
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
