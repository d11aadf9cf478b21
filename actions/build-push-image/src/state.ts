import { defineState } from '../../../shared/core/state.js';

/** Main → post: the private Docker config directory to remove. Never a credential. */
export const state = defineState(['docker-config'] as const);
