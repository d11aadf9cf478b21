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
  /** Characters kept of a test's name, class, suite, file and a failure's type (default 2,000). */
  maxAttribute?: number;
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

/** The longest an element's start tag (its name and attributes) may be while it streams in. */
export const MAX_START_TAG_CHARS = 1024 * 1024;

/**
 * Parses one report, calling `onTestCase` for each test case in document order. Throws
 * MalformedReportError naming the file, line and column when the XML is not well-formed, or when
 * one element's attributes run past MAX_START_TAG_CHARS (a report is outside input: a 2 GB
 * attribute must not take the runner's memory). Attribute values kept are cut at `maxAttribute`.
 */
export async function parseJUnitReport(file: string, onTestCase: (testCase: ParsedTestCase) => void, options: ParseOptions = {}): Promise<ParsedReport> {
  const displayName = options.displayName ?? file;
  const reader = new JUnitReader(file, onTestCase, options);
  const failure = await reader.readFile(displayName, options.chunkSize ?? 256 * 1024);
  if (failure) throw malformed(displayName, failure);
  return { isJUnit: reader.isJUnit, rootElement: reader.rootElement, testCases: reader.count };
}

interface ParseFailure {
  error: Error;
  line: number;
  column: number;
  /** The whole file had been read: an error then means it ended too early. */
  atEnd: boolean;
}

function malformed(displayName: string, failure: ParseFailure): MalformedReportError {
  let reason = failure.error.message.replace(/^\d+:\d+: /, '');
  // The commonest broken report: a test JVM or runner killed while it was writing.
  const unclosed = failure.atEnd ? /^unclosed tag: (.+)$/.exec(reason) : null;
  if (unclosed) reason = `the file ends inside <${unclosed[1]}>: it is truncated (was the test process killed while writing it?)`;
  // saxes's 0-based column of the next character is the 1-based column of the character that
  // revealed the error, which is where editors should jump.
  return new MalformedReportError(displayName, failure.line, Math.max(1, failure.column), reason);
}

/**
 * One report being read: the SAX parser, where it is in the document (suites, the open test
 * case, the open failure or skip) and what it has counted. Each event has its own method.
 */
class JUnitReader {
  rootElement = '';
  isJUnit = true;
  count = 0;
  // Position tracking costs about 5% of parse time (measured) and makes every error say where.
  private readonly parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  private readonly maxDetails: number;
  private readonly maxMessage: number;
  private readonly maxAttribute: number;
  private failure: ParseFailure | undefined;
  private readonly suites: { name: string; index: number }[] = [];
  private suitesSeen = 0;
  private current: OpenCase | undefined;
  private problem: OpenProblem | undefined;
  /** Depth of elements inside the open problem: Surefire nests a rerun's trace in <stackTrace>
   * beside its <system-out>, and only the trace counts. */
  private depthInProblem = 0;
  private inStackTrace = false;
  private skipped: { text: CappedText; message?: string } | undefined;
  /** Where the start tag being read began (saxes's position), until its `>`. */
  private startTagAt: number | undefined;
  private readonly onText = (text: string) => {
    if (this.problem) {
      // Directly inside <failure>/<error> (Surefire, Gradle, pytest, jest…), or inside a rerun's
      // <stackTrace>; never a rerun's <system-out>.
      if (this.depthInProblem === 0 || this.inStackTrace) this.problem.text.add(text);
    } else if (this.skipped) {
      this.skipped.text.add(text);
    }
  };

  constructor(
    private readonly file: string,
    private readonly onTestCase: (testCase: ParsedTestCase) => void,
    private readonly options: ParseOptions,
  ) {
    this.maxDetails = options.maxDetails ?? 4_000;
    this.maxMessage = options.maxMessage ?? 1_000;
    this.maxAttribute = options.maxAttribute ?? 2_000;
    this.parser.on('error', (error) => this.fail(error, false));
    this.parser.on('opentagstart', () => {
      this.startTagAt = this.parser.position;
    });
    this.parser.on('opentag', (tag) => {
      this.startTagAt = undefined;
      this.openTag(tag);
    });
    this.parser.on('closetag', (tag) => this.closeTag(tag));
  }

  private fail(error: Error, atEnd: boolean): void {
    this.failure ??= { error, line: this.parser.line, column: this.parser.column, atEnd };
  }

  /** Feeds the file to the parser in chunks; the first failure, if any. */
  async readFile(displayName: string, chunkSize: number): Promise<ParseFailure | undefined> {
    const stream = createReadStream(this.file, { encoding: 'utf8', highWaterMark: chunkSize });
    let first = true;
    try {
      for await (const chunk of stream as AsyncIterable<string>) {
        // A byte-order mark is legal before the declaration, but saxes counts it as text.
        this.parser.write(first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk);
        first = false;
        if (this.startTagAt !== undefined && this.parser.position - this.startTagAt > MAX_START_TAG_CHARS)
          this.fail(new Error(`an element's attributes run past ${MAX_START_TAG_CHARS} characters; not reading further`), false);
        if (this.failure) break;
      }
      if (!this.failure) {
        // Errors from here on are the file ending too early.
        this.parser.on('error', (error) => this.fail(error, true));
        this.parser.close();
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
        throw new UserError(`Cannot read the report ${displayName}: ${(error as Error).message}`);
      }
      this.fail(error as Error, false);
    } finally {
      stream.destroy();
    }
    return this.failure;
  }

  /** An attribute's value as kept: cut at maxAttribute characters. */
  private attribute(value: string | undefined): string | undefined {
    return value === undefined ? undefined : truncate(value, this.maxAttribute);
  }

  // saxes gathers character data only while a handler is set, so one is set only inside the
  // elements whose text is kept: the whitespace between tags and the (non-CDATA) output of
  // every passing test then streams past without ever being put together.
  private listen(on: boolean): void {
    if (on) {
      this.parser.on('text', this.onText);
      this.parser.on('cdata', this.onText);
    } else {
      this.parser.off('text');
      this.parser.off('cdata');
    }
  }

  private openTag({ name, attributes: a }: SaxesTagPlain): void {
    if (this.rootElement === '') {
      this.rootElement = truncate(name, 100);
      if (name !== 'testsuites' && name !== 'testsuite') this.isJUnit = false;
    }
    if (!this.isJUnit) return;
    if (this.problem) {
      this.depthInProblem++;
      if (this.depthInProblem === 1 && name === 'stackTrace') this.inStackTrace = true;
      return;
    }
    switch (name) {
      case 'testsuite':
        this.suites.push({ name: this.attribute(a.name) ?? '', index: ++this.suitesSeen });
        return;
      case 'testcase':
        this.current = this.openCase(a);
        return;
      case 'skipped':
        if (this.current) {
          this.current.outcome = this.current.outcome === 'passed' ? 'skipped' : this.current.outcome;
          this.skipped = { text: new CappedText(this.maxMessage), ...(a.message ? { message: truncate(a.message, this.maxMessage) } : {}) };
          this.listen(true);
        }
        return;
    }
    const spec = PROBLEM_ELEMENTS[name];
    if (spec && this.current) {
      const type = this.attribute(a.type);
      this.problem = {
        role: spec.role,
        kind: spec.kind,
        ...(type ? { type } : {}),
        // Cut here (with room for trimming) rather than when closed: a 1 MiB message is not kept.
        ...(a.message !== undefined ? { message: a.message.slice(0, this.maxMessage * 2) } : {}),
        text: new CappedText(this.maxDetails),
      };
      this.listen(true);
      this.depthInProblem = 0;
      this.inStackTrace = false;
    }
  }

  private openCase(a: Record<string, string>): OpenCase {
    const line = lineNumber(a.line);
    const suite = this.suites[this.suites.length - 1];
    const file = this.attribute(a.file);
    return {
      suite: suite?.name ?? '',
      suiteIndex: suite?.index ?? 0,
      classname: this.attribute(a.classname ?? a.class) ?? '',
      name: this.attribute(a.name) ?? '',
      time: seconds(a.time),
      ...(file ? { file } : {}),
      ...(line !== undefined ? { line } : {}),
      outcome: 'passed',
      flakyAttempts: [],
      rerunAttempts: 0,
      markedFlaky: a.flaky === 'true',
      statusSkipped: a.status !== undefined && SKIPPED_STATUSES.has(a.status.toLowerCase()),
    };
  }

  private closeTag({ name }: SaxesTagPlain): void {
    if (!this.isJUnit) return;
    if (this.problem) {
      if (this.depthInProblem > 0) {
        if (this.depthInProblem === 1 && name === 'stackTrace') this.inStackTrace = false;
        this.depthInProblem--;
        return;
      }
      this.closeProblem(this.problem);
      this.problem = undefined;
      this.listen(false);
      return;
    }
    switch (name) {
      case 'skipped':
        this.closeSkipped();
        return;
      case 'testsuite': {
        const closed = this.suites.pop();
        if (closed && this.options.onSuiteEnd) this.options.onSuiteEnd(closed.index);
        return;
      }
      case 'testcase':
        if (this.current) {
          const c = this.current;
          this.current = undefined;
          this.count++;
          this.onTestCase(closedCase(c, this.file));
        }
        return;
    }
  }

  private closeProblem(problem: OpenProblem): void {
    const details = problem.text
      .value()
      .replace(/^\s*\n/, '')
      .trimEnd();
    const closed: TestProblem = {
      kind: problem.kind,
      ...(problem.type ? { type: problem.type } : {}),
      message: truncate((problem.message ?? '').trim() || firstLine(details), this.maxMessage),
      details,
    };
    const current = this.current;
    if (!current) return;
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

  private closeSkipped(): void {
    if (this.current && this.skipped) {
      // go-junit-report writes message="Skipped" and the reason (t.Skip's text) as the body.
      const text = firstLine(this.skipped.text.value());
      const attribute = (this.skipped.message ?? '').trim();
      const message = attribute && text && !attribute.includes(text) ? `${attribute}: ${text}` : attribute || text;
      if (message) this.current.skipMessage = truncate(message, this.maxMessage);
    }
    this.skipped = undefined;
    this.listen(false);
  }
}

/** A closed `<testcase>` as the caller gets it, by the counting rule. */
function closedCase(c: OpenCase, reportFile: string): ParsedTestCase {
  // The counting rule, first match wins: flaky="true" passed (on a retry); a `status` of not run
  // is skipped; then failure, error, skipped, passed from the elements.
  const outcome: TestOutcome = c.markedFlaky ? 'passed' : c.statusSkipped ? 'skipped' : c.outcome;
  // A flaky="true" case's own <failure> elements are its failed attempts.
  const flakyAttempts = c.markedFlaky && c.problem ? [c.problem, ...c.flakyAttempts] : c.flakyAttempts;
  return {
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
    reportFile,
  };
}
