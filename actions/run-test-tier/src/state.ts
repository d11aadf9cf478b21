import { defineState } from '../../../shared/core/state.js';

/** Main → post: only what tears the stack and the container down, never a secret. */
export const state = defineState(['compose-project', 'compose-files', 'compose-command', 'compose-cwd', 'container', 'process-group'] as const);
