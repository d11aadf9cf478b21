import { defineOutputs } from '../../../shared/core/outputs.js';

export const outputs = defineOutputs(['exit-code', 'duration-seconds', 'image-id', 'cache-paths'] as const);
