import { defineOutputs } from '../../../shared/core/outputs.js';

export const outputs = defineOutputs([
  'task-definition-arn',
  'previous-task-definition-arn',
  'deployment-id',
  'status',
  'rolled-back',
  'duration-seconds',
  'task-arn',
  'exit-code',
  'service-deployment-arn',
  'hook-id',
  'github-deployment-id',
  'plan',
  'changes',
  'services',
] as const);
