/**
 * workflows-examples/pipeline.yml itself, through the local workflow runner, on the sample app
 * (the demo's first release, alone): commit stage, tiers, the image built and pushed to the local
 * registry, attested by actions/attest, deployed to staging and production on the ECS emulator in
 * docker mode. The attestation must name the very image that runs in production: the digest the
 * stand-in for actions/attest recorded is the digest in the task definition the service runs.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, describe, expect, it } from 'vitest';
import { bringUpStack, type LocalEcsHandle, startEcsEmulator } from '../../local/demo/local-stack.js';
import { prepareWorkspace } from '../../local/demo/run-demo.js';
import { createSampleService } from '../../local/demo/sample-service.js';
import { runWorkflow } from '../../local/workflow-runner/run-workflow.js';
import { uniqueName } from '../helpers/parallel.js';
import { git, scratchDirs } from './scratch.js';

const temp = scratchDirs();
let ecs: LocalEcsHandle | undefined;
let pushed: string | undefined;
afterAll(async () => {
  await ecs?.stop();
  // Only the images of this file's own repository name.
  if (pushed) {
    const ids = execFileSync('docker', ['images', '-q', '--filter', `reference=${pushed}`], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    if (ids.length) execFileSync('docker', ['image', 'rm', '-f', ...new Set(ids)], { stdio: 'ignore' });
  }
});

describe('pipeline.yml: build provenance of the deployed image', () => {
  it('attests the pushed image by digest in the image job, and that digest is what production runs', { timeout: 600_000 }, async () => {
    const lines: string[] = [];
    const stack = bringUpStack(() => {});
    ecs = await startEcsEmulator(stack, () => {});
    const base = temp('ctp-provenance-');
    const workspace = prepareWorkspace(base);
    const dataDir = (environment: string) => {
      const dir = path.join(base, `data-${environment}`);
      mkdirSync(dir);
      chmodSync(dir, 0o1777);
      return dir;
    };
    const staging = await createSampleService(ecs, stack.registry, 'staging', dataDir('staging'));
    const production = await createSampleService(ecs, stack.registry, 'production', dataDir('production'));
    writeFileSync(path.join(workspace, 'VERSION'), '1.0.0\n');
    git(workspace, 'add', '-A');
    git(workspace, 'commit', '-q', '-m', 'release 1.0.0');
    const sha = git(workspace, 'rev-parse', 'HEAD');
    const repository = uniqueName('ctp-provenance');
    pushed = `${stack.registry}/${repository}`;
    const environment = (service: typeof staging, name: string) => ({
      vars: {
        ECS_CLUSTER: service.cluster,
        ECS_SERVICE: service.service,
        AWS_REGION: ecs!.region,
        AWS_DEPLOY_ROLE_ARN: `arn:aws:iam::${ecs!.accountId}:role/deploy-${name}`,
        // The services start empty (as the demo's first release): this release brings up two tasks.
        DESIRED_COUNT: '2',
      },
    });
    const result = await runWorkflow(path.join(workspace, '.github/workflows/pipeline.yml'), {
      workspace,
      secrets: { REGISTRY_PASSWORD: stack.password },
      vars: {
        IMAGE_REGISTRY: stack.registry,
        IMAGE_REPOSITORY: repository,
        REGISTRY_USERNAME: stack.username,
        AWS_REGION: ecs.region,
        AWS_PUSH_ROLE_ARN: `arn:aws:iam::${ecs.accountId}:role/push`,
        STAGING_URL: staging.loadBalancerUrl,
        BUILD_IMAGE: 'ctp/busybox:latest',
        BUILD_COMMAND: 'sh build.sh',
        BUILD_OUTPUT: 'build',
        UNIT_TEST_FILES: 'test/unit/*.sh',
        UNIT_TEST_COMMAND: 'sh test/run.sh unit "$TEST_SHARD_FILES"',
        UNIT_TEST_REPORTS: 'build/test-reports/TEST-*.xml',
        INTEGRATION_TEST_COMMAND: 'sh test/run.sh integration',
        FUNCTIONAL_TEST_COMMAND: 'sh test/run.sh functional',
        ACCEPTANCE_TEST_COMMAND: 'sh test/run.sh acceptance',
        TEST_REPORTS: 'build/test-reports/TEST-*.xml',
        MIGRATION_COMMAND: 'bin/migrate',
      },
      // production-plan: where plan-production plans production before the approval (production's service).
      environments: {
        staging: environment(staging, 'staging'),
        production: environment(production, 'production'),
        'production-plan': environment(production, 'production-plan'),
      },
      stateDir: temp('ctp-provenance-state-'),
      localAws: ecs.env(),
      github: { repository: 'acme/sample-app', sha, ref: 'refs/heads/main', defaultBranch: 'main' },
      onLog: (line) => lines.push(line),
    });
    const log = lines.join('\n');
    expect(result.conclusion, log.slice(-6000)).toBe('success');

    const image = result.jobs.find((j) => j.id === 'image')!;
    const digest = image.outputs.digest!;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    // One attestation, made in the image job, of the pushed image by its digest.
    expect(result.attestations).toEqual([
      { job: 'image', subjectName: pushed, subjectDigest: digest, predicateType: 'https://slsa.dev/provenance/v1', pushToRegistry: true },
    ]);

    // What production runs: the service's task definition, read back from ECS.
    const client = new ECSClient({ endpoint: ecs.endpoint, region: ecs.region, credentials: ecs.credentials, maxAttempts: 1 });
    const { services } = await client.send(new DescribeServicesCommand({ cluster: production.cluster, services: [production.service] }));
    const { taskDefinition } = await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: services![0]!.taskDefinition! }));
    const deployed = taskDefinition!.containerDefinitions!.find((c) => c.name === production.container)!.image!;
    expect(deployed).toBe(`${pushed}@${result.attestations[0]!.subjectDigest}`);
  });
});
