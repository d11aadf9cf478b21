/**
 * `strategy.matrix` expanded as GitHub expands it: the cartesian product of the matrix's lists in
 * key order, `exclude` entries removing every combination they partly match, then each `include`
 * entry added to every combination whose original values it does not overwrite, or appended as a
 * combination of its own when it fits none. Job names follow GitHub: a job without `name:` (or
 * whose name uses no expression) is shown as `id (value, value…)`.
 */
import type { ContextValue } from './expressions.js';

export type MatrixCombination = Record<string, ContextValue>;

export interface Strategy {
  combinations: MatrixCombination[];
  failFast: boolean;
  /** 0: no limit. */
  maxParallel: number;
}

/** Thrown for a strategy GitHub would reject when the run starts. */
export class MatrixError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MatrixError';
  }
}

/** GitHub's limit on the jobs one matrix may generate. */
export const MAX_MATRIX_JOBS = 256;

function isRecord(value: ContextValue): value is Record<string, ContextValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameValue(a: ContextValue, b: ContextValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The evaluated `strategy:` mapping of a job as its combinations, fail-fast and max-parallel. */
export function expandStrategy(jobId: string, strategy: ContextValue): Strategy {
  if (!isRecord(strategy)) throw new MatrixError(`job '${jobId}': strategy must be a mapping`);
  const failFast =
    strategy['fail-fast'] === undefined || strategy['fail-fast'] === null ? true : strategy['fail-fast'] !== false && strategy['fail-fast'] !== 'false';
  const maxParallelValue = strategy['max-parallel'];
  const maxParallel = maxParallelValue === undefined || maxParallelValue === null ? 0 : Number(maxParallelValue);
  if (!Number.isInteger(maxParallel) || maxParallel < 0)
    throw new MatrixError(`job '${jobId}': strategy.max-parallel must be a positive whole number, got ${JSON.stringify(maxParallelValue)}`);
  const matrix = strategy.matrix;
  if (matrix === undefined || matrix === null) return { combinations: [{}], failFast, maxParallel };
  if (!isRecord(matrix)) throw new MatrixError(`job '${jobId}': strategy.matrix must be a mapping (or an expression giving one)`);
  const include = matrix.include ?? [];
  const exclude = matrix.exclude ?? [];
  if (!Array.isArray(include) || !include.every(isRecord)) throw new MatrixError(`job '${jobId}': matrix.include must be a list of mappings`);
  if (!Array.isArray(exclude) || !exclude.every(isRecord)) throw new MatrixError(`job '${jobId}': matrix.exclude must be a list of mappings`);
  const keys = Object.keys(matrix).filter((k) => k !== 'include' && k !== 'exclude');
  let combinations: MatrixCombination[] = [{}];
  for (const key of keys) {
    const values = matrix[key];
    if (!Array.isArray(values) || values.length === 0)
      throw new MatrixError(`job '${jobId}': matrix.${key} must be a non-empty list, got ${JSON.stringify(values)}`);
    combinations = combinations.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  }
  if (keys.length === 0) combinations = [];
  for (const entry of exclude) {
    for (const k of Object.keys(entry))
      if (!keys.includes(k)) throw new MatrixError(`job '${jobId}': matrix.exclude names '${k}', which is not a matrix key (${keys.join(', ') || 'none'})`);
    combinations = combinations.filter((c) => !Object.entries(entry).every(([k, v]) => matchesPartly(c[k], v)));
  }
  // include: extend every original combination it does not contradict; otherwise its own job.
  const originals = combinations.map((c) => ({ original: { ...c }, value: c }));
  const added: MatrixCombination[] = [];
  for (const entry of include) {
    let fitted = false;
    for (const o of originals) {
      const overwritesOriginal = Object.entries(entry).some(([k, v]) => k in o.original && !sameValue(o.original[k], v));
      if (overwritesOriginal) continue;
      Object.assign(o.value, entry);
      fitted = true;
    }
    if (!fitted) added.push({ ...entry });
  }
  combinations = [...originals.map((o) => o.value), ...added];
  if (combinations.length === 0) throw new MatrixError(`job '${jobId}': the matrix has no combination left (every one was excluded)`);
  if (combinations.length > MAX_MATRIX_JOBS)
    throw new MatrixError(`job '${jobId}': the matrix makes ${combinations.length} jobs; GitHub allows at most ${MAX_MATRIX_JOBS}`);
  return { combinations, failFast, maxParallel };
}

/** An exclude value matches when it equals the combination's, or (for objects) all its keys do. */
function matchesPartly(actual: ContextValue, wanted: ContextValue): boolean {
  if (isRecord(wanted) && isRecord(actual)) return Object.entries(wanted).every(([k, v]) => matchesPartly(actual[k], v));
  return sameValue(actual, wanted);
}

/** How GitHub names one job of a matrix: `id (a, b)` from the combination's values, in order. */
export function matrixJobName(base: string, combination: MatrixCombination, nameUsesExpression: boolean): string {
  const values = Object.values(combination);
  if (nameUsesExpression || values.length === 0) return base;
  return `${base} (${values.map(displayValue).join(', ')})`;
}

function displayValue(value: ContextValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
