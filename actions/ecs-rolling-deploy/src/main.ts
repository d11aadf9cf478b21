import type { ActionContext } from '../../../shared/run-action.js';
import { Inputs } from '../../../shared/inputs.js';

export async function main({ logger }: ActionContext): Promise<void> {
  const inputs = new Inputs();
  const cluster = inputs.requiredString('cluster', 'an ECS cluster name or ARN');
  const service = inputs.requiredString('service', 'an ECS service name or ARN');
  logger.info(`service: ${cluster}/${service}`);
}
