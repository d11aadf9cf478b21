/**
 * Preflight on the rollback: a rollback goes back to a revision that ran before, in an emergency,
 * so preflight's problems are warnings there and the rollback goes on (the deploy engine's
 * `preflight: 'warn'`). Here the release rolled back to has lost its image digest from ECR: the
 * step warns, naming container, image and repository, and still rolls back.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBundle } from '../../local/runner/run-bundle.js';
import { localRegistry } from '../helpers/local-ecs.js';
import { deleteManifests, pushTinyImage } from '../helpers/registry-images.js';
import { deployAction, github, startDeployFixture, steadyService, waitForSteady, type DeployFixture } from '../ecs-rolling-deploy/fixture.js';

const registry = localRegistry();
const id = randomBytes(4).toString('hex');
const repo = `ctp-test/rollback-preflight-${id}`;
const ECR = '000000000000.dkr.ecr.us-east-1.amazonaws.com';
let f: DeployFixture;
const pushed: string[] = [];

beforeAll(async () => {
  f = await startDeployFixture({ timeScale: 10, emulatedPolls: true, registry, defaultBehaviour: { startMs: 1_000, healthyAfterMs: 500 } });
});
afterAll(async () => {
  await f?.stop();
  await deleteManifests(registry, repo, pushed);
});

describe('rollback preflight', () => {
  it('warns that the image rolled back to is gone from ECR, and rolls back regardless', async () => {
    const s = await steadyService(f, { image: 'acme/app:1' });
    const [v2, v3] = [await pushTinyImage(registry, repo, 'v2', `v2 ${id}`), await pushTinyImage(registry, repo, 'v3', `v3 ${id}`)];
    pushed.push(v3);
    for (const digest of [v2, v3]) {
      const r = await deployAction(f, s, { 'container-images': `app=${ECR}/${repo}@${digest}` });
      expect(r.outputs.status, r.log).toBe('succeeded');
    }
    await deleteManifests(registry, repo, [v2]);

    const r = await runBundle('rollback', {
      inputs: { cluster: s.cluster, service: s.service, reason: 'v3 answers 500s' },
      env: f.local.env(),
      github: { ...github, eventName: 'workflow_dispatch', actor: 'alice', workflow: 'rollback' },
      timeoutMs: 120_000,
    });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.outputs.status).toBe('succeeded');
    expect(
      r.annotations.some(
        (a) =>
          a.level === 'warning' &&
          a.message.includes(`Container 'app' image ${ECR}/${repo}@${v2} is not in ECR repository '${repo}' (registry 000000000000, us-east-1)`) &&
          a.message.includes('A rollback goes on regardless'),
      ),
      r.log,
    ).toBe(true);
    const service = await waitForSteady(f, s.cluster, s.service);
    expect(service.taskDefinition).toBe(s.taskDefinitionArn.replace(/:\d+$/, ':2'));
  });
});
