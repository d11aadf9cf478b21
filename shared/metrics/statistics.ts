/** The two statistics the report uses, defined so a person can redo them by hand. */

/** The middle value; with an even count, the mean of the two middle values. Undefined for none. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1]! + s[mid]!) / 2;
}

/** The nearest-rank percentile: the value at rank ⌈p/100 · n⌉ of the sorted values (p90 of 10 values is the 9th). */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(1, Math.ceil((p / 100) * s.length)) - 1];
}

/** A share 0–1, undefined when there is nothing to share. */
export function share(part: number, whole: number): number | undefined {
  return whole === 0 ? undefined : part / whole;
}
