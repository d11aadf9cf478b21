import { defineOutputs } from '../../../shared/core/outputs.js';

export const outputs = defineOutputs(['digest', 'image-ref', 'tags', 'image-id'] as const);
