import type { ActionContext } from '../../../shared/core/action.js';
import type { Logger } from '../../../shared/core/logger.js';
import { state } from './state.js';

/**
 * The post step: main tears down its own stack, container and test processes, even on a failure
 * or a cancellation; this removes what a main that was killed outright left behind.
 *
 * Nothing in state is trusted: the test command, a service's log or a report's name can write
 * state through the deprecated `::save-state` command, and this step runs with the job's token.
 * Each value is acted on only when it is one main can have produced; anything else is named and
 * ignored.
 */
export async function post({ logger }: ActionContext): Promise<void> {
  await stopLeftoverProcesses(logger);
  await removeLeftoverContainer(logger);
  await tearDownLeftoverStack(logger);
}

async function stopLeftoverProcesses(logger: Logger): Promise<void> {
  const saved = state.get('process-group');
  if (!saved) return;
  const { parseTierProcessGroup, stopTierProcesses } = await import('../../../shared/test-tier/leftover-processes.js');
  const group = parseTierProcessGroup(saved);
  if (!group) {
    logger.warning(`Ignored the saved state process-group (${saved}): not a process group this action records; nothing was stopped.`);
    return;
  }
  stopTierProcesses(group, logger);
}

async function removeLeftoverContainer(logger: Logger): Promise<void> {
  const container = state.get('container');
  if (!container) return;
  const { CONTAINER_LABEL, isOwnContainerName, removeContainers, removeRunDirectory } = await import('../../../shared/container/runner.js');
  if (!isOwnContainerName(container)) {
    logger.warning(`Ignored the saved state container (${container}): not a container name this action makes; nothing was removed.`);
    return;
  }
  await removeContainers(`${CONTAINER_LABEL}=${container}`, logger);
  removeRunDirectory(container);
}

async function tearDownLeftoverStack(logger: Logger): Promise<void> {
  const project = state.get('compose-project');
  if (!project) return;
  const { readSavedStack } = await import('../../../shared/compose/saved-stack.js');
  const saved = readSavedStack({
    project,
    ...optional('files', state.get('compose-files')),
    ...optional('command', state.get('compose-command')),
    ...optional('cwd', state.get('compose-cwd')),
  });
  if ('refused' in saved) {
    logger.warning(`Ignored the saved compose stack (project ${project}): ${saved.refused}; nothing was run.`);
    return;
  }
  const { ComposeStack } = await import('../../../shared/compose/stack.js');
  logger.info(`The main step did not tear down compose project ${saved.project} (it was cancelled or killed); tearing it down now.`);
  await new ComposeStack({ ...saved, logger }).down();
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
