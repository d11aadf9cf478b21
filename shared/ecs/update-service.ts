/**
 * UpdateService for a deploy or a rollback: the task definition, optionally the desired count
 * and deployment configuration, and which deployment ECS started for it.
 *
 * ECS documents no merge of a given deploymentConfiguration with the stored one: a configuration
 * sent is the configuration the service gets. So nothing is sent unless an input asks for a
 * change, and then it is the service's own configuration as ECS sent it (raw JSON: every member,
 * also the ones this SDK's model does not know — strategy, bake time, lifecycle hooks, canary and
 * linear settings, alarms, newer breaker settings) with only the asked members changed.
 */
import { DescribeServicesCommand, UpdateServiceCommand, type Service, type UpdateServiceCommandInput } from '@aws-sdk/client-ecs';
import { UserError } from '../core/errors.js';
import { isClientException } from './register-task-definition.js';
import { sendBodyVerbatim, type EcsSender } from './raw-json.js';
import { primaryDeployment } from './assess-rollout.js';
import type { ServiceSettings } from './service-settings.js';
import { applyStrategyChoice, type StrategyChoice } from './strategy-choice.js';
import { withGateHook, type VerificationGate } from './verification-gate.js';

export interface ServiceUpdate {
  taskDefinitionArn: string;
  desiredCount?: number | undefined;
  minimumHealthyPercent?: number | undefined;
  maximumPercent?: number | undefined;
  /** Turn ECS's deployment circuit breaker on or off (undefined keeps the service's setting). */
  circuitBreaker?: { enable: boolean; rollback: boolean } | undefined;
  forceNewDeployment?: boolean | undefined;
  /** Sent only when set (see service-settings-input.ts). */
  settings?: ServiceSettings | undefined;
  /**
   * CloudWatch alarms added to the service's own deployment alarms (enabled); `rollback`
   * undefined keeps the service's setting (off when it has none). undefined: alarms untouched.
   */
  alarms?: { names: readonly string[]; rollback: boolean | undefined } | undefined;
  /** The strategy (and its settings) this deploy asks for (undefined keeps the service's). */
  strategy?: StrategyChoice | undefined;
  /** A PAUSE hook for `verify-at` (verification-gate.ts); undefined: the hooks are left as they are. */
  verificationGate?: VerificationGate | undefined;
}

export interface ServiceUpdateResult {
  service: Service;
  deploymentId: string;
  /** False when ECS saw nothing to do (same task definition, no force): no rollout to follow. */
  startedDeployment: boolean;
}

type Json = Record<string, unknown>;

/**
 * The deployment configuration to send: undefined when nothing is asked; otherwise the service's
 * own raw configuration with only the asked members changed (the breaker's other settings kept).
 */
export function deploymentConfiguration(current: Json | undefined, update: ServiceUpdate): Json | undefined {
  if (
    update.minimumHealthyPercent === undefined &&
    update.maximumPercent === undefined &&
    update.circuitBreaker === undefined &&
    !update.alarms &&
    !update.strategy &&
    !update.verificationGate
  ) {
    return undefined;
  }
  const config: Json = structuredClone(current ?? {});
  if (update.maximumPercent !== undefined) config.maximumPercent = update.maximumPercent;
  if (update.minimumHealthyPercent !== undefined) config.minimumHealthyPercent = update.minimumHealthyPercent;
  if (update.circuitBreaker) {
    const breaker = (config.deploymentCircuitBreaker ?? {}) as Json;
    config.deploymentCircuitBreaker = { ...breaker, enable: update.circuitBreaker.enable, rollback: update.circuitBreaker.rollback };
  }
  if (update.alarms) {
    const own = (config.alarms ?? {}) as Json;
    const names = Array.isArray(own.alarmNames) ? (own.alarmNames as string[]) : [];
    config.alarms = {
      ...own,
      alarmNames: [...new Set([...names, ...update.alarms.names])],
      enable: true,
      rollback: update.alarms.rollback ?? own.rollback === true,
    };
  }
  if (update.strategy) applyStrategyChoice(config, update.strategy);
  if (update.verificationGate) withGateHook(config, update.verificationGate);
  return config;
}

/** What UpdateService sends: the configuration is the plan's (deploymentConfiguration above), never computed here. */
export interface ServiceUpdateCall {
  taskDefinitionArn: string;
  desiredCount?: number | undefined;
  forceNewDeployment?: boolean | undefined;
  settings?: ServiceSettings | undefined;
  /** Sent as is; undefined: the service's configuration is not sent. */
  deploymentConfiguration?: Json | undefined;
}

export async function updateService(ecs: EcsSender, cluster: string, current: Service, update: ServiceUpdateCall): Promise<ServiceUpdateResult> {
  const before = primaryDeployment(current)?.id;
  const config = update.deploymentConfiguration;
  const body: Json = {
    cluster,
    service: current.serviceName ?? current.serviceArn,
    taskDefinition: update.taskDefinitionArn,
    ...(update.desiredCount !== undefined ? { desiredCount: update.desiredCount } : {}),
    ...(config ? { deploymentConfiguration: config } : {}),
    ...(update.forceNewDeployment ? { forceNewDeployment: true } : {}),
    ...(update.settings?.enableEcsManagedTags !== undefined ? { enableECSManagedTags: update.settings.enableEcsManagedTags } : {}),
    ...(update.settings?.propagateTags !== undefined ? { propagateTags: update.settings.propagateTags } : {}),
    ...(update.settings?.volumeConfigurations !== undefined ? { volumeConfigurations: update.settings.volumeConfigurations } : {}),
  };
  try {
    // The typed input is what the SDK validates; the wire body is `body`, members it does not know included.
    const out = await ecs.send(sendBodyVerbatim(new UpdateServiceCommand(body as unknown as UpdateServiceCommandInput), body));
    const service = out.service;
    const primary = primaryDeployment(service);
    if (!service || !primary?.id) throw new Error('UpdateService answered without a PRIMARY deployment');
    return { service, deploymentId: primary.id, startedDeployment: primary.id !== before };
  } catch (error) {
    if (isClientException(error)) {
      throw new UserError(`ECS refused to update service '${current.serviceName}': ${(error as Error).message}`, { cause: error });
    }
    // The answer was lost (a dropped connection, a 5xx after the SDK's retries), not necessarily
    // the update: if ECS did start it, it is ours to follow, not an error to report.
    const landed = await updateThatLanded(ecs, cluster, current, update.taskDefinitionArn, before);
    if (landed) return landed;
    throw error;
  }
}

async function updateThatLanded(
  ecs: EcsSender,
  cluster: string,
  current: Service,
  taskDefinitionArn: string,
  before: string | undefined,
): Promise<ServiceUpdateResult | undefined> {
  try {
    const out = await ecs.send(new DescribeServicesCommand({ cluster, services: [current.serviceName ?? current.serviceArn ?? ''] }));
    const service = out.services?.[0];
    const primary = primaryDeployment(service);
    if (service && primary?.id && primary.id !== before && primary.taskDefinition === taskDefinitionArn) {
      return { service, deploymentId: primary.id, startedDeployment: true };
    }
  } catch {
    // Still unreadable: the original error is the one to report.
  }
  return undefined;
}
