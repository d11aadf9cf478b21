import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_WORKFLOWS, prepareWorkspace } from '../../local/demo/run-demo.js';
import { repoRoot } from '../../local/runner/run-bundle.js';
import { checkWorkflowFile } from '../../local/workflow-check/check-workflow.js';
import { checkPolicy } from '../../local/workflow-check/policy.js';
import { loadWorkflow } from '../../local/workflow-runner/workflow-file.js';

describe('the demo’s workspace', () => {
  const base = mkdtempSync(path.join(tmpdir(), 'ctp-demo-ws-'));
  const workspace = prepareWorkspace(base);
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  const workflows = path.join(workspace, '.github/workflows');

  it('is a git repository with the sample app and the example workflows, unchanged: no second copy of the pipeline', () => {
    expect(execFileSync('git', ['symbolic-ref', '--short', 'HEAD'], { cwd: workspace, encoding: 'utf8' }).trim()).toBe('main');
    expect(readdirSync(workflows).sort()).toEqual(
      ['commit-stage.yml', 'delivery-metrics.yml', 'deploy-verified.yml', 'deploy.yml', 'pipeline-verified.yml', 'pipeline.yml', 'rollback.yml'].sort(),
    );
    expect([...DEMO_WORKFLOWS].sort()).toEqual(readdirSync(workflows).sort());
    expect(existsSync(path.join(repoRoot, 'local/sample-app/workflows'))).toBe(false);
    for (const f of readdirSync(workflows)) {
      expect(readFileSync(path.join(workflows, f), 'utf8')).toBe(readFileSync(path.join(repoRoot, 'workflows-examples', f), 'utf8'));
    }
    expect(existsSync(path.join(workspace, 'build.sh'))).toBe(true);
    expect(existsSync(path.join(workspace, 'build'))).toBe(false);
  });

  it.each(['commit-stage.yml', 'pipeline.yml', 'pipeline-verified.yml'])('%s passes the same checks and policy as the examples', async (file) => {
    const full = path.join(workflows, file);
    expect((await checkWorkflowFile(full)).problems).toEqual([]);
    expect(checkPolicy(await loadWorkflow(full), readFileSync(full, 'utf8'))).toEqual([]);
  });
});
