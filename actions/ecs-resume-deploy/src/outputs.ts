import { defineOutputs } from '../../../shared/core/outputs.js';

export const outputs = defineOutputs(['task-definition-arn', 'status', 'rolled-back', 'duration-seconds', 'github-deployment-id'] as const);
