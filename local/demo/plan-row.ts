/**
 * The plan production's reviewers read before approving (pipeline.yml's plan-production job, with
 * `plan: true`): the demo prints its summary lines and checks that what it planned is what then
 * ran — the image the deploy put into production, by digest.
 */
import { planLines } from '../../shared/ecs/plan-summary.js';
import type { ReleasePlan } from '../../shared/ecs/release-plan.js';
import type { WorkflowRunResult } from '../workflow-runner/run-workflow.js';
import { type DemoWorld, resultText, sumMs } from './demo-world.js';
import type { StageRow } from './report-table.js';

export function planRow(world: DemoWorld, run: WorkflowRunResult, imageRef: string): StageRow {
  const job = run.jobs.find((j) => j.id === 'plan-production');
  let plan: ReleasePlan | undefined;
  try {
    plan = JSON.parse(job?.outputs.plan ?? '') as ReleasePlan;
  } catch {
    plan = undefined;
  }
  const lines = plan ? planLines(plan) : [];
  for (const line of lines) world.say(`  plan: ${line}`);
  const image = plan?.images.find((i) => i.container === 'app');
  const ok = job?.result === 'success' && plan?.changes === true && image?.image === imageRef && image.digest !== null;
  return {
    stage: '   plan of production, read before the approval',
    ok,
    result: plan ? `${lines.length} lines: ${lines.filter((l) => l.startsWith('app.')).join('; ') || lines[0]}` : resultText(job),
    durationMs: sumMs(job),
  };
}
