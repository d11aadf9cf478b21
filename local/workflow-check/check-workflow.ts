/**
 * Static checks of a workflow file, beyond GitHub's own schema validation (which runs first, with
 * `@actions/workflow-parser`): every `uses:` of our actions passes only inputs its action.yml
 * declares and sets every required one; every `steps.<id>.outputs.<name>`,
 * `needs.<job>.outputs.<name>` and `jobs.<job>.outputs.<name>` read exists where it is read;
 * every call of a reusable workflow passes declared inputs (of the right type) and secrets and
 * sets the required ones; `inputs.<name>` reads are declared. These are the mistakes GitHub only
 * reports when the run reaches them — or never, when a typo'd output quietly reads as ''.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isBoolean, isMapping, isNumber, isString } from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { parse as parseYaml } from 'yaml';
import { repoRoot } from '../runner/run-bundle.js';
import { parseActionRef } from '../workflow-runner/action-refs.js';
import { expressionsIn, propertyChains } from '../workflow-runner/expression-reads.js';
import { inputDefinitions, parseWorkflowText, rawAt, rawCount, rawKeys, type LoadedWorkflow } from '../workflow-runner/workflow-file.js';

export interface CheckOptions {
  /** Where our actions' action.yml files live (default: this repository). */
  root?: string;
  /**
   * Where `./.github/workflows/<file>` of a reusable call is found. The examples are kept in
   * workflows-examples/ and copied together into .github/workflows/, so by default: beside the file.
   */
  localWorkflowsDir?: string;
  /**
   * Where an action's interface is read from, by `uses:` (default: `root`'s working tree). The pin
   * check reads it at the commit a `@<sha>` names instead: what a user who copies the file runs.
   * A string is why it cannot be read.
   */
  actionInterface?: (action: string, uses: string) => ActionInterface | string;
}

export interface CheckResult {
  file: string;
  problems: string[];
}

export interface ActionInterface {
  inputs: Record<string, { required: boolean }>;
  outputs: Set<string>;
}

interface CallInterface {
  inputs: Record<string, { type: string; required: boolean }>;
  secrets: Record<string, { required: boolean }>;
  outputs: Set<string>;
}

/** Outputs of marketplace actions our workflows read (documented in their action.yml). */
/**
 * The outputs of the marketplace actions the examples use, by the version that added them (read
 * from each action's action.yml at its tags): a step pinned to an older version has fewer.
 */
const MARKETPLACE_OUTPUTS: Record<string, { since: string; outputs: string[] }[]> = {
  'aws-actions/configure-aws-credentials': [
    { since: '4.0.0', outputs: ['aws-account-id', 'aws-access-key-id', 'aws-secret-access-key', 'aws-session-token'] },
    { since: '4.1.0', outputs: ['aws-expiration'] },
    { since: '4.2.0', outputs: ['authenticated-arn'] },
  ],
  'actions/checkout': [{ since: '4.0.0', outputs: ['ref', 'commit'] }],
  'actions/upload-artifact': [
    { since: '4.0.0', outputs: ['artifact-id', 'artifact-url'] },
    { since: '4.6.0', outputs: ['artifact-digest'] },
  ],
  'actions/download-artifact': [{ since: '4.0.0', outputs: ['download-path'] }],
  'actions/cache': [{ since: '4.0.0', outputs: ['cache-hit'] }],
  'actions/attest': [{ since: '4.0.0', outputs: ['bundle-path', 'attestation-id', 'attestation-url', 'storage-record-ids'] }],
  'actions/cache/restore': [{ since: '4.0.0', outputs: ['cache-hit', 'cache-primary-key', 'cache-matched-key'] }],
};

function versionAtLeast(version: string, since: string): boolean {
  const a = version.split('.').map(Number);
  const b = since.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/** What a marketplace step can output: at its pinned version (the `# vX.Y.Z` comment), or any version when none is said. */
function marketplaceOutputs(slug: string, uses: string, source: string): { outputs: Set<string>; version?: string } | undefined {
  const known = MARKETPLACE_OUTPUTS[slug.toLowerCase()];
  if (!known) return undefined;
  const comment = new RegExp(`${uses.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+#\\s*v(\\d+(?:\\.\\d+){0,2})`).exec(source);
  const version = comment?.[1];
  const outputs = known.filter((k) => !version || versionAtLeast(version, k.since)).flatMap((k) => k.outputs);
  return { outputs: new Set(outputs), ...(version ? { version } : {}) };
}

export async function checkWorkflowFile(file: string, options: CheckOptions = {}): Promise<CheckResult> {
  const content = readFileSync(file, 'utf8');
  const { workflow, problems } = await parseWorkflowText(file, content);
  if (!workflow) return { file, problems };
  const root = options.root ?? repoRoot;
  return {
    file,
    problems: await checkWorkflowDeep(workflow, {
      root,
      localWorkflowsDir: options.localWorkflowsDir ?? path.dirname(path.resolve(file)),
      actionInterface: options.actionInterface ?? ((action) => readActionInterface(root, action) ?? `no action '${action}' in ${root}/actions`),
    }),
  };
}

function readActionInterface(root: string, action: string): ActionInterface | undefined {
  const file = path.join(root, 'actions', action, 'action.yml');
  if (!existsSync(file)) return undefined;
  return actionInterfaceOf(readFileSync(file, 'utf8'));
}

/** The inputs (required or not) and outputs an action.yml declares. */
export function actionInterfaceOf(actionYml: string): ActionInterface {
  const manifest = parseYaml(actionYml) as {
    inputs?: Record<string, { required?: boolean; default?: unknown }>;
    outputs?: Record<string, unknown>;
  };
  const inputs: ActionInterface['inputs'] = {};
  for (const [name, spec] of Object.entries(manifest.inputs ?? {})) {
    // Required means the action cannot do without it: `required: true` and no default to fall back on.
    inputs[name] = { required: spec?.required === true && (spec.default === undefined || spec.default === null) };
  }
  return { inputs, outputs: new Set(Object.keys(manifest.outputs ?? {})) };
}

async function readCallInterface(file: string): Promise<CallInterface | string> {
  if (!existsSync(file)) return `no such file ${file}`;
  const { workflow, problems } = await parseWorkflowText(file, readFileSync(file, 'utf8'));
  if (!workflow) return `it is not a valid workflow: ${problems[0]}`;
  const call = workflow.template.events.workflow_call;
  if (!call) return "it has no 'on: workflow_call' trigger";
  const inputs: CallInterface['inputs'] = {};
  for (const [name, def] of Object.entries(inputDefinitions(workflow, 'workflow_call')))
    inputs[name] = { type: def.type, required: def.required && def.default === undefined };
  const secrets: CallInterface['secrets'] = {};
  for (const [name, def] of Object.entries(call.secrets ?? {})) secrets[name] = { required: def.required === true };
  return { inputs, secrets, outputs: new Set(rawKeys(rawAt(workflow.raw, 'on', 'workflow_call', 'outputs'))) };
}

function scriptOutputs(script: string): Set<string> | undefined {
  const names = new Set<string>();
  let writes = false;
  for (const line of script.split('\n')) {
    if (!line.includes('GITHUB_OUTPUT')) continue;
    writes = true;
    const before = names.size;
    for (const m of line.matchAll(/(?:^|[\s"'{(])([A-Za-z_][A-Za-z0-9_-]*)(?:=|<<)/g)) names.add(m[1]!);
    // A write whose name is not on the same line (a { … } group, a loop, a function): the
    // outputs cannot be known from the text, so reads of this step are not checked.
    if (names.size === before) return undefined;
  }
  return writes ? names : new Set();
}

interface StepInfo {
  id: string;
  index: number;
  /** undefined: not knowable statically. */
  outputs: Set<string> | undefined;
}

function literalKind(token: TemplateToken): string | undefined {
  if (isBoolean(token)) return 'boolean';
  if (isNumber(token)) return 'number';
  if (isString(token)) return 'string';
  return undefined; // an expression: its type is known only when it runs
}

function checkWorkflowWith(workflow: LoadedWorkflow, options: Required<CheckOptions>, calls: Map<string, CallInterface | string>): string[] {
  const problems: string[] = [];
  const raw = workflow.raw;
  const declaredInputs = new Set([...rawKeys(rawAt(raw, 'on', 'workflow_dispatch', 'inputs')), ...rawKeys(rawAt(raw, 'on', 'workflow_call', 'inputs'))]);
  const jobOutputs = new Map<string, Set<string> | undefined>();
  /** For a marketplace step of a known version, by step id: whose outputs the list is. */
  const outputsOf = new Map<string, string>();
  let source = '';
  try {
    source = readFileSync(workflow.file, 'utf8');
  } catch {
    // a workflow parsed from text only: versions are not known, every version's outputs count
  }
  for (const job of workflow.template.jobs) {
    const id = job.id.value;
    if (job.type === 'reusableWorkflowJob') {
      const call = calls.get(job.ref.value);
      jobOutputs.set(id, typeof call === 'object' ? call.outputs : undefined);
    } else jobOutputs.set(id, new Set(rawKeys(rawAt(raw, 'jobs', id, 'outputs'))));
  }

  const checkChains = (where: string, expressions: string[], scope: { steps?: StepInfo[]; beforeIndex?: number; needs?: string[]; jobs?: boolean }) => {
    for (const expression of expressions) {
      for (const chain of propertyChains(expression)) {
        const [context, first, second, third] = chain;
        if (context === 'steps' && first !== undefined) {
          if (!scope.steps) {
            problems.push(`${where}: steps.${first} is read where there are no steps`);
            continue;
          }
          const step = scope.steps.find((s) => s.id === first);
          if (!step) problems.push(`${where}: steps.${first} does not exist (step ids: ${scope.steps.map((s) => s.id).join(', ') || 'none'})`);
          else if (scope.beforeIndex !== undefined && step.index >= scope.beforeIndex)
            problems.push(`${where}: steps.${first} is read before that step has run`);
          else if (second === 'outputs' && third !== undefined && step.outputs && !step.outputs.has(third)) {
            const of = outputsOf.get(first);
            problems.push(
              `${where}: steps.${first}.outputs.${third} does not exist (outputs${of ? ` of ${of}` : ''}: ${[...step.outputs].join(', ') || 'none'})`,
            );
          }
        } else if (context === 'needs' && first !== undefined) {
          if (!scope.needs?.includes(first)) problems.push(`${where}: needs.${first} is read but the job does not list '${first}' in needs`);
          else if (second === 'outputs' && third !== undefined) {
            const outs = jobOutputs.get(first);
            if (outs && !outs.has(third))
              problems.push(`${where}: needs.${first}.outputs.${third} does not exist (job '${first}' outputs: ${[...outs].join(', ') || 'none'})`);
          }
        } else if (context === 'jobs' && first !== undefined) {
          if (!scope.jobs) problems.push(`${where}: the jobs context is only available in workflow_call outputs`);
          else if (!jobOutputs.has(first)) problems.push(`${where}: jobs.${first} does not exist`);
          else if (second === 'outputs' && third !== undefined) {
            const outs = jobOutputs.get(first);
            if (outs && !outs.has(third))
              problems.push(`${where}: jobs.${first}.outputs.${third} does not exist (job '${first}' outputs: ${[...outs].join(', ') || 'none'})`);
          }
        } else if (context === 'inputs' && first !== undefined && !declaredInputs.has(first)) {
          problems.push(`${where}: inputs.${first} is not declared (inputs: ${[...declaredInputs].join(', ') || 'none'})`);
        }
      }
    }
  };

  for (const job of workflow.template.jobs) {
    const id = job.id.value;
    const rawJob = rawAt(raw, 'jobs', id);
    const needs = (job.needs ?? []).map((n) => n.value);
    if (job.type === 'reusableWorkflowJob') {
      const uses = job.ref.value;
      const call = calls.get(uses);
      if (typeof call === 'string') problems.push(`job '${id}': uses ${uses}: ${call}`);
      else if (call) {
        const withToken = rawAt(rawJob, 'with');
        for (const name of rawKeys(withToken)) {
          const def = call.inputs[name];
          if (!def) {
            problems.push(`job '${id}': ${uses} declares no input '${name}' (it has: ${Object.keys(call.inputs).join(', ')})`);
            continue;
          }
          const kind = literalKind(rawAt(withToken, name)!);
          if (kind && kind !== def.type && !(def.type === 'string' && kind !== 'boolean')) {
            problems.push(`job '${id}': input '${name}' of ${uses} is a ${def.type}, given a ${kind}`);
          }
        }
        for (const [name, def] of Object.entries(call.inputs))
          if (def.required && !rawKeys(withToken).includes(name)) problems.push(`job '${id}': ${uses} requires input '${name}'`);
        const secretsToken = rawAt(rawJob, 'secrets');
        if (secretsToken && isMapping(secretsToken)) {
          for (const name of rawKeys(secretsToken)) if (!(name in call.secrets)) problems.push(`job '${id}': ${uses} declares no secret '${name}'`);
        }
        if (!(secretsToken && isString(secretsToken) && secretsToken.value === 'inherit')) {
          for (const [name, def] of Object.entries(call.secrets))
            if (def.required && !rawKeys(secretsToken).includes(name)) problems.push(`job '${id}': ${uses} requires secret '${name}'`);
        }
      }
      checkChains(`job '${id}'`, [...expressionsIn(rawAt(rawJob, 'with')), ...expressionsIn(rawAt(rawJob, 'if')), ...expressionsIn(rawAt(rawJob, 'secrets'))], {
        needs,
      });
      continue;
    }
    const steps: StepInfo[] = [];
    const rawSteps = rawAt(rawJob, 'steps');
    const stepCount = rawCount(rawSteps);
    // First what every step is (id, outputs), then what each reads: a read of a later step is
    // reported as such, not as a step that does not exist.
    for (let i = 0; i < stepCount; i++) {
      const rawStep = rawAt(rawSteps, i)!;
      const stepId = rawAt(rawStep, 'id');
      const where = `job '${id}' step ${i + 1}${stepId && isString(stepId) ? ` (${stepId.value})` : ''}`;
      let outputs: Set<string> | undefined;
      const usesToken = rawAt(rawStep, 'uses');
      if (usesToken && isString(usesToken)) {
        const ref = parseActionRef(usesToken.value, { root: options.root, workspace: options.root });
        if (ref.kind === 'ours' || (ref.kind === 'local' && ref.action)) {
          const action =
            ref.kind === 'ours'
              ? options.actionInterface(ref.action, usesToken.value)
              : (readActionInterface(ref.root, ref.action) ?? `no action '${ref.action}' in ${ref.root}/actions`);
          if (typeof action === 'string') problems.push(`${where}: ${usesToken.value}: ${action}`);
          else {
            const withToken = rawAt(rawStep, 'with');
            const given = rawKeys(withToken);
            for (const name of given)
              if (!(name in action.inputs))
                problems.push(`${where}: ${usesToken.value} declares no input '${name}' (it has: ${Object.keys(action.inputs).join(', ')})`);
            for (const [name, def] of Object.entries(action.inputs))
              if (def.required && !given.includes(name)) problems.push(`${where}: ${usesToken.value} requires input '${name}'`);
            outputs = action.outputs;
          }
        } else if (ref.kind === 'marketplace') {
          const known = marketplaceOutputs(ref.slug, usesToken.value, source);
          outputs = known?.outputs;
          if (known?.version) outputsOf.set(stepId && isString(stepId) ? stepId.value : '', `${ref.slug} v${known.version}`);
        }
      } else {
        const run = rawAt(rawStep, 'run');
        outputs = run && isString(run) ? scriptOutputs(run.value) : undefined;
      }
      if (stepId && isString(stepId)) steps.push({ id: stepId.value, index: i, outputs });
    }
    for (let i = 0; i < stepCount; i++) {
      const rawStep = rawAt(rawSteps, i)!;
      const stepId = rawAt(rawStep, 'id');
      const where = `job '${id}' step ${i + 1}${stepId && isString(stepId) ? ` (${stepId.value})` : ''}`;
      checkChains(where, expressionsIn(rawStep), { steps, beforeIndex: i, needs });
    }
    const jobLevel = rawKeys(rawJob)
      .filter((k) => k !== 'steps')
      .flatMap((k) => expressionsIn(rawAt(rawJob, k)));
    checkChains(`job '${id}'`, jobLevel, { steps, needs });
  }
  const callOutputs = rawAt(raw, 'on', 'workflow_call', 'outputs');
  checkChains('workflow_call outputs', expressionsIn(callOutputs), { jobs: true });
  return problems;
}

/** Reads every reusable workflow the file calls, then checks it. */
export async function checkWorkflowDeep(workflow: LoadedWorkflow, options: Required<CheckOptions>): Promise<string[]> {
  const calls = new Map<string, CallInterface | string>();
  for (const job of workflow.template.jobs) {
    if (job.type !== 'reusableWorkflowJob') continue;
    const uses = job.ref.value;
    const local = /^\.\/\.github\/workflows\/([^/]+\.ya?ml)$/.exec(uses);
    if (local) calls.set(uses, await readCallInterface(path.join(options.localWorkflowsDir, local[1]!)));
    else if (uses.startsWith('./')) calls.set(uses, `GitHub only calls reusable workflows from .github/workflows/ (got ${uses})`);
  }
  return checkWorkflowWith(workflow, options, calls);
}
