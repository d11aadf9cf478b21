import { InputError } from '../core/errors.js';

/**
 * The `shard` input, `K/N`. Apart from the split (shard.ts) so that reading the inputs loads no
 * report parser: a bad input fails as fast as the bundle starts.
 */

export interface ShardSpec {
  /** 1-based. */
  index: number;
  total: number;
}

/** `K/N` with 1 ≤ K ≤ N. */
export function parseShard(given: string, input = 'shard'): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(given);
  const expected = 'K/N with whole numbers 1 ≤ K ≤ N, e.g. 2/4';
  if (!m) throw new InputError(input, given, expected);
  const index = Number(m[1]);
  const total = Number(m[2]);
  if (total < 1 || index < 1 || index > total) throw new InputError(input, given, expected);
  return { index, total };
}
