import { runAction } from '../../../shared/run-action.js';
import { post } from './cleanup.js';

void runAction('build-push-image (post)', post);
