import { runAction } from '../../../shared/core/action.js';
import { post } from './cleanup.js';

void runAction('build-in-container (post)', post);
