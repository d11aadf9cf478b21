/**
 * What the local workflow runner refuses, found before anything runs: features it cannot carry
 * out as GitHub does, so a run that would be silently different never starts.
 */
import type { LoadedWorkflow } from './workflow-file.js';
import { rawAt, rawCount, rawKeys } from './workflow-file.js';

const REFUSED_JOB_KEYS: Record<string, string> = {
  services: 'service containers',
  container: 'job containers (use build-in-container or run-test-tier with container-image)',
  'continue-on-error': 'job-level continue-on-error',
};

const REFUSED_STEP_KEYS: Record<string, string> = {
  background: 'background steps',
  wait: 'wait steps',
  'wait-all': 'wait-all steps',
  cancel: 'cancel steps',
  parallel: 'parallel steps',
};

export function unsupportedFeatures(workflow: LoadedWorkflow): string[] {
  const found: string[] = [];
  for (const job of rawKeys(rawAt(workflow.raw, 'jobs'))) {
    const rawJob = rawAt(workflow.raw, 'jobs', job);
    for (const key of rawKeys(rawJob)) {
      const what = REFUSED_JOB_KEYS[key];
      if (what) found.push(`job '${job}': ${what}`);
    }
    const steps = rawAt(rawJob, 'steps');
    for (let i = 0; i < rawCount(steps); i++) {
      for (const key of rawKeys(rawAt(steps, i))) {
        const what = REFUSED_STEP_KEYS[key];
        if (what) found.push(`job '${job}' step ${i + 1}: ${what}`);
      }
    }
  }
  return found;
}
