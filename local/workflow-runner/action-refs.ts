/**
 * What a step's `uses:` names. Our own actions are referenced the way users reference them,
 * `<owner>/commit-to-prod/actions/<name>@<ref>`, and run from this checkout's bundles whatever the
 * owner and ref (the runner says which ref it stood in for). `./path` is a local action in the
 * workspace, as on GitHub. Anything else is a marketplace action the runner cannot download.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export const OUR_REPOSITORY = 'commit-to-prod';

export type ActionRef =
  | { kind: 'ours'; action: string; root: string; ref: string; uses: string }
  | { kind: 'local'; action: string; root: string; uses: string }
  | { kind: 'marketplace'; slug: string; ref: string; uses: string }
  | { kind: 'docker'; image: string; uses: string };

const OURS = new RegExp(`^([A-Za-z0-9_.-]+)/${OUR_REPOSITORY}/actions/([a-z0-9-]+)@(.+)$`);

export function parseActionRef(uses: string, where: { root: string; workspace: string }): ActionRef {
  const ours = OURS.exec(uses);
  if (ours) return { kind: 'ours', action: ours[2]!, root: where.root, ref: ours[3]!, uses };
  if (uses.startsWith('docker://')) return { kind: 'docker', image: uses.slice('docker://'.length), uses };
  if (uses.startsWith('./')) {
    // The local runner's bundle runner finds actions as <root>/actions/<name>; a local action
    // elsewhere in the workspace is reported rather than guessed at.
    const match = /^\.\/actions\/([a-z0-9-]+)\/?$/.exec(uses);
    if (!match || !existsSync(path.join(where.workspace, 'actions', match[1]!, 'action.yml'))) {
      return { kind: 'local', action: '', root: where.workspace, uses };
    }
    return { kind: 'local', action: match[1]!, root: where.workspace, uses };
  }
  const at = uses.lastIndexOf('@');
  return { kind: 'marketplace', slug: at > 0 ? uses.slice(0, at) : uses, ref: at > 0 ? uses.slice(at + 1) : '', uses };
}
