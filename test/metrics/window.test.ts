import { describe, expect, it } from 'vitest';
import { InputError } from '../../shared/core/errors.js';
import { inWindow, parseWindow, previousWindow } from '../../shared/metrics/window.js';

const NOW = new Date('2026-03-02T12:00:00.000Z');

describe('parseWindow', () => {
  it.each([
    ['30d', 30, '2026-01-31T12:00:00.000Z'],
    ['8w', 56, '2026-01-05T12:00:00.000Z'],
    ['36h', 1.5, '2026-03-01T00:00:00.000Z'],
    [' 7D ', 7, '2026-02-23T12:00:00.000Z'],
  ])('%s is the %d days ending now', (text, days, start) => {
    expect(parseWindow(text, NOW)).toEqual({ text: text.trim().toLowerCase(), days, start, end: NOW.toISOString() });
  });

  it.each(['30x', '0d', '-3d', 'd', '30', '1.5d', '30 days', '', '9999w'])('refuses %j, naming the input, the value and what is expected', (text) => {
    let error: unknown;
    try {
      parseWindow(text, NOW);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('window');
    expect((error as InputError).message).toBe(
      `Input 'window' has an invalid value ${JSON.stringify(text)}: expected a whole number of hours, days or weeks above zero, such as 30d, 8w or 36h (at most 1830 days).`,
    );
  });

  it('names the input it was given under', () => {
    expect(() => parseWindow('30x', NOW, 'compare-window')).toThrow(/^Input 'compare-window'/);
  });
});

describe('previousWindow', () => {
  it('is as long and ends where the window starts', () => {
    const w = parseWindow('30d', NOW);
    const before = previousWindow(w);
    expect(before).toMatchObject({ days: 30, start: '2026-01-01T12:00:00.000Z', end: w.start });
  });

  it('holds its start and not its end (a release at the boundary counts once)', () => {
    const w = parseWindow('1d', NOW);
    const before = previousWindow(w);
    expect(inWindow(w, w.start)).toBe(true);
    expect(inWindow(before, w.start)).toBe(false);
    expect(inWindow(w, w.end)).toBe(false);
  });
});
