import { runAction } from '../../../shared/run-action.js';
import { post } from './main.js';

void runAction('run-test-tier (post)', post);
