import { defineOutputs } from '../../../shared/core/outputs.js';

export const outputs = defineOutputs([
  'passed',
  'failed',
  'skipped',
  'flaky',
  'total',
  'duration-seconds',
  'budget-exceeded',
  'report',
  'shard-files',
] as const);
