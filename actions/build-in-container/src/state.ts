import { defineState } from '../../../shared/core/state.js';

/**
 * What main hands to post: the container's name (post removes whatever carries it, and the
 * run directory named after it) and the private Docker config directory. Never a credential.
 */
export const state = defineState(['container', 'docker-config'] as const);
