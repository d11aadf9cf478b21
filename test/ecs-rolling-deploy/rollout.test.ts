/**
 * Following a rollout: the verdict on DescribeServices snapshots, event de-duplication, progress
 * lines, stopped tasks, and the polling loop itself on a fake clock (hours in microseconds).
 */
import type { Deployment, Service, ServiceEvent, Task } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../shared/core/clock.js';
import { assessRollout, failuresInARow, rolloutCounts } from '../../shared/ecs/assess-rollout.js';
import type { FollowDeps, FollowRolloutOptions, FollowStats } from '../../shared/ecs/follow-rollout.js';
import { rollingFollower } from '../../shared/ecs/rolling-follower.js';

/** The rolling follower, as the engine calls it. */
const followRollout = (plan: FollowRolloutOptions, deps: FollowDeps) => rollingFollower(deps).follow(plan, deps.signal);
import type { EcsSender } from '../../shared/ecs/raw-json.js';
import { ProgressReporter, progressLine } from '../../shared/ecs/rollout-progress.js';
import { ServiceEventStream } from '../../shared/ecs/service-events.js';
import { describeStoppedTask, toStoppedTask } from '../../shared/ecs/stopped-task.js';
import { Timeline } from '../../shared/ecs/timeline.js';
import { stoppedReasons } from '../../shared/ecs/stopped-task.js';
import { timelineRows } from '../../shared/ecs/deploy-summary.js';
import { MemoryLogger } from '../helpers/memory-logger.js';
import { fakeClock } from '../helpers/fake-clock.js';

const NEW = 'arn:aws:ecs:eu-west-1:1:task-definition/pay:8';
const OLD = 'arn:aws:ecs:eu-west-1:1:task-definition/pay:7';

function dep(id: string, td: string, status: string, rolloutState: string, counts: Partial<Deployment> = {}): Deployment {
  return {
    id,
    taskDefinition: td,
    status,
    rolloutState: rolloutState as Deployment['rolloutState'],
    desiredCount: 2,
    runningCount: 0,
    pendingCount: 0,
    failedTasks: 0,
    ...counts,
  };
}
function svc(deployments: Deployment[], extra: Partial<Service> = {}): Service {
  return { serviceName: 's', status: 'ACTIVE', desiredCount: 2, deployments, events: [], ...extra };
}

describe('assessRollout', () => {
  const opts = { maxFailedTasks: 2, previousTaskDefinition: OLD };
  it.each([
    [
      'starting, old still running',
      svc([dep('n', NEW, 'PRIMARY', 'IN_PROGRESS', { pendingCount: 2 }), dep('o', OLD, 'ACTIVE', 'COMPLETED', { runningCount: 2 })]),
      { state: 'in-progress' },
    ],
    [
      'new all running, old not yet drained',
      svc([dep('n', NEW, 'PRIMARY', 'IN_PROGRESS', { runningCount: 2 }), dep('o', OLD, 'ACTIVE', 'COMPLETED', { runningCount: 1 })]),
      { state: 'in-progress' },
    ],
    [
      'COMPLETED but old deployment still listed',
      svc([dep('n', NEW, 'PRIMARY', 'COMPLETED', { runningCount: 2 }), dep('o', OLD, 'ACTIVE', 'COMPLETED')]),
      { state: 'in-progress' },
    ],
    ['COMPLETED, running < desired', svc([dep('n', NEW, 'PRIMARY', 'COMPLETED', { runningCount: 1 })]), { state: 'in-progress' }],
    ['COMPLETED alone at desired count', svc([dep('n', NEW, 'PRIMARY', 'COMPLETED', { runningCount: 2 })]), { state: 'completed' }],
    [
      'no rolloutState (old ECS), alone at desired count',
      svc([dep('n', NEW, 'PRIMARY', undefined as unknown as string, { runningCount: 2 })]),
      { state: 'completed' },
    ],
    ['one failed task', svc([dep('n', NEW, 'PRIMARY', 'IN_PROGRESS', { failedTasks: 1 })]), { state: 'in-progress' }],
    ['max-failed-tasks reached', svc([dep('n', NEW, 'PRIMARY', 'IN_PROGRESS', { failedTasks: 2 })]), { state: 'failed', cause: 'failed-tasks' }],
    [
      'FAILED, no rollback',
      svc([dep('n', NEW, 'PRIMARY', 'FAILED', { rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' })]),
      { state: 'failed', cause: 'rollout-failed' },
    ],
    [
      'FAILED and ECS rolled back',
      svc([dep('r', OLD, 'PRIMARY', 'IN_PROGRESS'), dep('n', NEW, 'ACTIVE', 'FAILED', { rolloutStateReason: 'circuit breaker' })]),
      { state: 'failed', cause: 'circuit-breaker-rollback', replacedBy: { deploymentId: 'r', taskDefinition: OLD } },
    ],
    [
      // Changed by issue 14: without ECS's own record of a rollback, a new PRIMARY on the previous
      // revision may be anyone's update; it is not called the circuit breaker.
      'ours gone, a PRIMARY of the previous revision and no ECS rollback event',
      svc([dep('r', OLD, 'PRIMARY', 'COMPLETED', { runningCount: 2 })]),
      { state: 'failed', cause: 'superseded' },
    ],
    [
      'ECS rollback already finished (ours gone, ECS said so in its events)',
      svc([dep('r', OLD, 'PRIMARY', 'COMPLETED', { runningCount: 2 })], {
        events: [{ id: 'e1', message: '(service s) (deployment n) deployment failed: tasks failed to start.' }],
      }),
      { state: 'failed', cause: 'circuit-breaker-rollback' },
    ],
    [
      'FAILED by a CloudWatch alarm and ECS rolled back',
      svc([
        dep('r', OLD, 'PRIMARY', 'IN_PROGRESS'),
        dep('n', NEW, 'ACTIVE', 'FAILED', { rolloutStateReason: 'Rolling back to deployment r. CloudWatch alarm(s) in ALARM state: p99-latency.' }),
      ]),
      { state: 'failed', cause: 'alarm-rollback', replacedBy: { deploymentId: 'r', taskDefinition: OLD } },
    ],
    [
      'FAILED and replaced by another revision is not an ECS rollback',
      svc([
        dep('x', 'arn:aws:ecs:eu-west-1:1:task-definition/pay:9', 'PRIMARY', 'IN_PROGRESS'),
        dep('n', NEW, 'ACTIVE', 'FAILED', { rolloutStateReason: 'x' }),
      ]),
      { state: 'failed', cause: 'superseded' },
    ],
    [
      'COMPLETED but replaced by ECS rollback is still a failure',
      svc([dep('r', OLD, 'PRIMARY', 'IN_PROGRESS'), dep('n', NEW, 'ACTIVE', 'FAILED', { runningCount: 2 })]),
      { state: 'failed', cause: 'circuit-breaker-rollback' },
    ],
    [
      'someone else deployed',
      svc([dep('x', 'arn:aws:ecs:eu-west-1:1:task-definition/pay:9', 'PRIMARY', 'IN_PROGRESS'), dep('n', NEW, 'ACTIVE', 'IN_PROGRESS')]),
      { state: 'failed', cause: 'superseded' },
    ],
    ['service deleted', svc([], { status: 'DRAINING' }), { state: 'failed', cause: 'superseded' }],
  ])('%s', (_name, service, expected) => {
    expect(assessRollout(service, 'n', opts)).toMatchObject(expected);
  });

  it('a COMPLETED deployment that runs another revision than the one deployed is not success', () => {
    const s = svc([dep('n', OLD, 'PRIMARY', 'COMPLETED', { runningCount: 2 })]);
    expect(assessRollout(s, 'n', { ...opts, taskDefinition: NEW })).toMatchObject({ state: 'failed', cause: 'superseded' });
    expect(assessRollout(s, 'n', { ...opts, taskDefinition: OLD })).toMatchObject({ state: 'completed' });
  });

  it("decides on the failure count given (failuresInARow), else on ECS's own", () => {
    const s = svc([dep('n', NEW, 'PRIMARY', 'IN_PROGRESS', { failedTasks: 0 })]);
    expect(assessRollout(s, 'n', { maxFailedTasks: 2, observedFailures: 2 })).toMatchObject({ state: 'failed', cause: 'failed-tasks' });
    expect(rolloutCounts(s, 'n', 2).failed).toBe(2);
    const ecsCounted = svc([dep('n', NEW, 'PRIMARY', 'IN_PROGRESS', { failedTasks: 3 })]);
    expect(rolloutCounts(ecsCounted, 'n').failed).toBe(3);
    expect(assessRollout(ecsCounted, 'n', { maxFailedTasks: 3 })).toMatchObject({
      state: 'failed',
      reason: '3 tasks of the new revision failed in a row (max-failed-tasks 3)',
    });
  });

  it("failuresInARow: ECS's consecutive count decides when ECS reports one (its resets included); the failed stops seen count when it does not", () => {
    // Between two polls: fail, fail, healthy, fail, fail; ECS says 2, four stops are seen.
    expect(failuresInARow(2, 4)).toBe(2);
    expect(failuresInARow(0, 4)).toBe(0);
    expect(failuresInARow(undefined, 3)).toBe(3);
  });
});

describe('ServiceEventStream', () => {
  const e = (id: string, t: number, message = id): ServiceEvent => ({ id, createdAt: new Date(t), message });
  it('streams each event once, oldest first, ignoring what was there before', () => {
    const stream = new ServiceEventStream();
    stream.prime([e('a', 1)]);
    expect(stream.take([e('c', 3), e('b', 2), e('a', 1)]).map((x) => x.id)).toEqual(['b', 'c']);
    expect(stream.take([e('d', 4), e('c', 3), e('b', 2), e('a', 1)]).map((x) => x.id)).toEqual(['d']);
    expect(stream.take([e('d', 4), e('c', 3)])).toEqual([]);
  });
  it('keeps ECS order for events with the same time', () => {
    const stream = new ServiceEventStream();
    expect(stream.take([e('second', 5), e('first', 5)]).map((x) => x.id)).toEqual(['first', 'second']);
  });
});

describe('progress lines', () => {
  const counts = { desired: 3, running: 1, pending: 2, oldRunning: 2, failed: 0 };
  it('formats counts and elapsed time', () => {
    expect(progressLine(counts, { revision: 'pay:8', previous: 'pay:7' }, 65_000)).toBe('[1m05s] pay:8 1/3 running, 2 pending · pay:7 2 running · 0 failed');
    expect(progressLine({ ...counts, pending: 0, oldRunning: 0 }, { revision: 'pay:8' }, 1_500)).toBe('[1.5s] pay:8 1/3 running · 0 failed');
  });
  it('prints only when the counts change', () => {
    const p = new ProgressReporter();
    const labels = { revision: 'pay:8' };
    expect(p.update(counts, labels, 0)).toBeDefined();
    expect(p.update(counts, labels, 2_000)).toBeUndefined();
    expect(p.update({ ...counts, running: 2, pending: 1 }, labels, 4_000)).toMatch(/^\[4s\] pay:8 2\/3 running, 1 pending/);
  });
});

describe('stopped tasks', () => {
  const task = (t: Partial<Task>): Task => ({ taskArn: 'arn:aws:ecs:r:1:task/c/abc123', lastStatus: 'STOPPED', ...t });
  it.each([
    [
      task({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', containers: [{ name: 'app', exitCode: 137 }] }),
      true,
      'task abc123 stopped: Essential container in task exited (EssentialContainerExited; app exit 137)',
    ],
    [
      task({
        stopCode: 'TaskFailedToStart',
        stoppedReason: 'CannotPullContainerError: not found',
        containers: [{ name: 'app', reason: 'CannotPullContainerError' }],
      }),
      true,
      'task abc123 stopped: CannotPullContainerError: not found (TaskFailedToStart; app exit ? (CannotPullContainerError))',
    ],
    [
      task({ stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Task failed ELB health checks in (target-group tg)' }),
      true,
      'task abc123 stopped: Task failed ELB health checks in (target-group tg) (ServiceSchedulerInitiated)',
    ],
    [
      task({
        stopCode: 'ServiceSchedulerInitiated',
        stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1)',
        containers: [{ name: 'app', exitCode: 0 }],
      }),
      false,
      'task abc123 stopped: Scaling activity initiated by (deployment ecs-svc/1) (ServiceSchedulerInitiated; app exit 0)',
    ],
    [
      task({ stopCode: 'UserInitiated', stoppedReason: 'stopped by ops', containers: [{ name: 'app', exitCode: 143 }] }),
      false,
      'task abc123 stopped: stopped by ops (UserInitiated; app exit 143)',
    ],
    // Not the release's fault (issue 14): shown, never counted.
    [
      task({ stopCode: 'SpotInterruption', stoppedReason: 'Your Spot Task was interrupted.', containers: [{ name: 'app', exitCode: 143 }] }),
      false,
      'task abc123 stopped: Your Spot Task was interrupted. (SpotInterruption; app exit 143)',
    ],
    [
      task({
        stopCode: 'ServiceSchedulerInitiated',
        stoppedReason: 'ECS is performing maintenance on the underlying infrastructure hosting the task.',
        containers: [{ name: 'app', exitCode: 143 }],
      }),
      false,
      'task abc123 stopped: ECS is performing maintenance on the underlying infrastructure hosting the task. (ServiceSchedulerInitiated; app exit 143)',
    ],
    [
      task({ stopCode: 'TerminationNotice', stoppedReason: 'Host EC2 (instance i-1) termination notice.', containers: [{ name: 'app', exitCode: 137 }] }),
      false,
      'task abc123 stopped: Host EC2 (instance i-1) termination notice. (TerminationNotice; app exit 137)',
    ],
  ])('%#', (t, failed, line) => {
    const s = toStoppedTask(t);
    expect(s.failed).toBe(failed);
    expect(describeStoppedTask(s)).toBe(line);
  });

  it('summarizes repeated reasons once with a count', () => {
    const crash = toStoppedTask(
      task({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', containers: [{ name: 'app', exitCode: 1 }] }),
    );
    expect(stoppedReasons([crash, { ...crash, taskId: 'def' }])).toBe('Why: Essential container in task exited (EssentialContainerExited; app exit 1) ×2.');
    expect(stoppedReasons([])).toBe('');
  });
});

/** A task of the new revision whose essential container exited 1. */
const crash = (id: string): Task => ({
  taskArn: `arn:aws:ecs:r:1:task/c/${id}`,
  lastStatus: 'STOPPED',
  stopCode: 'EssentialContainerExited',
  stoppedReason: 'Essential container in task exited',
  containers: [{ name: 'app', exitCode: 1 }],
});

/** An ECS that answers DescribeServices from a script indexed by poll number. */
function scriptedEcs(
  clock: Clock,
  script: (poll: number, now: number) => Service | Error,
  stopped: (poll: number) => Task[] = () => [],
  listTasks?: (input: { nextToken?: string }) => { taskArns: string[]; nextToken?: string } | Error,
): EcsSender & { polls: number[] } {
  const polls: number[] = [];
  return {
    polls,
    send: (async (command: { constructor: { name: string }; input: { tasks?: string[] } }) => {
      switch (command.constructor.name) {
        case 'DescribeServicesCommand': {
          polls.push(clock.now());
          const answer = script(polls.length, clock.now());
          if (answer instanceof Error) throw answer;
          return { services: [answer] };
        }
        case 'ListTasksCommand': {
          if (listTasks) {
            const answer = listTasks(command.input as { nextToken?: string });
            if (answer instanceof Error) throw answer;
            return answer;
          }
          return { taskArns: stopped(polls.length).map((t) => t.taskArn) };
        }
        case 'DescribeTasksCommand':
          return { tasks: stopped(polls.length).filter((t) => command.input.tasks?.includes(t.taskArn!)) };
        default:
          throw new Error(`unexpected ${command.constructor.name}`);
      }
    }) as unknown as EcsSender['send'],
  };
}

describe('followRollout', () => {
  const run = (ecs: EcsSender, clock: Clock, deadlineMs: number, maxFailedTasks = 2) => {
    const stats: FollowStats = { describeServicesCalls: 0, throttled: 0 };
    const logger = new MemoryLogger();
    const timeline = new Timeline(() => clock.now(), clock.now());
    return followRollout(
      {
        cluster: 'c',
        service: 's',
        deploymentId: 'n',
        taskDefinitionArn: NEW,
        previousTaskDefinitionArn: OLD,
        deadline: clock.now() + deadlineMs,
        maxFailedTasks,
        events: new ServiceEventStream(),
      },
      { ecs, logger, clock, timeline, stats },
    ).then((result) => ({ result, logger, stats }));
  };
  const inProgress = svc([dep('n', NEW, 'PRIMARY', 'IN_PROGRESS', { pendingCount: 2 }), dep('o', OLD, 'ACTIVE', 'COMPLETED', { runningCount: 2 })]);
  const completed = svc([dep('n', NEW, 'PRIMARY', 'COMPLETED', { runningCount: 2 })]);
  /** The rollout with ECS's own count of failed tasks in a row, as ECS reports it with the stopped tasks. */
  const failing = (failedTasks: number) =>
    svc([dep('n', NEW, 'PRIMARY', 'IN_PROGRESS', { pendingCount: 2, failedTasks }), dep('o', OLD, 'ACTIVE', 'COMPLETED', { runningCount: 2 })]);

  it('polls every 2 s and stops at the first poll that sees COMPLETED', async () => {
    const clock = fakeClock();
    const t0 = clock.now();
    // COMPLETED at t0 + 7 s: the poll at 8 s must be the last one.
    const ecs = scriptedEcs(clock, (_poll, now) => (now - t0 >= 7_000 ? completed : inProgress));
    const { result, stats } = await run(ecs, clock, 60_000);
    expect(result.verdict.state).toBe('completed');
    expect(ecs.polls.map((t) => t - t0)).toEqual([0, 2_000, 4_000, 6_000, 8_000]);
    expect(stats.describeServicesCalls).toBe(5);
  });

  it('honours the deadline to the millisecond, shortening the last wait', async () => {
    const clock = fakeClock();
    const t0 = clock.now();
    const ecs = scriptedEcs(clock, () => inProgress);
    const { result } = await run(ecs, clock, 5_500);
    expect(result.verdict).toMatchObject({ state: 'failed', cause: 'timed-out' });
    expect(ecs.polls.map((t) => t - t0)).toEqual([0, 2_000, 4_000, 5_500]);
    expect(clock.now() - t0).toBe(5_500);
  });

  it('backs off only while ECS throttles, then returns to 2 s', async () => {
    const clock = fakeClock();
    const t0 = clock.now();
    const throttle = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const ecs = scriptedEcs(clock, (poll) => (poll === 2 || poll === 3 ? throttle : poll >= 6 ? completed : inProgress));
    const { result, logger, stats } = await run(ecs, clock, 600_000);
    expect(result.verdict.state).toBe('completed');
    expect(ecs.polls.map((t) => t - t0)).toEqual([0, 2_000, 6_000, 14_000, 16_000, 18_000]);
    expect(stats.throttled).toBe(2);
    expect(logger.annotations.filter((a) => a.level === 'warning')).toHaveLength(2);
  });

  it('rides out a failed poll, but not a persistent failure', async () => {
    const clock = fakeClock();
    const down = Object.assign(new Error('socket hang up'), { name: 'Error' });
    const flaky = scriptedEcs(clock, (poll) => (poll === 2 ? down : poll >= 4 ? completed : inProgress));
    const { result, logger } = await run(flaky, clock, 60_000);
    expect(result.verdict.state).toBe('completed');
    expect(logger.annotations.map((a) => a.message)).toEqual(["Could not read the rollout's state (socket hang up); trying again."]);
    // Changed by issue 14: a persistent failure ends the follow with an unknown outcome (the last
    // state seen kept), never a thrown error that leaves no outcome at all.
    const dead = scriptedEcs(clock, (poll) => (poll === 1 ? inProgress : down));
    const ended = await run(dead, clock, 600_000);
    expect(ended.result.verdict).toMatchObject({ state: 'unknown', reason: expect.stringContaining('socket hang up') });
    expect(ended.result.service).toBe(inProgress);
    expect(dead.polls).toHaveLength(6);
  });

  it('follows to the end when stop reasons cannot be read (no ecs:ListTasks), warning once', async () => {
    const clock = fakeClock();
    const denied = Object.assign(new Error('User is not authorized to perform: ecs:ListTasks'), { name: 'AccessDeniedException' });
    const ecs = scriptedEcs(
      clock,
      (poll) => (poll >= 8 ? completed : inProgress),
      () => [],
      () => denied,
    );
    const { result, logger } = await run(ecs, clock, 600_000);
    expect(result.verdict.state).toBe('completed');
    expect(ecs.polls).toHaveLength(8);
    expect(logger.annotations.map((a) => a.message)).toEqual([
      'Could not read why tasks stopped (User is not authorized to perform: ecs:ListTasks); following the rollout without stop reasons until it works.',
    ]);
  });

  it('reads every page of ListTasks', async () => {
    const clock = fakeClock();
    const tasks = [crash('t1'), crash('t2')];
    // One task a page: the failure on page 2 is the one that fails the rollout.
    const ecs = scriptedEcs(
      clock,
      () => failing(2),
      () => tasks,
      (input) => (input.nextToken ? { taskArns: [tasks[1]!.taskArn!] } : { taskArns: [tasks[0]!.taskArn!], nextToken: 'p2' }),
    );
    const { result } = await run(ecs, clock, 600_000);
    expect(result.verdict).toMatchObject({ state: 'failed', cause: 'failed-tasks' });
    expect(result.stoppedTasks.map((t) => t.taskId)).toEqual(['t1', 't2']);
    expect(ecs.polls).toHaveLength(1);
  });

  it('fails at the poll that sees max-failed-tasks stopped tasks, reporting each once', async () => {
    const clock = fakeClock();
    const ecs = scriptedEcs(
      clock,
      (poll) => failing(poll >= 3 ? 2 : poll >= 2 ? 1 : 0),
      (poll) => (poll >= 3 ? [crash('t1'), crash('t2')] : poll >= 2 ? [crash('t1')] : []),
    );
    const { result, logger } = await run(ecs, clock, 600_000);
    expect(result.verdict).toMatchObject({ state: 'failed', cause: 'failed-tasks' });
    expect(ecs.polls).toHaveLength(3);
    expect(result.stoppedTasks.map((t) => t.taskId)).toEqual(['t1', 't2']);
    expect(logger.annotations.map((a) => a.message)).toEqual([
      'pay:8: task t1 stopped: Essential container in task exited (EssentialContainerExited; app exit 1)',
      'pay:8: task t2 stopped: Essential container in task exited (EssentialContainerExited; app exit 1)',
    ]);
  });

  it('stops waiting at once when cancelled', async () => {
    const clock = fakeClock();
    const controller = new AbortController();
    const ecs = scriptedEcs(clock, (poll) => {
      if (poll === 2) controller.abort();
      return inProgress;
    });
    const stats: FollowStats = { describeServicesCalls: 0, throttled: 0 };
    const result = await followRollout(
      {
        cluster: 'c',
        service: 's',
        deploymentId: 'n',
        taskDefinitionArn: NEW,
        deadline: clock.now() + 60_000,
        maxFailedTasks: 2,
        events: new ServiceEventStream(),
      },
      { ecs, logger: new MemoryLogger(), clock, signal: controller.signal, timeline: new Timeline(() => clock.now(), clock.now()), stats },
    );
    expect(result.verdict).toMatchObject({ state: 'failed', cause: 'cancelled' });
    expect(ecs.polls).toHaveLength(2);
  });
});

describe("the rolling follower's end: what the release record needs", () => {
  const follow = (ecs: EcsSender, clock: Clock, maxFailedTasks = 2) =>
    rollingFollower({
      ecs,
      logger: new MemoryLogger(),
      clock,
      timeline: new Timeline(() => clock.now(), clock.now()),
      stats: { describeServicesCalls: 0, throttled: 0 },
    }).follow({
      cluster: 'c',
      service: 's',
      deploymentId: 'n',
      taskDefinitionArn: NEW,
      previousTaskDefinitionArn: OLD,
      deadline: clock.now() + 60_000,
      maxFailedTasks,
      events: new ServiceEventStream(),
      pollIntervalMs: 1_000,
    });
  const behindLb = { loadBalancers: [{ targetGroupArn: 'arn:tg', containerName: 'app', containerPort: 8080 }] };
  const event = (id: string, message: string) => ({ id, createdAt: new Date(), message });

  it('a completed rollout succeeded and served production', async () => {
    const clock = fakeClock();
    const ecs = scriptedEcs(clock, (poll) =>
      poll < 3
        ? svc([dep('n', NEW, 'PRIMARY', 'IN_PROGRESS', { pendingCount: 2 })], behindLb)
        : svc([dep('n', NEW, 'PRIMARY', 'COMPLETED', { runningCount: 2 })], behindLb),
    );
    const end = await follow(ecs, clock);
    expect(end).toMatchObject({ kind: 'rolling', outcome: 'succeeded', cause: undefined, served: 'yes' });
  });

  it('behind a load balancer, a running task served only once ECS registered its target (unknown when its tasks then failed)', async () => {
    const clock = fakeClock();
    const running = (events: { id: string; createdAt: Date; message: string }[]) =>
      svc([dep('n', NEW, 'PRIMARY', 'IN_PROGRESS', { runningCount: 1, failedTasks: 2 }), dep('o', OLD, 'ACTIVE', 'COMPLETED', { runningCount: 2 })], {
        ...behindLb,
        events,
      });
    const unregistered = await follow(
      scriptedEcs(clock, () => running([])),
      clock,
    );
    expect(unregistered).toMatchObject({ outcome: 'failed', cause: 'failed-tasks', served: 'no' });
    const registered = await follow(
      scriptedEcs(clock, () => running([event('e1', '(service s) registered 1 targets in (target-group arn:tg)')])),
      clock,
    );
    // Its tasks failed: whether a target was ever healthy (and took a request) ECS does not say.
    expect(registered).toMatchObject({ outcome: 'failed', cause: 'failed-tasks', served: 'unknown' });
  });

  it('targets registered and the rollout failed for another reason (the deadline): it served', async () => {
    const clock = fakeClock();
    const ecs = scriptedEcs(clock, () =>
      svc([dep('n', NEW, 'PRIMARY', 'IN_PROGRESS', { runningCount: 1 }), dep('o', OLD, 'ACTIVE', 'COMPLETED', { runningCount: 2 })], {
        ...behindLb,
        events: [event('e1', '(service s) registered 1 targets in (target-group arn:tg)')],
      }),
    );
    expect(await follow(ecs, clock)).toMatchObject({ outcome: 'failed', cause: 'timeout', served: 'yes' });
  });

  it('targets registered, then stopped for failing the load balancer health checks: whether they served is unknown', async () => {
    const clock = fakeClock();
    const unhealthy = (id: string): Task => ({
      taskArn: `arn:aws:ecs:r:1:task/c/${id}`,
      taskDefinitionArn: NEW,
      lastStatus: 'STOPPED',
      startedAt: new Date(),
      stopCode: 'ServiceSchedulerInitiated',
      stoppedReason: 'Task failed ELB health checks in (target-group arn:tg)',
      containers: [{ name: 'app' }],
    });
    const ecs = scriptedEcs(
      clock,
      () =>
        svc([dep('n', NEW, 'PRIMARY', 'IN_PROGRESS', { runningCount: 1, failedTasks: 2 }), dep('o', OLD, 'ACTIVE', 'COMPLETED', { runningCount: 2 })], {
          ...behindLb,
          events: [event('e1', '(service s) registered 2 targets in (target-group arn:tg)')],
        }),
      () => [unhealthy('t1'), unhealthy('t2')],
    );
    expect(await follow(ecs, clock)).toMatchObject({ outcome: 'failed', cause: 'failed-tasks', served: 'unknown' });
  });

  it('with no load balancer, a task of the new revision that ran served, even if no look saw it running', async () => {
    const clock = fakeClock();
    const ranAndExited: Task = { ...crash('t1'), taskDefinitionArn: NEW, startedAt: new Date() };
    const ecs = scriptedEcs(
      clock,
      () => svc([dep('n', NEW, 'PRIMARY', 'IN_PROGRESS', { runningCount: 0, failedTasks: 2 }), dep('o', OLD, 'ACTIVE', 'COMPLETED', { runningCount: 2 })]),
      () => [ranAndExited, { ...ranAndExited, taskArn: 'arn:aws:ecs:r:1:task/c/t2' }],
    );
    expect(await follow(ecs, clock)).toMatchObject({ outcome: 'failed', cause: 'failed-tasks', served: 'yes' });
  });

  it("a rollout ECS's circuit breaker failed ends with that cause; one that never ran a task never served", async () => {
    const clock = fakeClock();
    const ecs = scriptedEcs(clock, () =>
      svc([dep('n', NEW, 'PRIMARY', 'FAILED', { rolloutStateReason: 'circuit breaker' }), dep('o', OLD, 'ACTIVE', 'COMPLETED', { runningCount: 2 })], behindLb),
    );
    expect(await follow(ecs, clock, Number.POSITIVE_INFINITY)).toMatchObject({ outcome: 'failed', cause: 'circuit-breaker', served: 'no' });
  });
});

describe('timeline in the summary', () => {
  it('keeps short timelines whole and long ones as head, a count, and tail', () => {
    const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ atMs: i * 1_000, text: `step ${i}` }));
    expect(timelineRows(entries(3))).toEqual([
      ['0s', 'step 0'],
      ['1s', 'step 1'],
      ['2s', 'step 2'],
    ]);
    const long = timelineRows(entries(250));
    expect(long).toHaveLength(101);
    expect(long[29]).toEqual(['29s', 'step 29']);
    expect(long[30]).toEqual(['…', '150 more steps (see the job log)']);
    expect(long[31]).toEqual(['3m00s', 'step 180']);
    expect(long.at(-1)).toEqual(['4m09s', 'step 249']);
  });
});
