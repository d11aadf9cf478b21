import { runAction } from '../../../shared/run-action.js';
import { post } from './main.js';

void runAction('build-push-image (post)', post);
