/** Identifiers and ARNs in the formats ECS uses, so clients that parse them keep working. */
import { randomBytes, randomInt } from 'node:crypto';

export interface Account {
  region: string;
  accountId: string;
}

export const clusterArn = (a: Account, cluster: string) => `arn:aws:ecs:${a.region}:${a.accountId}:cluster/${cluster}`;
export const serviceArn = (a: Account, cluster: string, service: string) => `arn:aws:ecs:${a.region}:${a.accountId}:service/${cluster}/${service}`;
export const taskArn = (a: Account, cluster: string, id: string) => `arn:aws:ecs:${a.region}:${a.accountId}:task/${cluster}/${id}`;
export const taskDefinitionArn = (a: Account, family: string, revision: number) =>
  `arn:aws:ecs:${a.region}:${a.accountId}:task-definition/${family}:${revision}`;
export const containerArn = (a: Account, cluster: string, taskId: string) =>
  `arn:aws:ecs:${a.region}:${a.accountId}:container/${cluster}/${taskId}/${randomBytes(16)
    .toString('hex')
    .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5')}`;

/** ECS task ids are 32 lowercase hex characters. */
export const newTaskId = () => randomBytes(16).toString('hex');

/** ECS deployment ids look like `ecs-svc/` followed by 19 digits. */
export function newDeploymentId(): string {
  let digits = String(randomInt(1, 10));
  while (digits.length < 19) digits += String(randomInt(0, 10));
  return `ecs-svc/${digits}`;
}

/** The last path segment of an ARN, or the value itself when it is a plain name. */
export function nameFromArnOrName(value: string): string {
  if (!value.startsWith('arn:')) return value;
  const resource = value.split(':').slice(5).join(':');
  const parts = resource.split('/');
  return parts[parts.length - 1] ?? value;
}
