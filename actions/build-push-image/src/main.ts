import type { ActionContext } from '../../../shared/run-action.js';
import { Inputs } from '../../../shared/inputs.js';

export async function main({ logger }: ActionContext): Promise<void> {
  const inputs = new Inputs();
  const image = inputs.requiredString('image', 'a repository such as `localhost:5000/app`');
  logger.info(`image: ${image}`);
}

export async function post(): Promise<void> {}
