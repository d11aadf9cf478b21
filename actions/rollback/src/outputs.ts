import { defineOutputs } from '../../../shared/core/outputs.js';

export const outputs = defineOutputs(['from', 'to', 'status', 'source'] as const);
