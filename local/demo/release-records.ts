/**
 * The GitHub half of the release record, as the demo's stages left it in the GitHub stand-in:
 * each environment's deployments, newest first, each named by its cluster, the version its commit
 * released, what opened it (deploy or rollback), its closing status's state and the fields that
 * status carries (`[outcome=… cause=… by=… served=… kind=…]`, shared/release/schema.ts). The
 * expected lists are what the stages did, written down here; delivery metrics read the same records.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RecordedDeployment } from '../github-api/index.js';
import { closingFields } from '../../shared/release/schema.js';
import { DEMO_REPOSITORY, type DemoWorld } from './demo-world.js';
import type { StageRow } from './report-table.js';

/**
 * What each environment's deployments must be, newest first: `<cluster> <version> <kind>:
 * <closing state> [<fields>]`. `production` holds the live service's releases too: pipeline-verified.yml
 * deploys to the GitHub environment production (its variables point at the live service).
 */
export const EXPECTED_RECORDS: Record<string, string[]> = {
  staging: [
    // 8. The migration exited 3 before the service moved: nothing of 1.4.0 ever ran.
    'sample-staging 1.4.0 deploy: failure [outcome=failed cause=failed-migration served=no]',
    // 7. Healthy tasks answered 500s behind the load balancer until the alarm the deploy watched fired.
    'sample-staging 1.3.0 deploy: failure [outcome=rolled-back cause=alarm by=action served=yes]',
    // 5. Its tasks never passed a health check; the deploy stopped it after 2 failed tasks. ECS
    // registered their targets, then stopped them for failing the load balancer's health checks,
    // and does not say whether one was ever healthy: served=unknown (the load proves it answered
    // no request; the record cannot know that).
    'sample-staging 1.2.0 deploy: failure [outcome=rolled-back cause=failed-tasks by=action served=unknown]',
    // 3. (Its success made 1.0.0's record inactive, as GitHub's auto_inactive does.)
    'sample-staging 1.1.0 deploy: success [outcome=succeeded served=yes]',
    'sample-staging 1.0.0 deploy: success [outcome=succeeded served=yes]',
  ],
  production: [
    // 10. Paused at the gate, acceptance failed on green, the resume step rolled it back: production never saw it.
    'sample-live 1.6.0 deploy: failure [outcome=rolled-back cause=gate-rollback by=person served=no kind=resume]',
    // 9. Paused at the gate, acceptance passed, the resume step let it through 10% → bake → 100%.
    'sample-live 1.5.0 deploy: success [outcome=succeeded served=yes kind=resume]',
    // 6. rollback.yml, to: previous — the rollback action's own record, under the commit of its target (1.0.0).
    'sample-production 1.0.0 rollback: success [outcome=succeeded served=yes]',
    'sample-production 1.1.0 deploy: success [outcome=succeeded served=yes]',
    'sample-production 1.0.0 deploy: success [outcome=succeeded served=yes]',
  ],
};

const CLOSING_STATES = ['success', 'failure', 'error'];

/** One deployment as a line: its cluster, the version of its commit, its kind, its closing status and that status's fields. */
export function recordLine(d: RecordedDeployment, versions: ReadonlyMap<string, string>): string {
  const payload = (d.payload ?? {}) as Record<string, unknown>;
  const closing = d.statuses.find((s) => CLOSING_STATES.includes(s.state));
  const fields = Object.entries(closingFields(closing?.description))
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const version = versions.get(d.sha) ?? d.sha.slice(0, 12);
  return `${String(payload.cluster ?? '?')} ${version} ${String(payload.kind ?? '?')}: ${closing ? `${closing.state} [${fields}]` : `not closed (${d.statuses[0]?.state ?? 'no status'})`}`;
}

/** Every record of the demo's repository, in full (statuses newest first), for whoever works metrics out by hand. */
function writeRecords(file: string, deployments: RecordedDeployment[], versions: ReadonlyMap<string, string>): void {
  const out = deployments.map((d) => ({
    id: d.id,
    environment: d.environment,
    line: recordLine(d, versions),
    sha: d.sha,
    creator: d.creator.login,
    created_at: d.created_at,
    payload: d.payload,
    statuses: d.statuses.map((s) => ({ state: s.state, created_at: s.created_at, creator: s.creator.login, description: s.description })),
  }));
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
}

/** One row per environment: `ok` only if its deployments are exactly the expected ones, in order, each written by github-actions[bot]. */
export function releaseRecordRows(world: DemoWorld): StageRow[] {
  const deployments = world.github.deployments(DEMO_REPOSITORY);
  const versions = new Map(Object.entries(world.commits).map(([version, sha]) => [sha, version]));
  const file = path.join(world.base, 'github-release-records.json');
  writeRecords(file, deployments, versions);
  world.say(`  the GitHub release records: ${file}`);
  return Object.entries(EXPECTED_RECORDS).map(([environment, expected]) => {
    const own = deployments.filter((d) => d.environment === environment);
    const lines = own.map((d) => recordLine(d, versions));
    world.releaseRecords[environment] = lines;
    for (const line of lines) world.say(`  ${environment}: ${line}`);
    const strangers = own.filter((d) => d.creator.login !== 'github-actions[bot]' || d.statuses.some((s) => s.creator.login !== 'github-actions[bot]'));
    const mismatch = Math.max(lines.length, expected.length);
    const first = [...Array(mismatch).keys()].find((i) => lines[i] !== expected[i]);
    const ok = first === undefined && strangers.length === 0;
    return {
      stage: `   GitHub release records of ${environment}`,
      ok,
      result: ok
        ? `${lines.length} deployments, newest first: ${lines.map((l) => l.replace(/^\S+ /, '').replace(/ \[.*?served=(\w+).*\]$/, ` served=$1`)).join('; ')}`
        : first !== undefined
          ? `record ${first + 1} of ${lines.length} (expected ${expected.length}): ${lines[first] ?? 'missing'}; expected ${expected[first] ?? 'none'}`
          : `written by someone other than github-actions[bot]: ${strangers.map((d) => d.id).join(', ')}`,
    };
  });
}
