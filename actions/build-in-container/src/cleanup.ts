import type { ActionContext } from '../../../shared/core/action.js';
import { removeDockerConfig } from '../../../shared/docker/config.js';
import { CONTAINER_LABEL, removeContainers, removeRunDirectory } from '../../../shared/container/runner.js';
import { state } from './state.js';

/**
 * Main stops and removes its container even on timeout or cancellation; this catches what a
 * main that was killed outright (SIGKILL after the runner's grace period) left behind.
 */
export async function post({ logger }: ActionContext): Promise<void> {
  const container = state.get('container');
  if (container) {
    const removed = await removeContainers(`${CONTAINER_LABEL}=${container}`, logger);
    if (removed === 0) logger.debug(`Nothing left behind by ${container}.`);
    removeRunDirectory(container);
  }
  removeDockerConfig(state.get('docker-config'));
}
