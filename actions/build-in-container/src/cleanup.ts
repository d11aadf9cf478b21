import type { ActionContext } from '../../../shared/core/action.js';
import { removeDockerConfig } from '../../../shared/docker/config.js';
import { CONTAINER_LABEL, isOwnContainerName, removeContainers, removeRunDirectory } from '../../../shared/container/runner.js';
import { state } from './state.js';

/**
 * Main stops and removes its container even on timeout or cancellation; this catches what a
 * main that was killed outright (SIGKILL after the runner's grace period) left behind. State is
 * not trusted (a build printing `::save-state` writes it): names and directories are acted on
 * only when main could have made them.
 */
export async function post({ logger }: ActionContext): Promise<void> {
  const container = state.get('container');
  if (container && !isOwnContainerName(container)) {
    logger.warning(`Ignored the saved state container (${container}): not a container name this action makes; nothing was removed.`);
  } else if (container) {
    const removed = await removeContainers(`${CONTAINER_LABEL}=${container}`, logger);
    if (removed === 0) logger.debug(`Nothing left behind by ${container}.`);
    removeRunDirectory(container);
  }
  const dockerConfig = state.get('docker-config');
  if (!removeDockerConfig(dockerConfig)) {
    logger.warning(`Ignored the saved state docker-config (${dockerConfig}): not a private Docker config this action creates; nothing was removed.`);
  }
}
