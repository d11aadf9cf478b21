/**
 * The ECS side of one of the demo's environments, set up once as an operator would with
 * Terraform: a cluster, the sample app's task definition (container `app`, port 8080, health check
 * on /cgi-bin/health) and a service behind a load balancer, empty (desired count 0) until the
 * first release is deployed by the pipeline — so every release, the first one too, goes through
 * ecs-rolling-deploy. Its tasks mount the environment's data directory (a host volume) at /data:
 * the migration (`bin/migrate`, the deploy's pre-deploy task) records the schema version there and
 * the release serves what it reads (/cgi-bin/schema); their lines go to CloudWatch Logs (awslogs).
 */
import type { ContainerDefinition, DeploymentConfiguration } from '@aws-sdk/client-ecs';
import type { LocalEcsHandle } from './local-stack.js';

export interface SampleService {
  cluster: string;
  service: string;
  container: string;
  targetGroupArn: string;
  loadBalancerUrl: string;
  /** A service on a native strategy: green's target group and the test listener's URL. */
  alternateTargetGroupArn?: string;
  testListenerUrl?: string;
}

/**
 * A service created on one of ECS's native strategies (CANARY here) instead of ROLLING, already
 * running `image`: its load balancer has advancedConfiguration (green's target group, production
 * and test listener rules, the role ECS uses to move them), so every deployment has a blue and a
 * green, and the test listener reaches green before production does.
 */
export interface NativeServiceOptions {
  strategy: 'BLUE_GREEN' | 'CANARY' | 'LINEAR';
  image: string;
  desiredCount: number;
  canaryPercent?: number;
  canaryBakeTimeInMinutes?: number;
  bakeTimeInMinutes?: number;
}

/** The app's container: port 8080, the data volume at /data, awslogs, a health check on /cgi-bin/health. */
function sampleContainer(ecs: LocalEcsHandle, registry: string, environment: string, native?: NativeServiceOptions): ContainerDefinition {
  return {
    name: 'app',
    // Never started: the service starts at 0 tasks and the first deploy sets the image
    // (a native service is created running the release it was set up with).
    image: native?.image ?? `${registry}/sample-app:none`,
    essential: true,
    memory: 64,
    portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
    mountPoints: [{ sourceVolume: 'data', containerPath: '/data', readOnly: false }],
    logConfiguration: {
      logDriver: 'awslogs',
      options: {
        'awslogs-group': `/ecs/sample-app-${environment}`,
        'awslogs-region': ecs.region,
        'awslogs-stream-prefix': 'ecs',
        'awslogs-create-group': 'true',
      },
    },
    // Every 10 s (ECS's default is 30): each check is an exec in the container, ~75 ms of the
    // machine's CPU (dockerd, containerd, runc); the first still runs a second after the start, and
    // the load balancer's own check (every second, local-stack.ts) finds a broken release first.
    healthCheck: {
      command: ['CMD-SHELL', 'wget -q -O /dev/null http://127.0.0.1:8080/cgi-bin/health || exit 1'],
      interval: 10,
      timeout: 2,
      retries: 2,
      startPeriod: 0,
    },
  };
}

/** A rolling service's configuration, or a native strategy's. */
function deploymentConfigurationOf(native?: NativeServiceOptions): DeploymentConfiguration {
  return native
    ? {
        strategy: native.strategy,
        bakeTimeInMinutes: native.bakeTimeInMinutes ?? 0,
        ...(native.strategy === 'CANARY'
          ? { canaryConfiguration: { canaryPercent: native.canaryPercent ?? 10, canaryBakeTimeInMinutes: native.canaryBakeTimeInMinutes ?? 1 } }
          : {}),
        deploymentCircuitBreaker: { enable: true, rollback: true },
      }
    : {
        // One new task up and healthy before an old one goes: no request is ever without a target.
        minimumHealthyPercent: 100,
        maximumPercent: 200,
        deploymentCircuitBreaker: { enable: true, rollback: false },
      };
}

/**
 * `environment` names the cluster (`sample-<environment>`) and the target group; `dataDir` is the
 * host directory its tasks share at /data (it must exist, writable by the app's uid 10001).
 */
export async function createSampleService(
  ecs: LocalEcsHandle,
  registry: string,
  environment: string,
  dataDir: string,
  native?: NativeServiceOptions,
): Promise<SampleService> {
  const { ECSClient, CreateClusterCommand, RegisterTaskDefinitionCommand, CreateServiceCommand } = await import('@aws-sdk/client-ecs');
  const client = new ECSClient({ endpoint: ecs.endpoint, region: ecs.region, credentials: ecs.credentials, maxAttempts: 1 });
  const cluster = `sample-${environment}`;
  const service = 'sample-app';
  const container = 'app';
  const targetGroupArn = `arn:aws:elasticloadbalancing:${ecs.region}:${ecs.accountId}:targetgroup/sample-app-${environment}/0123456789abcdef`;
  const alternateTargetGroupArn = native
    ? `arn:aws:elasticloadbalancing:${ecs.region}:${ecs.accountId}:targetgroup/sample-app-${environment}-green/fedcba9876543210`
    : undefined;
  const listener = (port: number, rule: string) =>
    `arn:aws:elasticloadbalancing:${ecs.region}:${ecs.accountId}:listener-rule/app/sample-app-${environment}/50dc6c495c0c9188/${port}/${rule}`;
  try {
    await client.send(new CreateClusterCommand({ clusterName: cluster }));
    const td = await client.send(
      new RegisterTaskDefinitionCommand({
        family: `sample-app-${environment}`,
        networkMode: 'bridge',
        volumes: [{ name: 'data', host: { sourcePath: dataDir } }],
        containerDefinitions: [sampleContainer(ecs, registry, environment, native)],
      }),
    );
    await client.send(
      new CreateServiceCommand({
        cluster,
        serviceName: service,
        taskDefinition: td.taskDefinition!.taskDefinitionArn!,
        desiredCount: native?.desiredCount ?? 0,
        loadBalancers: [
          {
            targetGroupArn,
            containerName: container,
            containerPort: 8080,
            ...(alternateTargetGroupArn
              ? {
                  advancedConfiguration: {
                    alternateTargetGroupArn,
                    productionListenerRule: listener(443, 'a1b2c3d4e5f60718'),
                    testListenerRule: listener(8443, '0f1e2d3c4b5a6978'),
                    roleArn: `arn:aws:iam::${ecs.accountId}:role/ecsInfrastructureRoleForLoadBalancers`,
                  },
                }
              : {}),
          },
        ],
        deploymentConfiguration: deploymentConfigurationOf(native),
        healthCheckGracePeriodSeconds: 0,
      }),
    );
  } finally {
    client.destroy();
  }
  const healthCheck = { path: '/cgi-bin/health', intervalMs: 1_000, timeoutMs: 1_000, healthyThreshold: 2, unhealthyThreshold: 2 };
  ecs.configureTargetGroup(targetGroupArn, healthCheck);
  if (alternateTargetGroupArn) ecs.configureTargetGroup(alternateTargetGroupArn, healthCheck);
  return {
    cluster,
    service,
    container,
    targetGroupArn,
    loadBalancerUrl: ecs.loadBalancerUrl(cluster, service),
    ...(alternateTargetGroupArn ? { alternateTargetGroupArn, testListenerUrl: ecs.testListenerUrl(cluster, service) } : {}),
  };
}

/**
 * The alarm an operator puts on the service's load balancer: more than 5 answers of 5xx from its
 * targets in 10 seconds (a high-resolution alarm, so the demo does not wait minutes). No 5xx
 * datapoint (ELB publishes none) is not breaching.
 */
export async function createErrorsAlarm(ecs: LocalEcsHandle, s: SampleService): Promise<string> {
  const { CloudWatchClient, PutMetricAlarmCommand } = await import('@aws-sdk/client-cloudwatch');
  const client = new CloudWatchClient({ endpoint: ecs.endpoint, region: ecs.region, credentials: ecs.credentials, maxAttempts: 1 });
  const name = `${s.cluster}-5xx`;
  const d = ecs.elbDimensions(s.cluster, s.service);
  try {
    await client.send(
      new PutMetricAlarmCommand({
        AlarmName: name,
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'HTTPCode_Target_5XX_Count',
        Dimensions: [
          { Name: 'TargetGroup', Value: d.TargetGroup },
          { Name: 'LoadBalancer', Value: d.LoadBalancer },
        ],
        Statistic: 'Sum',
        Period: 10,
        EvaluationPeriods: 1,
        Threshold: 5,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      }),
    );
  } finally {
    client.destroy();
  }
  return name;
}
