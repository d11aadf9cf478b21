/** Where a one-off task runs: the service's placement, member by member replaced by what is given. */
import { describe, expect, it } from 'vitest';
import { placementOf } from '../../shared/ecs/one-off-task.js';

const network = { awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' } };
const spot = [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }];

describe('placementOf', () => {
  it.each([
    ['no service, nothing given', undefined, {}, {}],
    [
      'the service on Fargate',
      { launchType: 'FARGATE', networkConfiguration: network, platformVersion: '1.4.0' },
      {},
      { launchType: 'FARGATE', networkConfiguration: network, platformVersion: '1.4.0' },
    ],
    ["the service's platform version LATEST is left to ECS", { launchType: 'FARGATE', platformVersion: 'LATEST' }, {}, { launchType: 'FARGATE' }],
    [
      'a strategy wins over a launch type the service also reports',
      { launchType: 'FARGATE', capacityProviderStrategy: spot },
      {},
      { capacityProviderStrategy: spot },
    ],
    [
      'a launch type given replaces the strategy',
      { capacityProviderStrategy: spot, networkConfiguration: network },
      { launchType: 'EC2' },
      { launchType: 'EC2', networkConfiguration: network },
    ],
    [
      'a strategy given replaces the launch type',
      { launchType: 'EC2', platformVersion: '1.4.0' },
      { capacityProviderStrategy: spot },
      { capacityProviderStrategy: spot },
    ],
    [
      "a network configuration given replaces the service's",
      { networkConfiguration: network },
      { networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-9'] } } },
      { networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-9'] } } },
    ],
  ])('%s', (_name, service, given, expected) => {
    expect(placementOf(service, given)).toEqual(expected);
  });
});
