import type { ActionContext } from '../../../shared/run-action.js';
import { Inputs } from '../../../shared/inputs.js';

export async function main({ logger }: ActionContext): Promise<void> {
  const inputs = new Inputs();
  const image = inputs.requiredString('image', 'an image reference such as `maven:3`');
  inputs.requiredString('run', 'a build script');
  logger.info(`image: ${image}`);
}

export async function post(): Promise<void> {}
