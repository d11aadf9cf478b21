import { resolveRegion } from '../../../shared/core/aws-clients.js';
import { InputError } from '../../../shared/core/errors.js';
import type { Inputs } from '../../../shared/core/inputs.js';
import { registerSecret } from '../../../shared/core/secrets.js';
import { parseDeployTimeout } from '../../../shared/ecs/deploy-timeout.js';
import type { ResumeRequest } from '../../../shared/ecs/resume-deployment.js';

/** Every input of ecs-resume-deploy, checked before the AWS SDK is even loaded. */
export interface ResumeInputs {
  /** The engine's request as the inputs ask it. */
  request: ResumeRequest;
  /** `github-deployment-id`: the paused deploy's GitHub deployment (undefined: looked up by the revision). */
  githubDeploymentId: number | undefined;
  token: string | undefined;
  environment: string | undefined;
  region: string | undefined;
}

export function readInputs(inputs: Inputs): ResumeInputs {
  const cluster = inputs.requiredString('cluster', 'an ECS cluster name or ARN');
  const service = inputs.requiredString('service', 'an ECS service name or ARN');
  inputs.requiredString('decision', '`continue` or `rollback`');
  const action = inputs.choice('decision', ['continue', 'rollback'] as const, 'continue');
  const serviceDeploymentArn = inputs.optionalString('service-deployment-arn');
  if (!serviceDeploymentArn || !/^arn:aws[\w-]*:ecs:[^:]*:\d*:service-deployment\/.+/.test(serviceDeploymentArn)) {
    throw new InputError(
      'service-deployment-arn',
      serviceDeploymentArn,
      'the service-deployment-arn output of the paused deploy step (arn:aws:ecs:…:service-deployment/…)',
    );
  }
  const hookId = inputs.requiredString('hook-id', 'the hook-id output of the paused deploy step');
  const { timeoutMs, timeoutAuto } = parseDeployTimeout(inputs.given('timeout'));
  const token = inputs.optionalString('github-token');
  if (token) registerSecret(token);
  const githubDeploymentId = readGitHubDeploymentId(inputs, token !== undefined);
  const region = inputs.optionalString('aws-region');
  resolveRegion(region);
  return {
    request: { cluster, service, serviceDeploymentArn, hookId, action, timeoutMs, timeoutCoversBakes: timeoutAuto },
    githubDeploymentId,
    token,
    environment: inputs.optionalString('github-environment'),
    region,
  };
}

function readGitHubDeploymentId(inputs: Inputs, hasToken: boolean): number | undefined {
  const text = inputs.optionalString('github-deployment-id');
  if (text === undefined) return undefined;
  const id = /^\d{1,15}$/.test(text) ? Number(text) : 0;
  if (id < 1) throw new InputError('github-deployment-id', text, "the paused deploy step's github-deployment-id output (a whole number)");
  if (!hasToken) throw new InputError('github-token', undefined, `a token (deployments: write) to update GitHub deployment ${id} (github-deployment-id)`);
  return id;
}
