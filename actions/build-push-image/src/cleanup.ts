import { removeDockerConfig } from '../../../shared/docker/config.js';
import type { ActionContext } from '../../../shared/core/action.js';
import { state } from './state.js';

/**
 * The post step: removes the private Docker config and the login in it. Kept apart from main so
 * the post bundle carries none of the build, push and AWS code.
 */
export async function post({ logger }: ActionContext): Promise<void> {
  const dir = state.get('docker-config');
  if (!dir) {
    logger.info('No private Docker config to remove (no login was made).');
    return;
  }
  removeDockerConfig(dir);
  logger.info(`Removed the private Docker config ${dir} (and the registry login in it).`);
}
