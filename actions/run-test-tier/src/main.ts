import type { ActionContext } from '../../../shared/run-action.js';
import { Inputs } from '../../../shared/inputs.js';

export async function main({ logger }: ActionContext): Promise<void> {
  const inputs = new Inputs();
  const tier = inputs.requiredString('tier', '`unit`, `integration`, `functional`, `acceptance` or a custom name');
  inputs.requiredString('run', 'a test command');
  logger.info(`tier: ${tier}`);
}

export async function post(): Promise<void> {}
