/**
 * An emulated CloudWatch Logs on the emulator's endpoint (`X-Amz-Target: Logs_20140328.*`, AWS
 * JSON 1.1, as @aws-sdk/client-cloudwatch-logs speaks it): log groups, streams and events, filled
 * by the `awslogs` log driver of the tasks the emulator runs, read with GetLogEvents and
 * FilterLogEvents. Where the awslogs driver writes is ECS's documented naming: the group of the
 * `awslogs-group` option, the stream `prefix/container-name/task-id` (`awslogs-stream-prefix`).
 */
import type { TaskLogDriver } from './scheduler.js';
import type { Task } from './state.js';
import type { TaskDefinitions } from './task-definitions.js';
import { AwsError, bool, errors, int, str, strList, type Handler } from './wire.js';

export const LOGS_PREFIX = 'Logs_20140328';

export interface LogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
  eventId: string;
}

interface LogStream {
  name: string;
  createdAt: number;
  events: LogEvent[];
}

interface LogGroup {
  name: string;
  createdAt: number;
  streams: Map<string, LogStream>;
}

/** Where one container's awslogs driver writes. */
export interface AwslogsTarget {
  group: string;
  stream: string;
  createGroup: boolean;
}

const GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const notFound = (what: 'group' | 'stream') => new AwsError('ResourceNotFoundException', `The specified log ${what} does not exist.`);

/**
 * The awslogs target of a container from its task definition's logConfiguration, or undefined
 * when it logs elsewhere. ECS names the stream `prefix/container/task-id`; without a prefix (EC2
 * only: Fargate requires one) ECS uses the Docker container id, for which the task id stands here.
 */
export function awslogsTarget(containerDefinition: Record<string, unknown> | undefined, taskId: string): AwslogsTarget | undefined {
  const config = containerDefinition?.logConfiguration as { logDriver?: unknown; options?: Record<string, unknown> } | undefined;
  if (config?.logDriver !== 'awslogs') return undefined;
  const options = config.options ?? {};
  const group = typeof options['awslogs-group'] === 'string' ? options['awslogs-group'] : undefined;
  if (!group) return undefined;
  const prefix = typeof options['awslogs-stream-prefix'] === 'string' ? options['awslogs-stream-prefix'] : undefined;
  const name = String(containerDefinition?.name ?? '');
  return { group, stream: prefix ? `${prefix}/${name}/${taskId}` : taskId, createGroup: String(options['awslogs-create-group']) === 'true' };
}

export class CloudWatchLogs {
  private readonly groups = new Map<string, LogGroup>();
  private seq = 0;

  // Logs carries times as whole epoch milliseconds (the model's Timestamp is a long); the
  // emulated clock is fractional.
  private readonly now: () => number;
  constructor(now: () => number) {
    this.now = () => Math.floor(now());
  }

  handlers(): Record<string, Handler> {
    return {
      CreateLogGroup: (i) => this.createLogGroup(i),
      DescribeLogGroups: (i) => this.describeLogGroups(i),
      DescribeLogStreams: (i) => this.describeLogStreams(i),
      GetLogEvents: (i) => this.getLogEvents(i),
      FilterLogEvents: (i) => this.filterLogEvents(i),
    };
  }

  hasGroup(name: string): boolean {
    return this.groups.has(name);
  }

  /**
   * Why the awslogs driver cannot start, as ECS reports it on the task, or undefined (creating
   * the group when the driver's `awslogs-create-group` says so).
   */
  prepare(target: AwslogsTarget): string | undefined {
    if (this.groups.has(target.group)) return undefined;
    if (target.createGroup) {
      this.groups.set(target.group, { name: target.group, createdAt: this.now(), streams: new Map() });
      return undefined;
    }
    return `ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1`;
  }

  /** One line the driver read from a container's stdout or stderr. */
  put(target: AwslogsTarget, message: string): void {
    const group = this.groups.get(target.group);
    if (!group) return;
    let stream = group.streams.get(target.stream);
    if (!stream) {
      stream = { name: target.stream, createdAt: this.now(), events: [] };
      group.streams.set(target.stream, stream);
    }
    const now = this.now();
    stream.events.push({ timestamp: now, message, ingestionTime: now, eventId: String(++this.seq).padStart(20, '0') });
  }

  private group(input: Record<string, unknown>): LogGroup {
    const name = str(input, 'logGroupName');
    const identifier = str(input, 'logGroupIdentifier');
    if ((name === undefined) === (identifier === undefined)) {
      throw errors.invalidParameter('You must include either logGroupIdentifier or logGroupName, but not both.');
    }
    // An ARN identifier: arn:aws:logs:region:account:log-group:NAME[:*]
    const resolved = name ?? /^arn:aws[a-z-]*:logs:[^:]*:[^:]*:log-group:([^:]+)(?::\*)?$/.exec(identifier!)?.[1] ?? identifier!;
    const group = this.groups.get(resolved);
    if (!group) throw notFound('group');
    return group;
  }

  private createLogGroup(input: Record<string, unknown>) {
    const name = str(input, 'logGroupName') ?? '';
    if (!GROUP_NAME.test(name)) {
      throw errors.invalidParameter(
        `1 validation error detected: Value '${name}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+`,
      );
    }
    if (this.groups.has(name)) throw new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists');
    this.groups.set(name, { name, createdAt: this.now(), streams: new Map() });
    return {};
  }

  private describeLogGroups(input: Record<string, unknown>) {
    const prefix = str(input, 'logGroupNamePrefix') ?? '';
    return {
      logGroups: [...this.groups.values()]
        .filter((g) => g.name.startsWith(prefix))
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((g) => ({ logGroupName: g.name, creationTime: g.createdAt, storedBytes: 0 })),
    };
  }

  private describeLogStreams(input: Record<string, unknown>) {
    const group = this.group(input);
    const prefix = str(input, 'logStreamNamePrefix') ?? '';
    return {
      logStreams: [...group.streams.values()]
        .filter((s) => s.name.startsWith(prefix))
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((s) => ({
          logStreamName: s.name,
          creationTime: s.createdAt,
          ...(s.events.length > 0 ? { firstEventTimestamp: s.events[0]!.timestamp, lastEventTimestamp: s.events.at(-1)!.timestamp } : {}),
        })),
    };
  }

  /**
   * Tokens are positions in the stream (`f/N` forward from N, `b/N` backward from N); at the end
   * of the stream the token passed in comes back, as the API reference says.
   */
  private getLogEvents(input: Record<string, unknown>) {
    const group = this.group(input);
    const streamName = str(input, 'logStreamName');
    if (!streamName) throw errors.invalidParameter('logStreamName can not be blank.');
    const stream = group.streams.get(streamName);
    if (!stream) throw notFound('stream');
    const limit = int(input, 'limit') ?? 10_000;
    if (limit < 1 || limit > 10_000) throw errors.invalidParameter('limit must be between 1 and 10000.');
    const startTime = int(input, 'startTime');
    const endTime = int(input, 'endTime');
    const inRange = (e: LogEvent) => (startTime === undefined || e.timestamp >= startTime) && (endTime === undefined || e.timestamp < endTime);
    const token = str(input, 'nextToken');
    const all = stream.events;
    let from: number;
    let to: number;
    if (token !== undefined) {
      const m = /^([fb])\/(\d+)$/.exec(token);
      if (!m) throw errors.invalidParameter('The specified nextToken is invalid.');
      const at = Math.min(Number(m[2]), all.length);
      [from, to] = m[1] === 'f' ? [at, Math.min(all.length, at + limit)] : [Math.max(0, at - limit), at];
      const events = all.slice(from, to).filter(inRange).map(outputEvent);
      const atEnd = from === to;
      return {
        events,
        nextForwardToken: atEnd && m[1] === 'f' ? token : `f/${to}`,
        nextBackwardToken: atEnd && m[1] === 'b' ? token : `b/${from}`,
      };
    }
    const startFromHead = bool(input, 'startFromHead') ?? false;
    const matching = all.map((e, i) => [e, i] as const).filter(([e]) => inRange(e));
    const page = startFromHead ? matching.slice(0, limit) : matching.slice(-limit);
    from = page[0]?.[1] ?? (startFromHead ? 0 : all.length);
    to = page.length > 0 ? page.at(-1)![1] + 1 : from;
    return { events: page.map(([e]) => outputEvent(e)), nextForwardToken: `f/${to}`, nextBackwardToken: `b/${from}` };
  }

  /** Term patterns only: every term (a word or a "quoted phrase") must occur; `?a ?b` matches either. */
  private filterLogEvents(input: Record<string, unknown>) {
    const group = this.group(input);
    const names = strList(input, 'logStreamNames');
    const prefix = str(input, 'logStreamNamePrefix');
    if (names && prefix !== undefined) {
      throw errors.invalidParameter('logStreamNames and logStreamNamePrefix cannot both be specified.');
    }
    const limit = int(input, 'limit') ?? 10_000;
    if (limit < 1 || limit > 10_000) throw errors.invalidParameter('limit must be between 1 and 10000.');
    const startTime = int(input, 'startTime');
    const endTime = int(input, 'endTime');
    const matches = termMatcher(str(input, 'filterPattern') ?? '');
    const streams = [...group.streams.values()].filter((s) => (names ? names.includes(s.name) : prefix === undefined || s.name.startsWith(prefix)));
    const events = streams
      .flatMap((s) => s.events.map((e) => ({ ...e, logStreamName: s.name })))
      .filter((e) => (startTime === undefined || e.timestamp >= startTime) && (endTime === undefined || e.timestamp <= endTime) && matches(e.message))
      .sort((a, b) => a.timestamp - b.timestamp || a.eventId.localeCompare(b.eventId));
    const token = str(input, 'nextToken');
    const offset = token === undefined ? 0 : Number(/^ctp-logs-(\d+)$/.exec(Buffer.from(token, 'base64url').toString())?.[1] ?? Number.NaN);
    if (Number.isNaN(offset)) throw errors.invalidParameter('The specified nextToken is invalid.');
    const page = events.slice(offset, offset + limit);
    const next = offset + limit;
    return {
      events: page.map((e) => ({
        logStreamName: e.logStreamName,
        timestamp: e.timestamp,
        message: e.message,
        ingestionTime: e.ingestionTime,
        eventId: e.eventId,
      })),
      searchedLogStreams: streams.map((s) => ({ logStreamName: s.name, searchedCompletely: next >= events.length })),
      ...(next < events.length ? { nextToken: Buffer.from(`ctp-logs-${next}`).toString('base64url') } : {}),
    };
  }
}

/** The awslogs driver of every task: each container with an awslogs configuration writes to `logs`. */
export function awslogsDriver(logs: CloudWatchLogs, taskDefs: TaskDefinitions): TaskLogDriver {
  const targets = (task: Task) => {
    let defs: Record<string, unknown>[] = [];
    try {
      defs = (taskDefs.resolve(task.taskDefinitionArn).raw.containerDefinitions as Record<string, unknown>[] | undefined) ?? [];
    } catch {
      // A deleted task definition: nothing to log to.
    }
    return new Map(defs.map((d) => [String(d.name), awslogsTarget(d, task.id)] as const));
  };
  const cache = new Map<string, Map<string, AwslogsTarget | undefined>>();
  return {
    prepare(task) {
      const byContainer = targets(task);
      cache.set(task.id, byContainer);
      for (const target of byContainer.values()) {
        const failure = target && logs.prepare(target);
        if (failure) return failure;
      }
      return undefined;
    },
    captures(task, container) {
      return (cache.get(task.id) ?? targets(task)).get(container) !== undefined;
    },
    write(task, container, line) {
      const target = (cache.get(task.id) ?? targets(task)).get(container);
      if (target) logs.put(target, line);
    },
  };
}

function outputEvent(e: LogEvent) {
  return { timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime };
}

function termMatcher(pattern: string): (message: string) => boolean {
  const text = pattern.trim();
  if (text === '') return () => true;
  if (text.startsWith('{') || text.startsWith('[') || text.startsWith('%')) {
    throw errors.invalidParameter('The local CloudWatch Logs emulator supports term filter patterns only (no JSON, space-delimited or regex patterns).');
  }
  const terms = [...text.matchAll(/(\?)?(?:"([^"]*)"|(\S+))/g)].map((m) => ({ optional: m[1] === '?', term: m[2] ?? m[3] ?? '' }));
  const required = terms.filter((t) => !t.optional).map((t) => t.term);
  const anyOf = terms.filter((t) => t.optional).map((t) => t.term);
  return (message) => required.every((t) => message.includes(t)) && (anyOf.length === 0 || anyOf.some((t) => message.includes(t)));
}
