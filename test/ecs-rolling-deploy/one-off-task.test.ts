/**
 * runOneOffTask's own rules with a fake clock and an ECS double (narrow: the real path is
 * pre-deploy.test.ts through the bundle and the emulator): a quiet task still gets progress lines,
 * and a StopTask that fails is tried again until ECS takes it, so the task is never left running.
 */
import { DescribeTasksCommand, RunTaskCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { runOneOffTask } from '../../shared/ecs/one-off-task.js';
import { fakeClock } from '../helpers/fake-clock.js';
import { MemoryLogger } from '../helpers/memory-logger.js';

const ARN = 'arn:aws:ecs:us-east-1:000000000000:task/c/0123456789abcdef0123456789abcdef';

/** A task that runs until StopTask has been accepted; StopTask fails `failures` times first. */
function ecsDouble(failures: number) {
  const sent: string[] = [];
  let stopped = false;
  return {
    sent,
    async send(command: object): Promise<unknown> {
      sent.push(command.constructor.name);
      if (command instanceof RunTaskCommand) return { tasks: [{ taskArn: ARN, lastStatus: 'PROVISIONING' }], failures: [] };
      if (command instanceof StopTaskCommand) {
        if (failures-- > 0) throw new Error('socket hang up');
        stopped = true;
        return {};
      }
      if (command instanceof DescribeTasksCommand) {
        return {
          tasks: [
            stopped
              ? {
                  taskArn: ARN,
                  lastStatus: 'STOPPED',
                  stopCode: 'UserInitiated',
                  stoppedReason: 'commit-to-prod: timed out after 2m',
                  containers: [{ name: 'app', exitCode: 143 }],
                }
              : { taskArn: ARN, lastStatus: 'RUNNING', containers: [{ name: 'app' }] },
          ],
        };
      }
      throw new Error(`unexpected ${command.constructor.name}`);
    },
  };
}

const request = {
  cluster: 'c',
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/f:2',
  containerDefinitions: [{ name: 'app', image: 'x', essential: true }],
  containerInput: 'pre-deploy-container',
  command: ['bin/migrate'],
  tags: [],
  timeoutMs: 120_000,
  label: 'pre-deploy task',
};

describe('runOneOffTask', () => {
  it('prints progress while a quiet task runs, and retries a failed StopTask at its timeout', async () => {
    const ecs = ecsDouble(2);
    const logger = new MemoryLogger();
    const result = await runOneOffTask(request, { ecs: ecs as never, logs: undefined, logger, clock: fakeClock() });
    expect(result).toMatchObject({ ending: 'timed-out', exitCode: 143, stopCode: 'UserInitiated' });
    expect(ecs.sent.filter((c) => c === 'StopTaskCommand')).toHaveLength(3);
    expect(logger.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual([
      'StopTask 0123456789abcdef0123456789abcdef failed (socket hang up); trying again.',
      'StopTask 0123456789abcdef0123456789abcdef failed (socket hang up); trying again.',
    ]);
    // Quiet for two minutes: a line every 30 s says it is still running.
    expect(logger.lines.filter((l) => /RUNNING \(still; 0 log lines so far\)/.test(l)).length).toBeGreaterThanOrEqual(3);
  });

  it('names the input when the container does not exist', async () => {
    await expect(
      runOneOffTask({ ...request, container: 'web' }, { ecs: ecsDouble(0) as never, logs: undefined, logger: new MemoryLogger(), clock: fakeClock() }),
    ).rejects.toThrow(`Input 'pre-deploy-container' has an invalid value "web": f:2 has no such container (its containers: app).`);
  });
});
