import { ACTIONS_BOT_LOGIN, GITHUB_LOGIN_EXPECTED, isGitHubLogin } from '../../../shared/github/identity.js';
import { resolveRegion } from '../../../shared/core/aws-clients.js';
import { InputError } from '../../../shared/core/errors.js';
import type { Inputs } from '../../../shared/core/inputs.js';
import { registerSecret } from '../../../shared/core/secrets.js';
import type { RunContext } from '../../../shared/github/run-context.js';
import { classifyRollbackTarget, type RollbackTargetInput } from '../../../shared/rollback/target-input.js';
import { parseDeployTimeout } from '../../../shared/ecs/deploy-timeout.js';

/** Every input of rollback, checked before the AWS SDK is even loaded. */
export interface RollbackInputs {
  cluster: string;
  service: string;
  toText: string;
  to: RollbackTargetInput;
  reason: string;
  dryRun: boolean;
  wait: boolean;
  waitForInProgress: boolean;
  timeoutMs: number;
  maxFailedTasks: number;
  token: string | undefined;
  environment: string;
  /** The login whose GitHub deployments are trusted as release records. */
  identity: string;
  region: string | undefined;
}

export function readInputs(inputs: Inputs, run: RunContext): RollbackInputs {
  // Everything the user can get wrong is checked here, before the AWS SDK is even loaded.
  const cluster = inputs.requiredString('cluster', 'an ECS cluster name or ARN');
  const service = inputs.requiredString('service', 'an ECS service name or ARN');
  const toText = inputs.string('to', 'previous');
  const to = classifyRollbackTarget(toText);
  const manual = run.eventName === 'workflow_dispatch';
  const reasonInput = inputs.optionalString('reason');
  if (!reasonInput && manual) {
    throw new InputError('reason', undefined, 'why the service is rolled back (it is recorded with the rollback; a rollback started by hand must say why)');
  }
  const reason = reasonInput ?? `automated rollback by workflow '${run.workflow ?? '?'}' (${run.eventName ?? 'unknown event'})`;
  const dryRun = inputs.boolean('dry-run', false);
  const wait = inputs.boolean('wait', true);
  const waitForInProgress = inputs.boolean('wait-for-in-progress', false);
  const { timeoutMs } = parseDeployTimeout(inputs.given('timeout'));
  const maxFailedTasks = inputs.integer('max-failed-tasks', 2, { min: 1 });
  const token = inputs.optionalString('github-token');
  if (token) registerSecret(token);
  // The same default as ecs-rolling-deploy, or its records would not be found.
  const environment = inputs.optionalString('github-environment') ?? service;
  const identity = inputs.optionalString('github-identity') ?? ACTIONS_BOT_LOGIN;
  if (!isGitHubLogin(identity)) throw new InputError('github-identity', identity, GITHUB_LOGIN_EXPECTED);
  const region = inputs.optionalString('aws-region');
  resolveRegion(region);

  return { cluster, service, toText, to, reason, dryRun, wait, waitForInProgress, timeoutMs, maxFailedTasks, token, environment, identity, region };
}
