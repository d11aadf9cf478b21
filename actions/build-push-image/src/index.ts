import { runAction } from '../../../shared/run-action.js';
import { main } from './main.js';

void runAction('build-push-image', main);
