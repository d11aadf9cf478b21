import { runAction } from '../../../shared/core/action.js';
import { post } from './main.js';

void runAction('run-test-tier (post)', post);
