import { defineOutputs } from '../../../shared/core/outputs.js';

export const outputs = defineOutputs([
  'releases',
  'deployment-frequency',
  'lead-time-median-hours',
  'change-failure-rate',
  'recovery-time-median-hours',
  'rework-rate',
  'report-file',
] as const);
