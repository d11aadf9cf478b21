import { resolveRegion } from '../../../shared/core/aws-clients.js';
import { InputError } from '../../../shared/core/errors.js';
import type { Inputs } from '../../../shared/core/inputs.js';
import { registerSecret } from '../../../shared/core/secrets.js';
import { GITHUB_LOGIN_EXPECTED, isGitHubLogin } from '../../../shared/github/identity.js';
import type { MetricsWindow } from '../../../shared/metrics/model.js';
import { parseWindow } from '../../../shared/metrics/window.js';

/** Every input of delivery-metrics, checked before GitHub or AWS is called. */
export interface MetricsInputs {
  token: string | undefined;
  environments: string[];
  window: MetricsWindow;
  identity: string;
  reworkMarker: RegExp | undefined;
  /** Where the ECS revision tags are read: without a token, or when GitHub cannot be reached. */
  ecs: { service: string; cluster: string; region: string | undefined } | undefined;
}

/** The input names, for errors raised deeper down (shared/ never reads an input itself). */
export const INPUT = {
  token: 'github-token',
  environment: 'environment',
  service: 'service',
  cluster: 'cluster',
} as const;

export function readInputs(inputs: Inputs, now: Date): MetricsInputs {
  const token = inputs.optionalString('github-token');
  if (token) registerSecret(token);
  const environments = [...new Set(inputs.list('environment'))];
  if (environments.length === 0) throw new InputError('environment', inputs.raw('environment'), 'one or more GitHub environment names, e.g. `production`');
  for (const name of environments) {
    // GitHub's limit and the characters it refuses in an environment name.
    if (name.length > 255 || /[/\\"]/.test(name))
      throw new InputError('environment', name, 'a GitHub environment name (up to 255 characters, no `/`, `\\` or `"`)');
  }
  const window = parseWindow(inputs.string('window', '30d'), now, 'window');
  const identity = inputs.string('github-identity', 'github-actions[bot]');
  if (!isGitHubLogin(identity)) throw new InputError('github-identity', identity, GITHUB_LOGIN_EXPECTED);
  const reworkMarker = parseReworkMarker(inputs.optionalString('rework-marker'));
  const service = inputs.optionalString('service');
  const cluster = inputs.optionalString('cluster');
  if (service && !cluster) throw new InputError('cluster', undefined, `the ECS cluster of service ${JSON.stringify(service)}`);
  if (cluster && !service) throw new InputError('service', undefined, `the ECS service in cluster ${JSON.stringify(cluster)} whose revision tags to read`);
  const region = inputs.optionalString('aws-region');
  if (service) resolveRegion(region);
  if (!token && !service) {
    throw new InputError(
      'github-token',
      undefined,
      '`${{ github.token }}` with `permissions: deployments: read`, or `service` and `cluster` to read the ECS revision tags instead',
    );
  }
  return { token, environments, window, identity, reworkMarker, ecs: service && cluster ? { service, cluster, region } : undefined };
}

/** `/pattern/flags`, or a bare pattern (case-insensitive, `^`/`$` at every line). */
function parseReworkMarker(text: string | undefined): RegExp | undefined {
  if (text === undefined) return undefined;
  const literal = /^\/(.+)\/([a-z]*)$/s.exec(text);
  try {
    return literal ? new RegExp(literal[1]!, literal[2]) : new RegExp(text, 'im');
  } catch (error) {
    throw new InputError('rework-marker', text, `a regular expression, e.g. \`^hotfix\` or \`/^Hotfix: true$/m\` (${(error as Error).message})`);
  }
}
