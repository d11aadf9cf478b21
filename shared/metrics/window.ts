/**
 * The window the metrics cover, from the `window` input's text: a whole number of hours, days or
 * weeks ending now (`30d`, `8w`, `36h`), and the window of the same length just before it, which
 * the report compares against.
 */
import { InputError } from '../core/errors.js';
import type { MetricsWindow } from './model.js';

const HOUR_MS = 3_600_000;
const UNIT_HOURS = { h: 1, d: 24, w: 24 * 7 } as const;
/** Five years: more than any team keeps deployments for, and few enough to page through. */
const MAX_DAYS = 5 * 366;
export const WINDOW_EXPECTED = `a whole number of hours, days or weeks above zero, such as 30d, 8w or 36h (at most ${MAX_DAYS} days)`;

/** `30d` → the 30 days ending at `now`; anything else throws an InputError naming `input`. */
export function parseWindow(text: string, now: Date, input = 'window'): MetricsWindow {
  const m = /^\s*(\d{1,6})\s*([hdw])\s*$/i.exec(text);
  const unit = m?.[2]?.toLowerCase() as keyof typeof UNIT_HOURS | undefined;
  const count = m ? Number(m[1]) : 0;
  if (!m || !unit || count <= 0) throw new InputError(input, text, WINDOW_EXPECTED);
  const hours = count * UNIT_HOURS[unit];
  if (hours > MAX_DAYS * 24) throw new InputError(input, text, WINDOW_EXPECTED);
  if (Number.isNaN(now.getTime())) throw new Error(`parseWindow: now is not a time (${String(now)})`);
  return { text: `${count}${unit}`, days: hours / 24, start: new Date(now.getTime() - hours * HOUR_MS).toISOString(), end: now.toISOString() };
}

/** The window of the same length that ends where `w` starts. */
export function previousWindow(w: MetricsWindow): MetricsWindow {
  const start = Date.parse(w.start);
  const length = Date.parse(w.end) - start;
  return { text: `${w.text} before`, days: w.days, start: new Date(start - length).toISOString(), end: w.start };
}

/** Whether an ISO time lies in [start, end). */
export function inWindow(w: MetricsWindow, iso: string): boolean {
  const t = Date.parse(iso);
  return t >= Date.parse(w.start) && t < Date.parse(w.end);
}
