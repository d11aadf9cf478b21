import { describe, expect, it } from 'vitest';
import { StepLog } from '../../local/runner/step-log.js';
import { parseCommandLine } from '../../local/runner/workflow-commands.js';
import { neutraliseLogText } from '../../shared/core/log-text.js';

/** Feeds lines to a step log as a step's stdout would. */
function read(lines: readonly string[], env: Record<string, string> = {}): StepLog {
  const log = new StepLog({ env });
  for (const line of lines) log.line(line);
  return log;
}

describe('the local runner reads workflow commands as actions/runner does', () => {
  it('the current form after leading white space, registered names only, properties with a colon', () => {
    expect(parseCommandLine('  ::save-state name=a::b')).toEqual({ command: 'save-state', properties: { name: 'a' }, message: 'b' });
    expect(parseCommandLine('::SAVE-STATE name=a::b')?.command).toBe('save-state');
    expect(parseCommandLine('::not-a-command::x')).toBeUndefined();
    expect(parseCommandLine('x ::save-state name=a::b')).toBeUndefined();
  });

  it('the legacy ##[ form anywhere in a line, with its ; separated properties', () => {
    expect(parseCommandLine('see: ##[save-state name=a;]b%5Dc')).toEqual({ command: 'save-state', properties: { name: 'a' }, message: 'b]c' });
    expect(parseCommandLine('##[group]Title')?.command).toBe('group');
    expect(parseCommandLine('##[unknown]x')).toBeUndefined();
  });

  it('save-state and set-output are obeyed with GitHub deprecation warning', () => {
    const log = read(['::save-state name=k::v', '::set-output name=o::1']);
    expect(log.legacyState).toEqual({ k: 'v' });
    expect(log.legacyOutputs).toEqual({ o: '1' });
    expect(log.annotations.map((a) => a.message)).toEqual([
      expect.stringMatching(/^The `save-state` command is deprecated and will be disabled soon/),
      expect.stringMatching(/^The `set-output` command is deprecated and will be disabled soon/),
    ]);
    expect(log.commandFailures).toEqual([]);
  });

  it('set-env and add-path fail the step unless ACTIONS_ALLOW_UNSECURE_COMMANDS=true', () => {
    const refused = read(['::set-env name=A::1', '::add-path::/opt/x']);
    expect(refused.legacyEnv).toEqual({});
    expect(refused.legacyPath).toEqual([]);
    expect(refused.commandFailures).toEqual([
      expect.stringMatching(/^The `set-env` command is disabled/),
      expect.stringMatching(/^The `add-path` command is disabled/),
    ]);
    expect(refused.text).toContain("Error: Unable to process command '::set-env name=A::1' successfully.");
    const allowed = read(['::set-env name=A::1', '::set-env name=NODE_OPTIONS::--require evil', '::add-path::/opt/x'], {
      ACTIONS_ALLOW_UNSECURE_COMMANDS: 'true',
    });
    expect(allowed.legacyEnv).toEqual({ A: '1' });
    expect(allowed.legacyPath).toEqual(['/opt/x']);
    expect(allowed.annotations.some((a) => a.level === 'error' && /NODE_OPTIONS/.test(a.message))).toBe(true);
  });

  it('stop-commands: nothing is obeyed until the token, in either form; unsafe tokens are refused', () => {
    const log = read(['::stop-commands::tok-123', '::save-state name=k::v', '##[save-state name=j;]w', '::tok-123::', '::save-state name=after::x']);
    expect(log.legacyState).toEqual({ after: 'x' });
    expect(log.text).toContain('::save-state name=k::v');
    const unsafe = read(['::stop-commands::save-state', '::save-state name=k::v']);
    expect(unsafe.commandFailures).toEqual([expect.stringMatching(/You cannot use a endToken/)]);
    expect(unsafe.legacyState).toEqual({ k: 'v' });
    expect(read(['::stop-commands::', '::save-state name=k::v']).commandFailures).toHaveLength(1);
  });

  it('add-mask of an empty value is a warning; echo on shows commands', () => {
    expect(read(['::add-mask::  ']).annotations[0]?.message).toMatch(/Can't add secret mask for empty string/);
    const echoed = read(['::echo::on', '::group::G', '::save-state name=a::b']);
    expect(echoed.text).toContain('::save-state name=a::b');
  });
});

describe('neutraliseLogText: outside text never becomes a command', () => {
  const nasty = [
    '::save-state name=x::y',
    '   ::add-mask::secret',
    'a\n::set-output name=o::1',
    'a\r::error::forged',
    'a\r\n::stop-commands::t',
    'a\u2028::warning::x',
    'x ##[save-state name=x;]y',
    '##[add-path]/tmp/evil',
    '\t::group::x',
  ];
  it.each(nasty)('%j is one line the runner does not obey', (text) => {
    const safe = neutraliseLogText(text);
    expect(safe).not.toMatch(/[\r\n\u2028\u2029\u0085]/);
    expect(parseCommandLine(safe)).toBeUndefined();
    const log = read([safe]);
    expect(log.legacyState).toEqual({});
    expect(log.annotations).toEqual([]);
  });
  it('leaves ordinary text alone', () => {
    expect(neutraliseLogText('reports/unit.xml: 3 tests (a::b)')).toBe('reports/unit.xml: 3 tests (a::b)');
  });
});
