/**
 * Marketplace actions the local runner cannot download or run, and what it provides in their
 * place. Each substitution is announced in the log as a notice; an action with no substitute here
 * fails its step rather than being skipped, because a later step would silently miss its effect.
 */
export interface LocalStandIns {
  /** Environment the local AWS stand-in gives (AWS_ENDPOINT_URL_ECS, AWS_REGION, credentials…). */
  aws?: Record<string, string>;
  workspace: string;
  repository: string;
}

export type Substitution = { ok: true; notice: string; env: Record<string, string>; outputs: Record<string, string> } | { ok: false; error: string };

type Substitute = (inputs: Record<string, string>, local: LocalStandIns) => Substitution;

const substitutes: Record<string, Substitute> = {
  'actions/checkout': (inputs, local) => {
    if (inputs.repository && inputs.repository !== local.repository) {
      return { ok: false, error: `actions/checkout of another repository (${inputs.repository}) cannot be provided locally` };
    }
    if (inputs.path) return { ok: false, error: `actions/checkout with path '${inputs.path}' cannot be provided locally (the workspace is used as is)` };
    const ref = inputs.ref ? ` (ref '${inputs.ref}' is not checked out: the workspace is used as it is)` : '';
    return { ok: true, notice: `actions/checkout skipped: the workspace ${local.workspace} already is the repository${ref}`, env: {}, outputs: {} };
  },
  'aws-actions/configure-aws-credentials': (inputs, local) => {
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
    return {
      ok: true,
      notice: `aws-actions/configure-aws-credentials skipped: ${role}AWS calls go to ${endpoint} with its local credentials, region ${region}${asked}`,
      env: { ...local.aws },
      outputs: {},
    };
  },
};

export function substituteMarketplaceAction(slug: string, inputs: Record<string, string>, local: LocalStandIns): Substitution {
  const substitute = substitutes[slug.toLowerCase()];
  if (!substitute) {
    return { ok: false, error: `marketplace action ${slug} cannot run locally and has no local stand-in (known: ${Object.keys(substitutes).join(', ')})` };
  }
  return substitute(inputs, local);
}
