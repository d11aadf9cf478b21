import { DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import type { EcsSender } from './raw-json.js';

/**
 * The previous revision's tasks ECS is stopping (desired STOPPED, not stopped yet: draining from
 * the load balancer): DescribeServices counts only running ones. One page of ListTasks; a failure
 * (no ecs:ListTasks permission) leaves the count unknown, never the deploy failed.
 */
export async function countStopping(ecs: EcsSender, cluster: string, service: string, newTaskDefinitionArn: string): Promise<number | undefined> {
  try {
    const listed = await ecs.send(new ListTasksCommand({ cluster, serviceName: service, desiredStatus: 'STOPPED', maxResults: 100 }));
    const arns = listed.taskArns ?? [];
    if (arns.length === 0) return 0;
    const tasks = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns }))).tasks ?? [];
    return tasks.filter((t) => t.lastStatus !== 'STOPPED' && t.taskDefinitionArn !== newTaskDefinitionArn).length;
  } catch {
    return undefined;
  }
}
