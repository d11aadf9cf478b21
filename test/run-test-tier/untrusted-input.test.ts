import { readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBundle } from '../../local/runner/run-bundle.js';
import { ageFixtures, sampleWorkspace } from './sample-workspace.js';

/**
 * The attacks of issue 28 on run-test-tier, through the bundle and the local runner (which obeys
 * every stdout command GitHub's runner does, ::save-state included): a report whose name carries
 * workflow commands, a test command that writes the post step's state, and a test command that
 * reads the action runtime's credentials from its environment. Each must fail.
 */

const payload = (marker: string) => `["bash","-c","echo ${marker}","--"]`;

function runTier(workspace: string, run: string, env: Record<string, string> = {}) {
  ageFixtures(workspace);
  return runBundle('run-test-tier', { workspace, env, inputs: { tier: 'unit', run, reports: 'r/*.xml' } });
}

/** Lines a program printed in the post step (the echoed [command] line aside). */
const printedLines = (log: string | undefined) => (log ?? '').split('\n').filter((l) => !l.startsWith('[command]'));

describe('run-test-tier: what a fork, a test or a report writes runs nothing', () => {
  it('a report named with ::save-state lines stores no state, is logged on one line, and the post step runs nothing', async () => {
    const workspace = sampleWorkspace(['jest.xml']);
    const name = `a\n::save-state name=compose-project::ctp-evil\n::save-state name=compose-command::${payload('PWNED-BY-REPORT-NAME')}\n##[save-state name=compose-cwd;]x\n.xml`;
    // As a fork's artifact would bring it: a file of that name, copied where the reports are read.
    renameSync(path.join(workspace, 'fixtures/jest.xml'), path.join(workspace, 'fixtures', name));
    const r = await runTier(workspace, 'mkdir -p r && cp fixtures/* r/');
    expect(r.log).toContain('4 tests');
    expect(r.state['compose-project']).toBeUndefined();
    expect(r.state['compose-command']).toBeUndefined();
    expect(r.state['compose-cwd']).toBeUndefined();
    // One line, the commands defused, inside ::stop-commands:: … ::<token>::.
    const line = r.log.split('\n').find((l) => l.includes('PWNED-BY-REPORT-NAME'));
    expect(line).toBe(
      `r/a⏎::save-state name=compose-project::ctp-evil⏎::save-state name=compose-command::${payload('PWNED-BY-REPORT-NAME')}⏎#%23[save-state name=compose-cwd;]x⏎.xml: 4 tests`,
    );
    expect(r.log).toMatch(/^::stop-commands::ctp-[0-9a-f]{32}$/m);
    expect(r.annotations.filter((a) => /deprecated/.test(a.message))).toEqual([]);
    expect(printedLines(r.post?.log)).not.toContain('PWNED-BY-REPORT-NAME');
  });

  it('state the test command writes with ::save-state is refused by the post step: no command, no foreign container or directory', async () => {
    const workspace = sampleWorkspace(['jest.xml']);
    const run = [
      'mkdir -p r && cp fixtures/jest.xml r/',
      `echo '::save-state name=compose-project::ctp-evil'`,
      `echo '::save-state name=compose-command::${payload('PWNED-BY-TEST-OUTPUT')}'`,
      `echo '::save-state name=container::../../../home'`,
    ].join('\n');
    const r = await runTier(workspace, run);
    // The runner obeys the deprecated command, with GitHub's warning: the state is there…
    expect(r.state['compose-command']).toBe(payload('PWNED-BY-TEST-OUTPUT'));
    expect(r.annotations.some((a) => a.level === 'warning' && /The `save-state` command is deprecated/.test(a.message))).toBe(true);
    // …and the post step acts on none of it.
    expect(r.post?.exitCode).toBe(0);
    expect(printedLines(r.post?.log)).not.toContain('PWNED-BY-TEST-OUTPUT');
    expect(r.post?.log).toContain('Ignored the saved compose stack (project ctp-evil): the compose command is not one this action runs');
    expect(r.post?.log).toContain('Ignored the saved state container (../../../home)');
  });

  it("the test command gets a run: step's environment: no runtime token, cache or results URL, inputs, state or state file", async () => {
    const workspace = sampleWorkspace(['jest.xml']);
    const run = 'mkdir -p r && cp fixtures/jest.xml r/\nenv -0 > env.bin\n';
    const r = await runTier(workspace, run, { FROM_JOB_ENV: 'kept', ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/oidc' });
    const env = Object.fromEntries(
      readFileSync(path.join(workspace, 'env.bin'), 'utf8')
        .split('\0')
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    for (const leaked of [
      'ACTIONS_RUNTIME_TOKEN',
      'ACTIONS_RUNTIME_URL',
      'ACTIONS_CACHE_URL',
      'ACTIONS_RESULTS_URL',
      'GITHUB_STATE',
      'GITHUB_ACTION_PATH',
      'INPUT_RUN',
      'INPUT_TIER',
    ])
      expect(env, leaked).not.toHaveProperty(leaked);
    expect(Object.keys(env).filter((k) => k.startsWith('STATE_') || k.startsWith('INPUT_'))).toEqual([]);
    expect(env).toMatchObject({
      FROM_JOB_ENV: 'kept',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/oidc',
      CI: 'true',
      GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
      GITHUB_WORKSPACE: workspace,
      TEST_TIER: 'unit',
    });
    expect(env.RUNNER_TEMP).toBe(r.runnerTemp);
    expect(env.GITHUB_OUTPUT).toBeTruthy();
  });
});

describe('what post steps accept from state', () => {
  it('a compose command findCompose can return, our project prefix, our container and config names, a well-formed process group', async () => {
    const { isOwnComposeCommand, readSavedStack } = await import('../../shared/compose/saved-stack.js');
    const { isOwnContainerName, newContainerName } = await import('../../shared/container/runner.js');
    const { isOwnDockerConfig } = await import('../../shared/docker/config.js');
    const { parseTierProcessGroup } = await import('../../shared/test-tier/leftover-processes.js');
    const env = { RUNNER_TOOL_CACHE: '/opt/hostedtoolcache', RUNNER_TEMP: '/home/runner/work/_temp' };
    expect(isOwnComposeCommand(['docker', 'compose'], env)).toBe(true);
    expect(isOwnComposeCommand(['docker-compose'], env)).toBe(true);
    expect(isOwnComposeCommand(['/opt/hostedtoolcache/docker-compose/2.29.7/x64/docker-compose'], env)).toBe(true);
    for (const bad of [['bash', '-c', 'id', '--'], ['/tmp/docker-compose'], ['/opt/hostedtoolcache/docker-compose/../../../bin/sh'], 'docker-compose', [1]])
      expect(isOwnComposeCommand(bad, env), JSON.stringify(bad)).toBe(false);
    expect(readSavedStack({ project: 'other-project', command: '["docker","compose"]', cwd: '/' }, env)).toEqual({
      refused: expect.stringMatching(/not one of ours/),
    });
    expect(readSavedStack({ project: 'ctp-unit-1-abc123', command: '["docker","compose"]', files: '["a.yml"]', cwd: '/' }, env)).toMatchObject({
      project: 'ctp-unit-1-abc123',
    });
    expect(isOwnContainerName(newContainerName('ctp-test-unit'))).toBe(true);
    for (const bad of ['../../home', 'ctp-x/../../y-1-0123abcd', 'mycontainer']) expect(isOwnContainerName(bad), bad).toBe(false);
    expect(isOwnDockerConfig('/home/runner/work/_temp/ctp-docker-Ab12Cd', env)).toBe(true);
    for (const bad of [
      '/home/runner/work/repo',
      '/home/runner/work/_temp/ctp-docker-Ab12Cd/..',
      '/home/runner/work/_temp/sub/ctp-docker-Ab12Cd',
      'ctp-docker-Ab12Cd',
    ])
      expect(isOwnDockerConfig(bad, env), bad).toBe(false);
    expect(parseTierProcessGroup('{"processGroup":4242,"marker":"0123456789abcdef"}')).toEqual({ processGroup: 4242, marker: '0123456789abcdef' });
    for (const bad of ['{"processGroup":1,"marker":"0123456789abcdef"}', '{"processGroup":-5,"marker":"x"}', 'not json', '[]'])
      expect(parseTierProcessGroup(bad), bad).toBeUndefined();
  });
});
