import type { Clock } from '../clock.js';
import type { RegistryConfig } from '../ecr.js';
import type { TaskRunner } from './types.js';
export class DockerRunner {
  static async create(_r: RegistryConfig, _c: Clock): Promise<TaskRunner> {
    throw new Error('not yet');
  }
}
