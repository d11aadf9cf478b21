import { createReadStream } from 'node:fs';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { UserError } from '../core/errors.js';

/**
 * A streaming reader of JUnit XML as the real tools write it: Maven Surefire and Failsafe (with
 * their `flakyFailure`/`flakyError`/`rerunFailure`/`rerunError` reruns), Gradle, pytest,
 * jest-junit, vitest and go-junit-report, with `testsuites` nested to any depth.
 *
 * The file is read in chunks and each `<testcase>` is handed to the caller as soon as it
 * closes, so a 100,000-test report never sits in memory whole. Text is kept only where it is
 * wanted — inside a failure, an error or a rerun's stack trace — and cut at a limit; the
 * `system-out` and `system-err` of passing tests are dropped as they stream past.
 */

export type TestOutcome = 'passed' | 'failed' | 'error' | 'skipped';

export interface TestProblem {
  /** `failure` (an assertion) or `error` (an unexpected exception). */
  kind: 'failure' | 'error';
  type?: string;
  message: string;
  /** The element's text: usually the stack trace, truncated. */
  details: string;
}

export interface ParsedTestCase {
  /** The innermost enclosing `<testsuite>`'s name. */
  suite: string;
  /** Which `<testsuite>` element of its report holds it (1, 2, … in document order; 0 for
   * none): two suites may share a name, and retries are folded only inside one element. */
  suiteIndex: number;
  classname: string;
  name: string;
  /** Seconds, as the report says. */
  time: number;
  outcome: TestOutcome;
  /** Why it failed, errored or was skipped (skips carry only a message). */
  problem?: TestProblem;
  skipMessage?: string;
  /** Earlier attempts that failed before this (Surefire `flakyFailure`/`flakyError`). */
  flakyAttempts: TestProblem[];
  /** Further attempts that failed too (Surefire `rerunFailure`/`rerunError`). */
  rerunAttempts: number;
  /** The tool marked it `flaky="true"` (Firebase Test Lab, Android): it passed on a retry. */
  markedFlaky: boolean;
  /** `file`/`line` attributes, as written (pytest, jest-junit with addFileAttribute, …). */
  file?: string;
  line?: number;
  /** The report this came from. */
  reportFile: string;
}

export class MalformedReportError extends UserError {
  override name = 'MalformedReportError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`Malformed JUnit XML in ${file} at line ${line}, column ${column}: ${reason}`);
  }
}

export interface ParseOptions {
  /** Characters of failure text kept per test (default 4,000). */
  maxDetails?: number;
  /** Characters of a failure message kept (default 1,000). */
  maxMessage?: number;
  /** How the file is named in errors (default: the path given). */
  displayName?: string;
  /** Bytes per read (default 256 KiB). */
  chunkSize?: number;
  /** Called when a `<testsuite>` element closes, with its index (ParsedTestCase.suiteIndex). */
  onSuiteEnd?: (suiteIndex: number) => void;
}

export interface ParsedReport {
  /** False when the root element is not JUnit's (e.g. Failsafe's `failsafe-summary.xml`). */
  isJUnit: boolean;
  rootElement: string;
  testCases: number;
}

const PROBLEM_ELEMENTS: Record<string, { role: 'main' | 'flaky' | 'rerun'; kind: 'failure' | 'error' }> = {
  failure: { role: 'main', kind: 'failure' },
  error: { role: 'main', kind: 'error' },
  flakyFailure: { role: 'flaky', kind: 'failure' },
  flakyError: { role: 'flaky', kind: 'error' },
  rerunFailure: { role: 'rerun', kind: 'failure' },
  rerunError: { role: 'rerun', kind: 'error' },
};

function seconds(value: string | undefined): number {
  if (!value) return 0;
  // Old Surefire versions wrote times with the JVM locale's grouping separator ("1,234.567").
  const n = Number(value.replace(/,/g, ''));
  return Number.isFinite(n) && n > 0 ? n : 0;
}

function lineNumber(value: string | undefined): number | undefined {
  if (!value || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/** Text capped at a limit while it streams in, so a 50 MB stack trace costs `limit` bytes. */
class CappedText {
  private parts: string[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly limit: number) {}
  add(text: string): void {
    if (this.size >= this.limit) {
      if (text.length > 0) this.truncated = true;
      return;
    }
    const room = this.limit - this.size;
    const piece = text.length > room ? text.slice(0, room) : text;
    if (piece.length < text.length) this.truncated = true;
    this.parts.push(piece);
    this.size += piece.length;
  }
  value(): string {
    const text = this.parts.join('');
    return this.truncated ? `${text}\n… (truncated)` : text;
  }
}

function truncate(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

/** The first non-empty line of a stack trace: what jest-junit and vitest leave out of `message`. */
function firstLine(text: string): string {
  for (const line of text.split('\n', 20)) if (line.trim() !== '') return line.trim();
  return '';
}

/** A `<testcase>` being read: the case so far, plus what only the reader needs. */
interface OpenCase extends Omit<ParsedTestCase, 'reportFile'> {
  /** A `status` attribute that means the test never ran (TestNG, xUnit, NUnit exports). */
  statusSkipped: boolean;
}

/** `status` values that mean the test was not run, whatever the elements inside say. */
const SKIPPED_STATUSES = new Set(['disabled', 'skipped', 'notrun', 'ignored']);

interface OpenProblem {
  role: 'main' | 'flaky' | 'rerun';
  kind: 'failure' | 'error';
  type?: string;
  message?: string;
  text: CappedText;
}

/**
 * Parses one report, calling `onTestCase` for each test case in document order. Throws
 * MalformedReportError naming the file, line and column when the XML is not well-formed.
 */
export async function parseJUnitReport(file: string, onTestCase: (testCase: ParsedTestCase) => void, options: ParseOptions = {}): Promise<ParsedReport> {
  const maxDetails = options.maxDetails ?? 4_000;
  const maxMessage = options.maxMessage ?? 1_000;
  const displayName = options.displayName ?? file;
  // Position tracking costs about 5% of parse time (measured) and makes every error say where.
  const parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });

  let failure: Error | undefined;
  let failedAt = { line: 0, column: 0 };
  /** Set once the whole file has been read: an error then means it ended too early. */
  let closing = false;
  parser.on('error', (error) => {
    if (failure) return;
    failure = error;
    failedAt = { line: parser.line, column: parser.column };
  });

  let rootElement = '';
  let isJUnit = true;
  let count = 0;
  const suites: { name: string; index: number }[] = [];
  let suitesSeen = 0;
  let current: OpenCase | undefined;
  let problem: OpenProblem | undefined;
  /** Depth of elements inside the open problem: Surefire nests a rerun's trace in <stackTrace>
   * beside its <system-out>, and only the trace counts. */
  let depthInProblem = 0;
  let inStackTrace = false;
  let skipped: { text: CappedText; message?: string } | undefined;

  parser.on('opentag', (tag: SaxesTagPlain) => {
    const { name, attributes: a } = tag;
    if (rootElement === '') {
      rootElement = name;
      if (name !== 'testsuites' && name !== 'testsuite') isJUnit = false;
    }
    if (!isJUnit) return;
    if (problem) {
      depthInProblem++;
      if (depthInProblem === 1 && name === 'stackTrace') inStackTrace = true;
      return;
    }
    switch (name) {
      case 'testsuite':
        suites.push({ name: a.name ?? '', index: ++suitesSeen });
        return;
      case 'testcase': {
        const line = lineNumber(a.line);
        const suite = suites[suites.length - 1];
        current = {
          suite: suite?.name ?? '',
          suiteIndex: suite?.index ?? 0,
          classname: a.classname ?? a.class ?? '',
          name: a.name ?? '',
          time: seconds(a.time),
          ...(a.file ? { file: a.file } : {}),
          ...(line !== undefined ? { line } : {}),
          outcome: 'passed',
          flakyAttempts: [],
          rerunAttempts: 0,
          markedFlaky: a.flaky === 'true',
          statusSkipped: a.status !== undefined && SKIPPED_STATUSES.has(a.status.toLowerCase()),
        };
        return;
      }
      case 'skipped':
        if (current) {
          current.outcome = current.outcome === 'passed' ? 'skipped' : current.outcome;
          skipped = { text: new CappedText(maxMessage), ...(a.message ? { message: a.message } : {}) };
          listen(true);
        }
        return;
    }
    const spec = PROBLEM_ELEMENTS[name];
    if (spec && current) {
      problem = {
        role: spec.role,
        kind: spec.kind,
        ...(a.type ? { type: a.type } : {}),
        ...(a.message !== undefined ? { message: a.message } : {}),
        text: new CappedText(maxDetails),
      };
      listen(true);
      depthInProblem = 0;
      inStackTrace = false;
    }
  });

  const onText = (text: string) => {
    if (problem) {
      // Directly inside <failure>/<error> (Surefire, Gradle, pytest, jest…), or inside a rerun's
      // <stackTrace>; never a rerun's <system-out>.
      if (depthInProblem === 0 || inStackTrace) problem.text.add(text);
    } else if (skipped) {
      skipped.text.add(text);
    }
  };
  // saxes gathers character data only while a handler is set, so one is set only inside the
  // elements whose text is kept: the whitespace between tags and the (non-CDATA) output of
  // every passing test then streams past without ever being put together.
  const listen = (on: boolean) => {
    if (on) {
      parser.on('text', onText);
      parser.on('cdata', onText);
    } else {
      parser.off('text');
      parser.off('cdata');
    }
  };

  parser.on('closetag', (tag: SaxesTagPlain) => {
    if (!isJUnit) return;
    const { name } = tag;
    if (problem) {
      if (depthInProblem > 0) {
        if (depthInProblem === 1 && name === 'stackTrace') inStackTrace = false;
        depthInProblem--;
        return;
      }
      const details = problem.text
        .value()
        .replace(/^\s*\n/, '')
        .trimEnd();
      const closed: TestProblem = {
        kind: problem.kind,
        ...(problem.type ? { type: problem.type } : {}),
        message: truncate((problem.message ?? '').trim() || firstLine(details), maxMessage),
        details,
      };
      if (current) {
        if (problem.role === 'main') {
          // error outranks failure when a tool writes both; the first of each kind is kept.
          if (!current.problem || (current.problem.kind === 'failure' && closed.kind === 'error')) current.problem = closed;
          current.outcome = current.problem.kind === 'error' ? 'error' : 'failed';
        } else if (problem.role === 'flaky') {
          current.flakyAttempts.push(closed);
        } else {
          current.rerunAttempts++;
          // A rerun failure with no <failure> of its own still means the test never passed.
          if (!current.problem) {
            current.problem = closed;
            current.outcome = closed.kind === 'error' ? 'error' : 'failed';
          }
        }
      }
      problem = undefined;
      listen(false);
      return;
    }
    switch (name) {
      case 'skipped':
        if (current && skipped) {
          // go-junit-report writes message="Skipped" and the reason (t.Skip's text) as the body.
          const text = firstLine(skipped.text.value());
          const attribute = (skipped.message ?? '').trim();
          const message = attribute && text && !attribute.includes(text) ? `${attribute}: ${text}` : attribute || text;
          if (message) current.skipMessage = truncate(message, maxMessage);
        }
        skipped = undefined;
        listen(false);
        return;
      case 'testsuite': {
        const closed = suites.pop();
        if (closed && options.onSuiteEnd) options.onSuiteEnd(closed.index);
        return;
      }
      case 'testcase':
        if (current) {
          count++;
          const c = current;
          current = undefined;
          // The counting rule, first match wins: flaky="true" passed (on a retry); a `status`
          // of not run is skipped; then failure, error, skipped, passed from the elements.
          const outcome: TestOutcome = c.markedFlaky ? 'passed' : c.statusSkipped ? 'skipped' : c.outcome;
          // A flaky="true" case's own <failure> elements are its failed attempts.
          const flakyAttempts = c.markedFlaky && c.problem ? [c.problem, ...c.flakyAttempts] : c.flakyAttempts;
          onTestCase({
            suite: c.suite,
            suiteIndex: c.suiteIndex,
            classname: c.classname,
            name: c.name,
            time: c.time,
            outcome,
            ...(c.problem && outcome !== 'passed' && outcome !== 'skipped' ? { problem: c.problem } : {}),
            ...(c.skipMessage ? { skipMessage: c.skipMessage } : {}),
            flakyAttempts,
            rerunAttempts: outcome === 'passed' || outcome === 'skipped' ? 0 : c.rerunAttempts,
            markedFlaky: c.markedFlaky,
            ...(c.file !== undefined ? { file: c.file } : {}),
            ...(c.line !== undefined ? { line: c.line } : {}),
            reportFile: file,
          });
        }
        return;
    }
  });

  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: options.chunkSize ?? 256 * 1024 });
  let first = true;
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      // A byte-order mark is legal before the declaration, but saxes counts it as text.
      parser.write(first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk);
      first = false;
      if (failure) break;
    }
    if (!failure) {
      closing = true;
      parser.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      throw new UserError(`Cannot read the report ${displayName}: ${(error as Error).message}`);
    }
    failure ??= error as Error;
  } finally {
    stream.destroy();
  }
  if (failure) {
    let reason = failure.message.replace(/^\d+:\d+: /, '');
    // The commonest broken report: a test JVM or runner killed while it was writing.
    const unclosed = closing ? /^unclosed tag: (.+)$/.exec(reason) : null;
    if (unclosed) reason = `the file ends inside <${unclosed[1]}>: it is truncated (was the test process killed while writing it?)`;
    // saxes's 0-based column of the next character is the 1-based column of the character that
    // revealed the error, which is where editors should jump.
    throw new MalformedReportError(displayName, failedAt.line, Math.max(1, failedAt.column), reason);
  }
  return { isJUnit, rootElement, testCases: count };
}
