import { defineOutputs } from '../../../shared/core/outputs.js';

export const outputs = defineOutputs(['task-definition-arn', 'task-arn', 'exit-code', 'status', 'duration-seconds'] as const);
