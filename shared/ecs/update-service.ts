/**
 * UpdateService for a deploy or a rollback: the task definition, optionally the desired count
 * and deployment configuration, and which deployment ECS started for it.
 */
import { UpdateServiceCommand, type DeploymentConfiguration, type Service } from '@aws-sdk/client-ecs';
import { UserError } from '../core/errors.js';
import { isClientException } from './register-task-definition.js';
import type { EcsSender } from './raw-json.js';
import { primaryDeployment } from './assess-rollout.js';

export interface ServiceUpdate {
  taskDefinitionArn: string;
  desiredCount?: number | undefined;
  minimumHealthyPercent?: number | undefined;
  maximumPercent?: number | undefined;
  /** Turn ECS's deployment circuit breaker on or off (undefined keeps the service's setting). */
  circuitBreaker?: { enable: boolean; rollback: boolean } | undefined;
  forceNewDeployment?: boolean | undefined;
}

export interface ServiceUpdateResult {
  service: Service;
  deploymentId: string;
  /** False when ECS saw nothing to do (same task definition, no force): no rollout to follow. */
  startedDeployment: boolean;
}

/**
 * The deployment configuration to send: the service's own, with only what was asked changed.
 * Sending the whole configuration matters because ECS treats an omitted circuit breaker in a
 * given configuration as "off".
 */
export function deploymentConfiguration(current: DeploymentConfiguration | undefined, update: ServiceUpdate): DeploymentConfiguration | undefined {
  if (update.minimumHealthyPercent === undefined && update.maximumPercent === undefined && update.circuitBreaker === undefined) return undefined;
  const config: DeploymentConfiguration = {};
  const max = update.maximumPercent ?? current?.maximumPercent;
  const min = update.minimumHealthyPercent ?? current?.minimumHealthyPercent;
  if (max !== undefined) config.maximumPercent = max;
  if (min !== undefined) config.minimumHealthyPercent = min;
  const breaker = update.circuitBreaker ?? current?.deploymentCircuitBreaker;
  if (breaker) config.deploymentCircuitBreaker = { enable: breaker.enable ?? false, rollback: breaker.rollback ?? false };
  if (current?.alarms) config.alarms = current.alarms;
  return config;
}

export async function updateService(ecs: EcsSender, cluster: string, current: Service, update: ServiceUpdate): Promise<ServiceUpdateResult> {
  const before = primaryDeployment(current)?.id;
  const config = deploymentConfiguration(current.deploymentConfiguration, update);
  try {
    const out = await ecs.send(
      new UpdateServiceCommand({
        cluster,
        service: current.serviceName ?? current.serviceArn,
        taskDefinition: update.taskDefinitionArn,
        ...(update.desiredCount !== undefined ? { desiredCount: update.desiredCount } : {}),
        ...(config ? { deploymentConfiguration: config } : {}),
        ...(update.forceNewDeployment ? { forceNewDeployment: true } : {}),
      }),
    );
    const service = out.service;
    const primary = primaryDeployment(service);
    if (!service || !primary?.id) throw new Error('UpdateService answered without a PRIMARY deployment');
    return { service, deploymentId: primary.id, startedDeployment: primary.id !== before };
  } catch (error) {
    if (isClientException(error)) {
      throw new UserError(`ECS refused to update service '${current.serviceName}': ${(error as Error).message}`, { cause: error });
    }
    throw error;
  }
}
