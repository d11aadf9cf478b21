/**
 * `rollback to: previous` when neither GitHub deployments nor the revision tags hold a record
 * (the service was deployed by other tools): ECS's own history of service deployments. The newest
 * SUCCESSFUL one (ListServiceDeployments, status SUCCESSFUL) whose target revision runs another
 * task definition than the current one is the known-good release; its service revision
 * (DescribeServiceRevisions) names the task definition.
 */
import { DescribeServiceRevisionsCommand, ListServiceDeploymentsCommand, type ServiceDeploymentBrief } from '@aws-sdk/client-ecs';
import type { EcsSender } from '../ecs/raw-json.js';

export interface ServiceDeploymentRelease {
  serviceDeploymentArn: string;
  taskDefinitionArn: string;
  finishedAt: Date | undefined;
}

/** Deployments read at most (ListServiceDeployments pages of 20). */
const MAX_READ = 100;

export async function previousFromServiceDeployments(
  ecs: EcsSender,
  cluster: string,
  service: string,
  currentArn: string,
): Promise<{ target: ServiceDeploymentRelease | undefined; read: number }> {
  const briefs: ServiceDeploymentBrief[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ecs.send(
      new ListServiceDeploymentsCommand({ cluster, service, status: ['SUCCESSFUL'], maxResults: 20, ...(nextToken ? { nextToken } : {}) }),
    );
    briefs.push(...(page.serviceDeployments ?? []));
    nextToken = page.nextToken;
  } while (nextToken && briefs.length < MAX_READ);
  const time = (b: ServiceDeploymentBrief) => (b.finishedAt ?? b.createdAt)?.getTime() ?? 0;
  briefs.sort((a, b) => time(b) - time(a));
  // One DescribeServiceRevisions for up to 20 revisions, newest first, until one runs another task definition.
  for (let i = 0; i < briefs.length; i += 20) {
    const chunk = briefs.slice(i, i + 20).filter((b) => b.targetServiceRevisionArn);
    if (chunk.length === 0) continue;
    const out = await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: chunk.map((b) => b.targetServiceRevisionArn!) }));
    const byArn = new Map((out.serviceRevisions ?? []).map((r) => [r.serviceRevisionArn, r.taskDefinition]));
    for (const b of chunk) {
      const taskDefinitionArn = byArn.get(b.targetServiceRevisionArn);
      if (taskDefinitionArn && taskDefinitionArn !== currentArn) {
        return { target: { serviceDeploymentArn: b.serviceDeploymentArn!, taskDefinitionArn, finishedAt: b.finishedAt }, read: briefs.length };
      }
    }
  }
  return { target: undefined, read: briefs.length };
}
