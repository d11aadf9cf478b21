/**
 * Which GitHub deployments a rollback believes. Any token with `deployments: write` can create a
 * deployment or add a status to one, so a record steers production only when the pipeline's own
 * identity (`github-identity`) wrote it: a deployment created by anyone else is passed over with
 * the reason, and statuses others added to ours do not count towards its verdict.
 * (pick-rollback-target.ts also holds the pick to the revision's ECS tags.)
 */
import type { DeploymentHistoryEntry } from '../github/deployment-history.js';
import { sameLogin } from '../github/identity.js';
import { neutraliseLogText } from '../core/log-text.js';

export type TrustedEntry = { entry: DeploymentHistoryEntry } | { why: string };

export function trustedEntry(entry: DeploymentHistoryEntry, identity: string): TrustedEntry {
  if (!sameLogin(entry.creator, identity)) {
    return {
      why: `created by ${entry.creator === undefined ? 'an unknown author' : neutraliseLogText(entry.creator)}, not by the pipeline's identity ${identity}`,
    };
  }
  const ours = entry.statuses.filter((s) => sameLogin(s.creator, identity));
  if (ours.length === entry.statuses.length) return { entry };
  return { entry: { ...entry, statuses: ours, states: ours.map((s) => s.state) } };
}
