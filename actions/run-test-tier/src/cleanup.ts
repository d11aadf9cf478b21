import type { ActionContext } from '../../../shared/core/action.js';
import type { TierProcessGroup } from '../../../shared/test-tier/leftover-processes.js';
import { state } from './state.js';

/**
 * The post step: main tears down its own stack, container and test processes, even on a failure
 * or a cancellation; this removes what a main that was killed outright left behind.
 */
export async function post({ logger }: ActionContext): Promise<void> {
  const group = state.get('process-group');
  if (group) {
    const { stopTierProcesses } = await import('../../../shared/test-tier/leftover-processes.js');
    stopTierProcesses(JSON.parse(group) as TierProcessGroup, logger);
  }
  const container = state.get('container');
  if (container) {
    const { CONTAINER_LABEL, removeContainers, removeRunDirectory } = await import('../../../shared/container/runner.js');
    await removeContainers(`${CONTAINER_LABEL}=${container}`, logger);
    removeRunDirectory(container);
  }
  const project = state.get('compose-project');
  if (!project) return;
  const { ComposeStack } = await import('../../../shared/compose/stack.js');
  const files = JSON.parse(state.get('compose-files') ?? '[]') as string[];
  const command = JSON.parse(state.get('compose-command') ?? '["docker-compose"]') as string[];
  logger.info(`The main step did not tear down compose project ${project} (it was cancelled or killed); tearing it down now.`);
  await new ComposeStack({ command, project, files, cwd: state.get('compose-cwd') ?? process.cwd(), logger }).down();
}
