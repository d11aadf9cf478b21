/**
 * What the ecs-rolling-deploy tests share: a local ECS emulator whose API calls are recorded, a
 * cluster with a steady service to deploy to, and the action run through its bundle against both.
 */
import { CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, RegisterTaskDefinitionCommand, type Service } from '@aws-sdk/client-ecs';
import { runBundle, type ActionResult, type CancelOptions, type GitHubContext } from '../../local/runner/run-bundle.js';
import type { LocalEcsOptions } from '../../local/ecs/index.js';
import { pollingAtEmulatedPace, withLocalEcs, type LocalEcsEnv } from '../helpers/local-ecs.js';
import { uniqueName } from '../helpers/stack.js';

export interface ApiCall {
  at: number;
  operation: string;
}

export interface DeployFixture extends LocalEcsEnv {
  calls: ApiCall[];
}

/**
 * `emulatedPolls`: the bundles run here poll ECS at the emulator's pace (pollingAtEmulatedPace),
 * not every 2 s of real time; for files whose rollouts are minutes of emulated time.
 */
export async function startDeployFixture(options: LocalEcsOptions & { emulatedPolls?: boolean } = {}): Promise<DeployFixture> {
  const calls: ApiCall[] = [];
  const { emulatedPolls, ...ecsOptions } = options;
  const env = await withLocalEcs({
    ...ecsOptions,
    log: (line) => calls.push({ at: Date.now(), operation: /\.(\w+) /.exec(line)?.[1] ?? line }),
  });
  return { ...env, ...(emulatedPolls ? { local: pollingAtEmulatedPace(env.local) } : {}), calls };
}

export interface TestService {
  cluster: string;
  service: string;
  family: string;
  taskDefinitionArn: string;
}

/** A cluster with a service on revision 1 of a fresh family, steady before the test starts. */
export async function steadyService(
  f: DeployFixture,
  options: {
    image: string;
    desiredCount?: number;
    extra?: Record<string, unknown>;
    containerExtra?: Record<string, unknown>;
    taskDefinitionExtra?: Record<string, unknown>;
    sidecar?: boolean;
  } = {
    image: 'acme/app:1',
  },
): Promise<TestService> {
  const cluster = uniqueName('c');
  const service = uniqueName('svc');
  const family = uniqueName('fam');
  await f.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  const registered = await f.ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      containerDefinitions: [
        {
          name: 'app',
          image: options.image,
          essential: true,
          environment: [{ name: 'MODE', value: 'blue' }],
          portMappings: [{ containerPort: 8080 }],
          ...(options.containerExtra ?? {}),
        },
        ...(options.sidecar ? [{ name: 'log-router', image: 'acme/log-router:1', essential: false }] : []),
      ],
      ...(options.taskDefinitionExtra ?? {}),
    }),
  );
  const taskDefinitionArn = registered.taskDefinition!.taskDefinitionArn!;
  await f.ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: service,
      taskDefinition: taskDefinitionArn,
      desiredCount: options.desiredCount ?? 2,
      deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100 },
      ...(options.extra ?? {}),
    }),
  );
  await waitForSteady(f, cluster, service);
  return { cluster, service, family, taskDefinitionArn };
}

export async function describe1(f: LocalEcsEnv, cluster: string, service: string): Promise<Service> {
  const out = await f.ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
  return out.services![0]!;
}

/** Until one COMPLETED deployment runs its desired count (polling the emulator directly). */
export async function waitForSteady(f: LocalEcsEnv, cluster: string, service: string, timeoutMs = 30_000): Promise<Service> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = await describe1(f, cluster, service);
    const d = s.deployments ?? [];
    if (d.length === 1 && d[0]!.rolloutState === 'COMPLETED' && d[0]!.runningCount === s.desiredCount) return s;
    if (Date.now() > until) throw new Error(`service ${service} not steady: ${JSON.stringify(d)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const github: Partial<GitHubContext> = {
  repository: 'acme/payments-api',
  sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  ref: 'refs/heads/main',
  runId: '9001',
  serverUrl: 'https://github.example',
};

export const RUN_URL = 'https://github.example/acme/payments-api/actions/runs/9001';

type ActionExtra = { env?: Record<string, string>; github?: Partial<GitHubContext>; cancel?: CancelOptions };

/** One of the ECS actions' bundles on the test service, against the fixture's emulator. */
function ecsAction(action: string, f: DeployFixture, target: TestService, inputs: Record<string, string>, extra: ActionExtra): Promise<ActionResult> {
  return runBundle(action, {
    inputs: { cluster: target.cluster, service: target.service, ...inputs },
    env: { ...f.local.env(), ...(extra.env ?? {}) },
    github: { ...github, ...(extra.github ?? {}) },
    ...(extra.cancel ? { cancel: extra.cancel } : {}),
    timeoutMs: 120_000,
  });
}

export function deployAction(f: DeployFixture, target: TestService, inputs: Record<string, string>, extra: ActionExtra = {}): Promise<ActionResult> {
  return ecsAction('ecs-rolling-deploy', f, target, inputs, extra);
}

/** ecs-run-task on the test service: a one-off task of its revision, no service update. */
export function runTaskAction(f: DeployFixture, target: TestService, inputs: Record<string, string>, extra: ActionExtra = {}): Promise<ActionResult> {
  return ecsAction('ecs-run-task', f, target, inputs, extra);
}

/** ecs-resume-deploy on the test service: answers the gate a deploy step paused at. */
export function resumeAction(f: DeployFixture, target: TestService, inputs: Record<string, string>, extra: ActionExtra = {}): Promise<ActionResult> {
  return ecsAction('ecs-resume-deploy', f, target, inputs, extra);
}

/** The raw JSON ECS answers (not through the SDK, whose model would drop unknown fields). */
export async function rawEcs(f: LocalEcsEnv, operation: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(f.local.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonEC2ContainerServiceV20141113.${operation}` },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${operation}: ${JSON.stringify(json)}`);
  return json;
}

/** A load balancer ECS can shift traffic on for a native strategy (advancedConfiguration with a test listener). */
export const trafficShiftLoadBalancers = [
  {
    targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/blue/0123456789abcdef',
    containerName: 'app',
    containerPort: 8080,
    advancedConfiguration: {
      alternateTargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/green/fedcba9876543210',
      productionListenerRule: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/web/1/2/3',
      testListenerRule: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/web/1/2/4',
      roleArn: 'arn:aws:iam::000000000000:role/ecs-elb',
    },
  },
];
