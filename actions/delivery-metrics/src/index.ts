import { runAction } from '../../../shared/core/action.js';
import { main } from './main.js';

void runAction('delivery-metrics', main);
