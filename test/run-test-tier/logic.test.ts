import { describe, expect, it } from 'vitest';
import { parseInspect, portVariables, readiness, type ServiceState } from '../../shared/compose/stack.js';
import { anchorPatterns } from '../../shared/test-report/report-files.js';
import { annotationLimits } from '../../shared/test-report/annotations.js';
import { parseShell, scriptCommand } from '../../shared/core/shell.js';
import { stackCandidates } from '../../shared/test-report/source-location.js';
import { checkBudget, decideVerdict, describeBudget, defaultBudgetMs } from '../../shared/test-tier/verdict.js';

const counts = (failed = 0) => ({ passed: 10 - failed, failed, skipped: 0, flaky: 0, total: 10 });
const base = {
  tier: 'unit',
  exitCode: 0,
  cancelled: false,
  counts: counts(),
  budget: checkBudget(1_000, 300_000),
  onBudgetExceeded: 'fail' as const,
  reportsFound: 1,
  failOnEmpty: true,
  malformed: [],
};

describe('tier verdict', () => {
  it.each([
    { name: 'all good', input: {}, passed: true, failures: [], warnings: [] },
    { name: 'a failed test', input: { counts: counts(2) }, passed: false, failures: ['2 of 10 unit tests failed.'], warnings: [] },
    {
      name: 'exit code without failures',
      input: { exitCode: 2 },
      passed: false,
      failures: [expect.stringMatching(/^The test command exited with code 2 although no report shows a failing test/)],
      warnings: [],
    },
    {
      name: 'overrun, fail',
      input: { budget: checkBudget(330_000, 300_000) },
      passed: false,
      failures: ['The unit tier took 5m30s, 30s over its budget of 5m00s.'],
      warnings: [],
    },
    {
      name: 'overrun, warn',
      input: { budget: checkBudget(330_000, 300_000), onBudgetExceeded: 'warn' as const },
      passed: true,
      failures: [],
      warnings: ['The unit tier took 5m30s, 30s over its budget of 5m00s.'],
    },
    { name: 'no report, strict', input: { reportsFound: 0 }, passed: false, failures: [expect.stringMatching(/^No JUnit report matched/)], warnings: [] },
    {
      name: 'no report, lenient',
      input: { reportsFound: 0, failOnEmpty: false },
      passed: true,
      failures: [],
      warnings: [expect.stringMatching(/^No JUnit report matched/)],
    },
    {
      name: 'reports without a test',
      input: { counts: { passed: 0, failed: 0, skipped: 0, flaky: 0, total: 0 } },
      passed: false,
      failures: ['The 1 JUnit report found holds no test: check that the test command selects any.'],
      warnings: [],
    },
    {
      name: 'malformed',
      input: { malformed: ['Malformed JUnit XML in a.xml at line 1, column 2: x'] },
      passed: false,
      failures: ['Malformed JUnit XML in a.xml at line 1, column 2: x'],
      warnings: [],
    },
  ])('$name', ({ input, passed, failures, warnings }) => {
    const verdict = decideVerdict({ ...base, ...input });
    expect(verdict).toMatchObject({ passed, failures, warnings });
  });

  it('budgets: 5m for unit only; the description says how much of it was used', () => {
    expect([defaultBudgetMs('unit'), defaultBudgetMs('integration'), defaultBudgetMs('smoke')]).toEqual([300_000, undefined, undefined]);
    expect(describeBudget(checkBudget(192_000, 300_000))).toBe('3m12s of 5m00s (64%)');
    expect(describeBudget(checkBudget(360_000, 300_000))).toBe('6m00s of 5m00s (120%, 1m00s over)');
    expect(describeBudget(checkBudget(4_200, undefined))).toBe('4.2s (no budget)');
  });
});

describe('shell', () => {
  it.each([
    { given: '', fallback: ['sh', '-e', '{0}'], expected: ['sh', '-e', '{0}'] },
    { given: 'bash', fallback: [], expected: ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '{0}'] },
    { given: 'sh', fallback: [], expected: ['sh', '-e', '{0}'] },
    { given: 'bash -e', fallback: [], expected: ['bash', '-e', '{0}'] },
    { given: 'python3 -u {0} --verbose', fallback: [], expected: ['python3', '-u', '{0}', '--verbose'] },
  ])('$given', ({ given, fallback, expected }) => {
    expect(parseShell(given, fallback)).toEqual(expected);
  });

  it('refuses shell operators and puts the script path where {0} is', () => {
    expect(() => parseShell('bash; rm -rf /', [])).toThrow(/Input 'shell' has an invalid value/);
    expect(scriptCommand(['python3', '-u', '{0}', '-v'], '/tmp/s.sh')).toEqual({ command: 'python3', args: ['-u', '/tmp/s.sh', '-v'] });
  });
});

describe('compose stack states', () => {
  const state = (over: Partial<ServiceState>): ServiceState => ({
    service: 's',
    container: 'c',
    status: 'running',
    exitCode: 0,
    ports: [],
    networks: [],
    ...over,
  });
  it.each([
    { s: state({ health: 'healthy' }), expected: 'ready' },
    { s: state({ health: 'starting' }), expected: 'waiting' },
    { s: state({ health: 'unhealthy' }), expected: 'failed' },
    { s: state({ status: 'exited', health: 'starting' }), expected: 'failed' },
    { s: state({}), expected: 'ready' },
    { s: state({ status: 'created' }), expected: 'waiting' },
    { s: state({ status: 'restarting' }), expected: 'waiting' },
    { s: state({ status: 'exited', exitCode: 0 }), expected: 'ready' },
    { s: state({ status: 'exited', exitCode: 1 }), expected: 'failed' },
  ])('$s.status/$s.health/$s.exitCode → $expected', ({ s, expected }) => {
    expect(readiness(s)).toBe(expected);
  });

  it('reads docker inspect and names ports for the runner and for a container on the network', () => {
    const states = parseInspect(
      JSON.stringify([
        {
          Id: 'abcdef0123456789',
          State: { Status: 'running', ExitCode: 0, Health: { Status: 'healthy' } },
          Config: { Labels: { 'com.docker.compose.service': 'api-gateway' } },
          NetworkSettings: {
            Ports: { '8080/tcp': [{ HostIp: '0.0.0.0', HostPort: '49153' }], '9090/tcp': null, '53/udp': [{ HostIp: '0.0.0.0', HostPort: '49154' }] },
            Networks: { proj_default: {} },
          },
        },
      ]),
    );
    expect(states[0]).toMatchObject({ service: 'api-gateway', container: 'abcdef012345', health: 'healthy', networks: ['proj_default'] });
    expect(portVariables(states, 'runner')).toEqual({ STACK_API_GATEWAY_8080: '127.0.0.1:49153', STACK_API_GATEWAY_53_UDP: '127.0.0.1:49154' });
    expect(portVariables(states, 'network')).toEqual({
      STACK_API_GATEWAY_8080: 'api-gateway:8080',
      STACK_API_GATEWAY_9090: 'api-gateway:9090',
      STACK_API_GATEWAY_53_UDP: 'api-gateway:53',
    });
  });
});

describe('reports and stack frames', () => {
  it('anchors globs at the working directory, keeping exclusions', () => {
    expect(anchorPatterns(['**/TEST-*.xml', '!**/node_modules/**', '/abs/x.xml'], '/ws/app')).toEqual([
      '/ws/app/**/TEST-*.xml',
      '!/ws/app/**/node_modules/**',
      '/abs/x.xml',
    ]);
  });

  it.each([
    { text: '\tat com.acme.FooTest.bar(FooTest.java:12)', expected: [{ path: 'com/acme/FooTest.java', line: 12, className: 'com.acme.FooTest' }] },
    { text: '\tat app//com.acme.FooTest.bar(FooTest.kt:7)', expected: [{ path: 'com/acme/FooTest.kt', line: 7 }] },
    { text: '  File "/src/tests/test_a.py", line 9, in test_x', expected: [{ path: '/src/tests/test_a.py', line: 9 }] },
    {
      text: '    at Object.<anonymous> (/app/src/a.test.js:5:17)\n    at x (/app/node_modules/jest/y.js:1:1)',
      expected: [{ path: '/app/src/a.test.js', line: 5 }],
    },
    { text: ' ❯ src/price.test.ts:9:24', expected: [{ path: 'src/price.test.ts', line: 9 }] },
    { text: '    ledger_test.go:21: Balance() = 90', expected: [{ path: 'ledger_test.go', line: 21 }] },
    { text: 'at node:internal/process/task_queues:95:5', expected: [] },
  ])('$text', ({ text, expected }) => {
    expect(stackCandidates(text)).toEqual(expected.map((e) => expect.objectContaining(e)));
  });
});

describe('annotation limits', () => {
  it.each([
    { annotate: 'github' as const, errors: 1, warnings: 0, expected: { errors: 9, warnings: 10 } },
    { annotate: 'github' as const, errors: 0, warnings: 2, expected: { errors: 10, warnings: 8 } },
    { annotate: 'github' as const, errors: 1, warnings: 12, expected: { errors: 9, warnings: 0 } },
    { annotate: 25, errors: 1, warnings: 1, expected: { errors: 25, warnings: 25 } },
  ])('$annotate with $errors error(s) and $warnings warning(s) of the step', ({ annotate, errors, warnings, expected }) => {
    expect(annotationLimits(annotate, errors, warnings)).toEqual(expected);
  });
});
