import path from 'node:path';

/**
 * Seconds per test file, added up from the test cases of a run, so the next run can split the
 * suite by them (shard.ts). A case belongs to its `file` attribute (pytest, jest-junit, vitest;
 * relative paths are relative to where the tests ran) or, without one, to the test file whose
 * path ends with its classname as a path (Surefire: `com.acme.FooTest` →
 * `…/com/acme/FooTest.java`); with no test file list, the classname itself is the key, and
 * resolved the same way when the timings are read.
 *
 * Within one run a file's cases add up: its time is what running it costs, wherever its cases
 * were reported (one `<testsuite>` per class or per `describe`, several XML files).
 */

/** A path as the split compares it: relative to the workspace, forward slashes, no `./`. */
export function normalizeTestPath(file: string, workspace: string, base = workspace): string {
  const rel = path.relative(workspace, path.resolve(base, file));
  return path.posix.normalize(rel.split(path.sep).join('/')).replace(/^\.\//, '');
}

/** Finds a suite's test file by a classname (`com.acme.FooTest`), or by the path itself. */
export class TestFileIndex {
  private readonly byKey = new Map<string, string>();

  constructor(testFiles: readonly string[]) {
    for (const file of testFiles) {
      this.byKey.set(file, file);
      const parts = file.replace(/\.[^/.]+$/, '').split('/');
      // Every tail of the path as a dotted name: `src/test/java/com/acme/FooTest.java` answers
      // `com.acme.FooTest` and `FooTest`; the first file (sorted by the caller) keeps a name.
      for (let i = 0; i < parts.length; i++) {
        const key = parts.slice(i).join('.');
        if (!this.byKey.has(key)) this.byKey.set(key, file);
      }
    }
  }

  find(key: string): string | undefined {
    return this.byKey.get(key);
  }
}

export interface TimedCase {
  classname: string;
  file?: string;
  time: number;
}

export class FileTimings {
  private readonly seconds = new Map<string, number>();
  private readonly tests = new Map<string, number>();

  constructor(
    private readonly index: TestFileIndex,
    private readonly workspace: string,
    /** Where the tests ran: relative `file` attributes start here. */
    private readonly base: string,
  ) {}

  add(testCase: TimedCase): void {
    const key = testCase.file ? normalizeTestPath(testCase.file, this.workspace, this.base) : (this.index.find(testCase.classname) ?? testCase.classname);
    if (!key) return;
    const time = Number.isFinite(testCase.time) && testCase.time > 0 ? testCase.time : 0;
    this.seconds.set(key, (this.seconds.get(key) ?? 0) + time);
    this.tests.set(key, (this.tests.get(key) ?? 0) + 1);
  }

  get size(): number {
    return this.seconds.size;
  }

  /** Sorted by path, seconds to the millisecond: the same run gives the same JSON. */
  toRecord(): Record<string, number> {
    const keys = [...this.seconds.keys()].sort();
    return Object.fromEntries(keys.map((k) => [k, Math.round((this.seconds.get(k) ?? 0) * 1_000) / 1_000]));
  }

  /** Test cases per file, sorted by path: what a later run tells removed tests by. */
  testsRecord(): Record<string, number> {
    return Object.fromEntries([...this.tests.keys()].sort().map((k) => [k, this.tests.get(k) ?? 0]));
  }

  toMap(): Map<string, number> {
    return new Map(Object.entries(this.toRecord()));
  }
}
