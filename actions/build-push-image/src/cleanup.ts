import { removeDockerConfig } from '../../../shared/docker/config.js';
import type { ActionContext } from '../../../shared/core/action.js';
import { state } from './state.js';

/**
 * The post step: removes the private Docker config and the login in it. Kept apart from main so
 * the post bundle carries none of the build, push and AWS code. The directory comes from state,
 * which anything on the step's output can write: only one main can have made is removed.
 */
export async function post({ logger }: ActionContext): Promise<void> {
  const dir = state.get('docker-config');
  if (!dir) {
    logger.info('No private Docker config to remove (no login was made).');
    return;
  }
  if (!removeDockerConfig(dir)) {
    logger.warning(
      `Ignored the saved state docker-config (${dir}): not a private Docker config this action creates (ctp-… in RUNNER_TEMP); nothing was removed.`,
    );
    return;
  }
  logger.info(`Removed the private Docker config ${dir} (and the registry login in it).`);
}
