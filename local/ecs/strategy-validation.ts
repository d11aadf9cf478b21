/**
 * What CreateService / UpdateService refuse about native strategies, as the API reference's
 * member docs state it: canaryConfiguration is "only valid when the deployment strategy is
 * CANARY" and linearConfiguration only with LINEAR; a native strategy behind a load balancer needs
 * its advancedConfiguration (the alternate target group, the production listener rule and the
 * role ECS shifts traffic with; the test listener rule is optional); deploymentConfiguration's
 * strategy belongs to the ECS deployment controller.
 */
import { NATIVE_STRATEGIES } from './native-strategies.js';
import type { DeploymentConfiguration, ServiceLoadBalancer } from './state.js';
import { errors } from './wire.js';

export function validateNativeStrategy(cfg: DeploymentConfiguration, loadBalancers: ServiceLoadBalancer[], controller: string): void {
  const strategy = String(cfg.strategy ?? 'ROLLING');
  if (cfg.canaryConfiguration !== undefined && strategy !== 'CANARY') {
    throw errors.invalidParameter(`canaryConfiguration is only valid when the deployment strategy is CANARY; the strategy is ${strategy}.`);
  }
  if (cfg.linearConfiguration !== undefined && strategy !== 'LINEAR') {
    throw errors.invalidParameter(`linearConfiguration is only valid when the deployment strategy is LINEAR; the strategy is ${strategy}.`);
  }
  for (const lb of loadBalancers) {
    const advanced = lb.advancedConfiguration;
    if (advanced === undefined) continue;
    if (typeof advanced !== 'object' || advanced === null) throw errors.invalidParameter('advancedConfiguration must be a structure.');
    for (const key of ['alternateTargetGroupArn', 'productionListenerRule', 'roleArn'] as const) {
      if (typeof advanced[key] !== 'string' || advanced[key] === '') throw errors.invalidParameter(`advancedConfiguration.${key} can not be blank.`);
    }
    if (advanced.testListenerRule !== undefined && typeof advanced.testListenerRule !== 'string') {
      throw errors.invalidParameter('advancedConfiguration.testListenerRule must be a string.');
    }
    if (advanced.alternateTargetGroupArn === lb.targetGroupArn) {
      throw errors.invalidParameter('advancedConfiguration.alternateTargetGroupArn must differ from the load balancer targetGroupArn.');
    }
  }
  if ((cfg.earlySuccessCriteria as { enable?: unknown } | undefined)?.enable === true && controller !== 'ECS') {
    throw errors.invalidParameter(`deploymentConfiguration.earlySuccessCriteria can only be used with the ECS deployment controller's ROLLING strategy.`);
  }
  if (!NATIVE_STRATEGIES.includes(strategy)) return;
  if (controller !== 'ECS') throw errors.invalidParameter(`The ${strategy} deployment strategy requires the ECS deployment controller.`);
  const missing = loadBalancers.find((lb) => lb.targetGroupArn !== undefined && !lb.advancedConfiguration);
  if (missing) {
    throw errors.invalidParameter(
      `The ${strategy} deployment strategy requires advancedConfiguration (alternateTargetGroupArn, productionListenerRule, roleArn) on load balancer ${missing.targetGroupArn}.`,
    );
  }
}
