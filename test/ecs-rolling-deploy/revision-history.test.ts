/** A family's revisions newest first by revision number — our ordering, not ListTaskDefinitions'. */
import { describe, expect, it } from 'vitest';
import type { EcsSender } from '../../shared/ecs/raw-json.js';
import { familyRevisions } from '../../shared/ecs/revision-history.js';

const arn = (family: string, n: number) => `arn:aws:ecs:us-east-1:1:task-definition/${family}:${n}`;

/** An ECS whose ListTaskDefinitions pages come back in no particular order (as any list may). */
function scrambledEcs(pages: string[][]): EcsSender & { described: string[] } {
  const described: string[] = [];
  return {
    described,
    send: (async (command: { constructor: { name: string }; input: { nextToken?: string; taskDefinition?: string } }) => {
      if (command.constructor.name === 'ListTaskDefinitionsCommand') {
        const index = Number(command.input.nextToken ?? 0);
        return { taskDefinitionArns: pages[index], ...(index + 1 < pages.length ? { nextToken: String(index + 1) } : {}) };
      }
      if (command.constructor.name === 'DescribeTaskDefinitionCommand') {
        const ref = command.input.taskDefinition!;
        described.push(ref);
        const revision = Number(ref.split(':').at(-1));
        return { taskDefinition: { taskDefinitionArn: ref, family: 'pay', revision, status: 'ACTIVE', containerDefinitions: [] }, tags: [] };
      }
      throw new Error(`unexpected ${command.constructor.name}`);
    }) as unknown as EcsSender['send'],
  };
}

describe('familyRevisions', () => {
  it('yields by revision number, newest first, whatever order the pages come in', async () => {
    const ecs = scrambledEcs([
      [arn('pay', 3), arn('pay', 10), arn('payments', 99)],
      [arn('pay', 9), arn('pay', 1), arn('pay', 2)],
    ]);
    const seen: number[] = [];
    for await (const r of familyRevisions(ecs, 'pay', { limit: 10 })) seen.push(r.revision);
    expect(seen).toEqual([10, 9, 3, 2, 1]);
  });

  it('describes only as many as the caller reads', async () => {
    const ecs = scrambledEcs([[arn('pay', 1), arn('pay', 7), arn('pay', 4), arn('pay', 5), arn('pay', 6), arn('pay', 2), arn('pay', 3)]]);
    const seen: number[] = [];
    for await (const r of familyRevisions(ecs, 'pay', { limit: 2 })) seen.push(r.revision);
    expect(seen).toEqual([7, 6]);
    expect(ecs.described).toEqual([arn('pay', 7), arn('pay', 6)]);
  });
});
