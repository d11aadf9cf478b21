import { runAction } from '../../../shared/run-action.js';
import { main } from './main.js';

void runAction('ecs-rolling-deploy', main);
