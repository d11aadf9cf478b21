/**
 * What a release of several services refuses before anything is written, from the release plans
 * every service made (release-plan.ts): the checks no single service can make. Each service's own
 * refusals (a container its family lacks, a CODE_DEPLOY or EXTERNAL controller, a failed
 * preflight, …) stay the engine's, made by each deploy on its own; deploy-services.ts lists them
 * with these in one error.
 *
 * - One family, one revision: the services of a family must deploy the same document, since the
 *   release registers one revision per family (a service on an older revision would otherwise get
 *   a different one, or another service's).
 * - ROLLING only: a release is taken back as a whole, and a native service deployment ECS has
 *   completed cannot be rolled back by StopServiceDeployment; a native strategy is a release of
 *   its own service (one step each).
 */
import type { ReleasePlan } from './release-plan.js';
import { revisionName } from './task-definition-source.js';

/** One sentence per refusal; none: the release may go on. */
export function releaseRefusals(plans: readonly ReleasePlan[]): string[] {
  const refusals: string[] = [];
  for (const plan of plans) {
    if (plan.serviceUpdate.strategy !== 'ROLLING') {
      refusals.push(
        `${plan.service} deploys with ECS's ${plan.serviceUpdate.strategy} strategy: a release of several services is taken back as a whole, and a native service deployment ECS has completed cannot be rolled back (StopServiceDeployment), so several services deploy only with ROLLING updates; deploy ${plan.service} in a step of its own`,
      );
    }
  }
  for (const [family, members] of byFamily(plans)) {
    const documents = new Set(members.map((p) => p.taskDefinition.sha256));
    if (documents.size < 2) continue;
    const from = members.map((p) => `${p.service} from ${revisionName(p.fingerprint.taskDefinitionArn ?? undefined)}`).join(', ');
    refusals.push(
      `${members.map((p) => p.service).join(', ')} share the task definition family ${family} but would deploy different documents (${from}): a release registers one revision per family; put those services on one revision first, or deploy them in separate steps`,
    );
  }
  return refusals;
}

function byFamily(plans: readonly ReleasePlan[]): Map<string, ReleasePlan[]> {
  const families = new Map<string, ReleasePlan[]>();
  for (const plan of plans) {
    const family = String(plan.taskDefinition.document.family ?? '');
    families.set(family, [...(families.get(family) ?? []), plan]);
  }
  return families;
}
