import { runAction } from '../../../shared/core/action.js';
import { post } from './cleanup.js';

void runAction('run-test-tier (post)', post);
