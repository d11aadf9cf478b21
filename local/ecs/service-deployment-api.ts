/**
 * The service-deployment operations: ListServiceDeployments, DescribeServiceDeployments,
 * DescribeServiceRevisions, StopServiceDeployment and ContinueServiceDeployment, validated as
 * the API reference describes them and answered in its shapes.
 */
import { nameFromArnOrName } from './ids.js';
import type { NativeStrategies } from './native-strategies.js';
import type { Scheduler } from './scheduler.js';
import { isFinished, SERVICE_DEPLOYMENT_STATUSES, type ServiceDeployment, type ServiceDeployments } from './service-deployments.js';
import type { Store } from './state.js';
import { AwsError, errors, obj, paginate, requireStr, str, strList, type Handler } from './wire.js';

const notFound = () => new AwsError('ServiceDeploymentNotFoundException', 'The service deployment does not exist.');
const conflict = (message: string) => new AwsError('ConflictException', message);

export class ServiceDeploymentApi {
  constructor(
    private readonly store: Store,
    private readonly deployments: ServiceDeployments,
    private readonly native: NativeStrategies,
    private readonly scheduler: Scheduler,
  ) {}

  handlers(): Record<string, Handler> {
    return {
      ListServiceDeployments: (i) => this.list(i),
      DescribeServiceDeployments: (i) => this.describe(i),
      DescribeServiceRevisions: (i) => this.describeRevisions(i),
      StopServiceDeployment: (i) => this.stop(i),
      ContinueServiceDeployment: (i) => this.continue(i),
    };
  }

  private list(input: Record<string, unknown>) {
    const clusterName = nameFromArnOrName(str(input, 'cluster') ?? 'default');
    const cluster = this.store.clusters.get(clusterName);
    if (cluster?.status !== 'ACTIVE') throw errors.clusterNotFound();
    const service = this.store.service(clusterName, nameFromArnOrName(requireStr(input, 'service')));
    if (!service) throw errors.serviceNotFound();
    const statuses = strList(input, 'status');
    const unknown = statuses?.find((st) => !(SERVICE_DEPLOYMENT_STATUSES as readonly string[]).includes(st));
    if (unknown !== undefined) {
      throw errors.invalidParameter(
        `1 validation error detected: Value '[${unknown}]' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [${SERVICE_DEPLOYMENT_STATUSES.join(', ')}]`,
      );
    }
    const createdAt = obj(input, 'createdAt');
    const bound = (key: string) => {
      const value = createdAt?.[key];
      if (value === undefined || value === null) return undefined;
      if (typeof value !== 'number') throw errors.invalidParameter(`createdAt.${key} must be a timestamp.`);
      return value * 1000;
    };
    const before = bound('before');
    const after = bound('after');
    const found = this.deployments
      .forService(service)
      .filter((sd) => !statuses || statuses.includes(sd.status))
      .filter((sd) => (before === undefined || sd.createdAt <= before) && (after === undefined || sd.createdAt >= after));
    // "If this parameter isn't used, then ListServiceDeployments returns up to 20 results."
    const { page, nextToken } = paginate(found, input, 20);
    return { serviceDeployments: page.map((sd) => this.deployments.brief(sd)), ...(nextToken ? { nextToken } : {}) };
  }

  private describe(input: Record<string, unknown>) {
    const { found, failures } = this.lookUp(input, 'serviceDeploymentArns', (arn) => this.deployments.records.get(arn));
    return { serviceDeployments: found.map((sd) => this.deployments.render(sd)), failures };
  }

  private describeRevisions(input: Record<string, unknown>) {
    const { found, failures } = this.lookUp(input, 'serviceRevisionArns', (arn) => this.deployments.revisions.get(arn));
    return { serviceRevisions: found.map((r) => this.deployments.renderRevision(r)), failures };
  }

  /** Up to 20 ARNs: what exists, and a MISSING failure for each ARN that does not. */
  private lookUp<T>(input: Record<string, unknown>, key: string, find: (arn: string) => T | undefined) {
    const arns = strList(input, key);
    if (!arns || arns.length === 0) throw errors.invalidParameter(`${key} can not be empty.`);
    if (arns.length > 20) throw errors.invalidParameter(`${key} can have at most 20 items.`);
    const found: T[] = [];
    const failures: { arn: string; reason: string }[] = [];
    for (const arn of arns) {
      const item = find(arn);
      if (item) found.push(item);
      else failures.push({ arn, reason: 'MISSING' });
    }
    return { found, failures };
  }

  private record(input: Record<string, unknown>): ServiceDeployment {
    const sd = this.deployments.records.get(requireStr(input, 'serviceDeploymentArn'));
    if (!sd) throw notFound();
    return sd;
  }

  private stop(input: Record<string, unknown>) {
    const sd = this.record(input);
    const stopType = str(input, 'stopType') ?? 'ROLLBACK';
    if (stopType !== 'ROLLBACK' && stopType !== 'ABORT') {
      throw errors.invalidParameter(
        `1 validation error detected: Value '${stopType}' at 'stopType' failed to satisfy constraint: Member must satisfy enum value set: [ABORT, ROLLBACK]`,
      );
    }
    if (isFinished(sd) || sd.status !== 'IN_PROGRESS') {
      throw conflict(`The service deployment is ${sd.status} and can't be stopped.`);
    }
    if (stopType === 'ABORT') {
      if (!this.native.abort(sd)) {
        sd.deployment.rolloutState = 'FAILED';
        sd.deployment.rolloutStateReason = 'Service deployment stopped by StopServiceDeployment (ABORT).';
        sd.status = 'STOP_REQUESTED';
      }
    } else {
      const reason = 'Service deployment rolled back by StopServiceDeployment.';
      if (!this.native.rollback(sd, reason)) this.rollBackRolling(sd, reason);
    }
    this.scheduler.tick();
    return { serviceDeploymentArn: sd.arn };
  }

  /** A rolling deployment rolls back the way the circuit breaker's rollback does: a deployment of the source revision. */
  private rollBackRolling(sd: ServiceDeployment, reason: string): void {
    const source = sd.sourceRevisionArns[0] ? this.deployments.revisions.get(sd.sourceRevisionArns[0]) : undefined;
    if (!source) throw conflict('The service deployment has no previous service revision to roll back to.');
    sd.status = 'ROLLBACK_REQUESTED';
    sd.deployment.rolloutState = 'FAILED';
    sd.deployment.rolloutStateReason = reason;
    const rollback = this.scheduler.newDeployment(sd.service, source.taskDefinition, sd.deployment.id);
    this.deployments.attachRollback(sd, rollback, reason);
  }

  private continue(input: Record<string, unknown>) {
    const sd = this.record(input);
    const hookId = requireStr(input, 'hookId');
    const action = str(input, 'action') ?? 'CONTINUE';
    if (action !== 'CONTINUE' && action !== 'ROLLBACK') {
      throw errors.invalidParameter(
        `1 validation error detected: Value '${action}' at 'action' failed to satisfy constraint: Member must satisfy enum value set: [ROLLBACK, CONTINUE]`,
      );
    }
    const hook = sd.hooks.find((h) => h.hookId === hookId);
    if (hook?.targetType !== 'PAUSE' || hook.status !== 'AWAITING_ACTION' || sd.status !== 'IN_PROGRESS') {
      throw errors.invalidParameter(`The lifecycle hook ${hookId} is not paused in service deployment ${sd.arn}.`);
    }
    if (action === 'CONTINUE') hook.status = 'SUCCEEDED';
    else {
      hook.status = 'FAILED';
      this.native.rollback(sd, `Service deployment rolled back by ContinueServiceDeployment at lifecycle hook ${hookId}.`);
    }
    this.scheduler.tick();
    return { serviceDeploymentArn: sd.arn };
  }
}
