import { type Dirent, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Where in the repository a failed test points, for an annotation GitHub can place on a line.
 *
 * Reports rarely say it plainly: pytest and jest-junit write a `file` attribute (pytest's `line`
 * is zero-based), the JVM tools only leave `Foo.java:27` in a stack frame with the package in
 * the class name, Go leaves `ledger_test.go:21` with the package path as classname, and paths
 * are often absolute on another machine (`/home/runner/work/…`, `/app/…` inside a container).
 * Every candidate is therefore checked against the files that really exist in the workspace,
 * and the one closest to the test itself wins over frames deep inside the code under test.
 */

export interface SourceLocation {
  /** Relative to the workspace, with forward slashes. */
  file: string;
  line?: number;
}

export interface LocatableTest {
  suite: string;
  classname: string;
  file?: string;
  line?: number;
  details: string;
}

interface Candidate {
  path: string;
  line: number;
  /** Directory segments the file should sit under (a Java package, a Go import path). */
  hint: string[];
  /** The frame's class, for JVM frames. */
  className?: string;
}

/*
 * Traces are whatever a test printed, so every pattern here runs in time linear in the trace: the
 * matches are found by their fixed tails (`(Foo.java:12)`, `:12`), and what comes before is read
 * backwards from there, at most MAX_TOKEN characters. (One regex per frame shape, as before, took
 * seconds on a 4,000-character trace of `at a.a.a…`: its backtracking was quadratic.)
 */
const MAX_TOKEN = 1_024;
/** A JVM frame's tail: `(Foo.java:12)`; the `at [loader//][module/]pkg.Class.method` before it is read backwards. */
const JVM_FRAME_TAIL = /\(([\w$-]+\.(?:java|kt|kts|scala|groovy)):(\d+)\)/g;
/** What `[loader//][module@version/]pkg.Class$Inner.method<init>` is made of. */
const FRAME_NAME_CHAR = /[\w.$@/<>-]/;
const PYTHON_FRAME = /File "([^"]+)", line (\d+)/g;
/** A `:LINE` after something shaped like path/to/file.ext, e.g. `❯ src/price.test.ts:9:24`, `ledger_test.go:21:`,
 * `(/home/runner/work/shop/shop/web/src/cart.test.js:14:32)`, `tests/test_invoice.py:15: AssertionError`. */
const LINE_SUFFIX = /:(\d+)\b/g;
const PATH_CHAR = /[\w.@+~\-/\\]/;
const FILE_PATH = /^(?:[A-Za-z]:)?[\w.@+~\-/\\]*[\w-]\.[A-Za-z]\w{0,5}$/;
const IGNORED_PATH =
  /(^|[/\\])(node_modules|site-packages|dist-packages|\.venv|venv|\.gradle|\.m2)([/\\]|$)|^node:|^internal[/\\]|^<|\/usr\/(local\/)?(lib|go)\//;
const TEST_FILE = /(^|[/\\])(test_[^/\\]*|[^/\\]*(_test|Test|Tests|IT|Spec|_spec)\.[^/\\]+|[^/\\]*\.(test|spec)\.[^/\\]+)$/;

function packageSegments(qualified: string): string[] {
  const segments = qualified.split(/[./]/);
  // Packages are lower case by convention; the first capitalised segment is the class.
  const end = segments.findIndex((s) => /^[A-Z]/.test(s));
  return end === -1 ? segments.slice(0, -1) : segments.slice(0, end);
}

/** `at [loader//][module@version/]pkg.Class.method(File.java:LINE)` frames, found by their tails. */
function* jvmFrames(text: string): Generator<{ className: string; file: string; line: number }> {
  for (const m of text.matchAll(JVM_FRAME_TAIL)) {
    const open = m.index;
    let start = open;
    while (start > 0 && open - start < MAX_TOKEN && FRAME_NAME_CHAR.test(text[start - 1]!)) start--;
    // The frame's name must follow `at` and white space, as in a JVM trace.
    if (!/(?:^|\W)at\s+$/.test(text.slice(Math.max(0, start - 64), start))) continue;
    const qualified = text
      .slice(start, open)
      .replace(/^[\w.$-]+\/\//, '')
      .replace(/^[\w.@$-]+\//, '');
    const dot = qualified.lastIndexOf('.');
    const className = qualified.slice(0, dot);
    if (dot <= 0 || !/^[\w.$]+$/.test(className) || !/^[\w$<>-]+$/.test(qualified.slice(dot + 1))) continue;
    yield { className, file: m[1]!, line: Number(m[2]) };
  }
}

/** `path/to/file.ext:LINE` anywhere, with an optional `file://` or drive letter before the path. */
function* pathLines(text: string): Generator<{ path: string; line: number }> {
  let consumed = 0;
  for (const m of text.matchAll(LINE_SUFFIX)) {
    const colon = m.index;
    let start = colon;
    while (start > consumed && colon - start < MAX_TOKEN && PATH_CHAR.test(text[start - 1]!)) start--;
    // A Windows drive (`C:\…`) belongs to the path; `file://` does not.
    if (start >= consumed + 2 && text[start - 1] === ':' && /[A-Za-z]/.test(text[start - 2]!) && !PATH_CHAR.test(text[start - 3] ?? ' ')) start -= 2;
    let candidate = text.slice(start, colon);
    if (text.slice(Math.max(0, start - 5), start) === 'file:' && candidate.startsWith('//')) candidate = candidate.slice(2);
    if (!FILE_PATH.test(candidate)) continue;
    consumed = colon + m[0].length;
    yield { path: candidate, line: Number(m[1]) };
  }
}

export function stackCandidates(text: string, classname = ''): Candidate[] {
  const found: Candidate[] = [];
  const seen = new Set<string>();
  const add = (c: Candidate) => {
    const key = `${c.path}:${c.line}`;
    if (seen.has(key) || IGNORED_PATH.test(c.path)) return;
    seen.add(key);
    found.push(c);
  };
  for (const frame of jvmFrames(text)) {
    const pkg = packageSegments(frame.className);
    add({ path: [...pkg, frame.file].join('/'), line: frame.line, hint: pkg, className: frame.className });
  }
  for (const m of text.matchAll(PYTHON_FRAME)) add({ path: m[1]!, line: Number(m[2]), hint: [] });
  // Go's classname is the import path; its last segments name the directory.
  const goHint = classname.includes('/') ? classname.split('/') : [];
  for (const { path: p, line } of pathLines(text)) {
    if (/\.(java|kt|kts|scala|groovy)$/.test(p) && !p.includes('/')) continue; // JVM frames above
    add({ path: p, line, hint: goHint });
  }
  return found;
}

/** Finds files by name in the workspace, walking it once and only when first asked. */
export class WorkspaceFiles {
  private byName: Map<string, string[]> | undefined;
  constructor(
    readonly workspace: string,
    private readonly maxFiles = 200_000,
  ) {}

  /** Workspace-relative paths of files named `basename`. */
  named(basename: string): string[] {
    this.byName ??= this.walk();
    return this.byName.get(basename) ?? [];
  }

  private walk(): Map<string, string[]> {
    const index = new Map<string, string[]>();
    const skip = new Set(['.git', 'node_modules', '.gradle', '.venv', 'venv', '__pycache__', '.tox', 'target', 'build', 'dist', '.next', 'coverage']);
    const pending = [''];
    let count = 0;
    while (pending.length > 0 && count < this.maxFiles) {
      const dir = pending.pop()!;
      let entries: Dirent[];
      try {
        entries = readdirSync(path.join(this.workspace, dir), { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        const rel = dir ? `${dir}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          if (!skip.has(entry.name)) pending.push(rel);
        } else if (entry.isFile()) {
          count++;
          const list = index.get(entry.name);
          if (list) list.push(rel);
          else index.set(entry.name, [rel]);
        }
      }
    }
    return index;
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** A path from a report, made relative to the workspace when the file really exists there. */
export function resolveInWorkspace(given: string, workspace: string, workingDirectory: string, files: WorkspaceFiles, hint: string[] = []): string | undefined {
  const p = given.replace(/^file:\/\//, '').replace(/\\/g, '/');
  const inside = (absolute: string) => {
    const rel = path.relative(workspace, absolute);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) && isFile(absolute) ? toPosix(rel) : undefined;
  };
  if (path.isAbsolute(p)) {
    const direct = inside(p);
    if (direct) return direct;
    // Written on another machine or in a container: find the longest tail that exists here.
    const segments = p.split('/').filter(Boolean);
    for (let i = 1; i < segments.length; i++) {
      const tail = segments.slice(i).join('/');
      const found = inside(path.join(workingDirectory, tail)) ?? inside(path.join(workspace, tail));
      if (found) return found;
    }
    return undefined;
  }
  const relative = inside(path.join(workingDirectory, p)) ?? inside(path.join(workspace, p));
  if (relative) return relative;
  // A bare name (Go) or a package path (JVM): look it up, preferring the directory the hint names.
  const basename = p.split('/').pop()!;
  const suffix = p.includes('/') ? `/${p}` : undefined;
  const matches = files.named(basename).filter((f) => !suffix || `/${f}`.endsWith(suffix));
  if (matches.length <= 1) return matches[0];
  const score = (f: string) => {
    const dirs = f.split('/').slice(0, -1);
    let n = 0;
    while (n < hint.length && n < dirs.length && dirs[dirs.length - 1 - n] === hint[hint.length - 1 - n]) n++;
    return n;
  };
  return matches.reduce((best, f) => (score(f) > score(best) ? f : best));
}

/**
 * The best place to annotate for a failed test: a stack frame in the test's own file (the
 * failing line), else a frame in the test's class or in a test-looking file, else any frame in
 * the workspace, else the report's `file`/`line` attributes.
 */
export function locateFailure(test: LocatableTest, workspace: string, workingDirectory: string, files: WorkspaceFiles): SourceLocation | undefined {
  const ownFile = test.file ? resolveInWorkspace(test.file, workspace, workingDirectory, files) : undefined;
  let best: { location: SourceLocation; score: number } | undefined;
  for (const candidate of stackCandidates(test.details, test.classname)) {
    const file = resolveInWorkspace(candidate.path, workspace, workingDirectory, files, candidate.hint);
    if (!file) continue;
    const score =
      file === ownFile
        ? 3
        : candidate.className && (candidate.className === test.classname || candidate.className.startsWith(`${test.classname}$`))
          ? 2
          : TEST_FILE.test(file)
            ? 1
            : 0;
    if (!best || score > best.score) best = { location: { file, line: candidate.line }, score };
    if (score === 3) break;
  }
  if (best) return best.location;
  if (ownFile) {
    // pytest counts lines from zero (its node locations are 0-based); everyone else from one.
    const line = test.line === undefined ? undefined : test.suite === 'pytest' ? test.line + 1 : test.line;
    return { file: ownFile, ...(line !== undefined && line > 0 ? { line } : {}) };
  }
  return undefined;
}
