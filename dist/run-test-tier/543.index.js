export const id = 543;
export const ids = [543,215];
export const modules = {

/***/ 8215:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $w: () => (/* binding */ portVariables),
/* harmony export */   ComposeStack: () => (/* binding */ ComposeStack),
/* harmony export */   Jw: () => (/* binding */ describeState),
/* harmony export */   My: () => (/* binding */ findCompose),
/* harmony export */   jO: () => (/* binding */ composeProjectName),
/* harmony export */   xz: () => (/* binding */ readiness)
/* harmony export */ });
/* unused harmony export parseInspect */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _duration_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5784);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2635);
/* harmony import */ var _exec_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(492);




/** Whether one service is ready for tests: healthy, or running without a healthcheck, or a one-shot job that exited 0. */
function readiness(s) {
    if (s.health !== undefined) {
        if (s.health === 'healthy')
            return 'ready';
        if (s.health === 'unhealthy')
            return 'failed';
        return s.status === 'exited' || s.status === 'dead' ? 'failed' : 'waiting';
    }
    if (s.status === 'running')
        return 'ready';
    if (s.status === 'exited')
        return s.exitCode === 0 ? 'ready' : 'failed';
    if (s.status === 'dead')
        return 'failed';
    return 'waiting';
}
function describeState(s) {
    if (s.health !== undefined)
        return s.status === 'running' ? s.health : `${s.status} (${s.health})`;
    return s.status === 'exited' ? `exited ${s.exitCode}` : s.status;
}
/**
 * `STACK_<SERVICE>_<PORT>` for each service port, so one test script works in both places: on
 * the runner it is `127.0.0.1:<published port>`; from a container on the stack's network it is
 * `<service>:<port>`.
 */
function portVariables(services, from) {
    const env = {};
    for (const s of services) {
        const service = s.service.toUpperCase().replace(/[^A-Z0-9]/g, '_');
        for (const p of s.ports) {
            const suffix = p.protocol === 'tcp' ? '' : `_${p.protocol.toUpperCase()}`;
            if (from === 'network')
                env[`STACK_${service}_${p.containerPort}${suffix}`] = `${s.service}:${p.containerPort}`;
            else if (p.hostPort !== undefined)
                env[`STACK_${service}_${p.containerPort}${suffix}`] = `127.0.0.1:${p.hostPort}`;
        }
    }
    return env;
}
/** A Compose project name: lower-case letters, digits, `-` and `_`, unique per run. */
function composeProjectName(tier, runId) {
    const clean = (s) => s.toLowerCase().replace(/[^a-z0-9_-]/g, '');
    return ['ctp', clean(tier), clean(runId ?? ''), (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(3).toString('hex')].filter(Boolean).join('-');
}
/**
 * `docker compose` when the plugin is installed, else `docker-compose` from PATH, else a pinned
 * release installed through the tool cache (shared/compose-install.ts).
 */
async function findCompose(logger) {
    const plugin = await (0,_exec_js__WEBPACK_IMPORTED_MODULE_3__/* .exec */ .m0)('docker', ['compose', 'version', '--short'], { stream: false }).catch(() => undefined);
    if (plugin?.exitCode === 0) {
        logger.info(`Docker Compose: the docker compose plugin ${plugin.stdout.trim()}.`);
        return ['docker', 'compose'];
    }
    const standalone = await (0,_exec_js__WEBPACK_IMPORTED_MODULE_3__/* .exec */ .m0)('docker-compose', ['version', '--short'], { stream: false }).catch(() => undefined);
    if (standalone?.exitCode === 0) {
        logger.info(`Docker Compose: docker-compose ${standalone.stdout.trim()} (the compose plugin is not installed).`);
        return ['docker-compose'];
    }
    const { installCompose } = await __webpack_require__.e(/* import() */ 964).then(__webpack_require__.bind(__webpack_require__, 5964));
    return [await installCompose(logger)];
}
class ComposeStack {
    command;
    project;
    files;
    cwd;
    logger;
    constructor(options) {
        this.command = options.command;
        this.project = options.project;
        this.files = options.files;
        this.cwd = options.cwd;
        this.logger = options.logger;
    }
    run(args, options = {}) {
        const [program, ...pre] = this.command;
        const fileArgs = this.files.flatMap((f) => ['-f', f]);
        return (0,_exec_js__WEBPACK_IMPORTED_MODULE_3__/* .exec */ .m0)(program, [...pre, '-p', this.project, ...fileArgs, ...args], {
            cwd: this.cwd,
            stream: options.stream ?? true,
            ...(options.signal ? { signal: options.signal } : {}),
            ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
        });
    }
    /** The file's services; a UserError naming the input when the file does not parse or a service is unknown. */
    async validate(wanted) {
        const r = await this.run(['config', '--services'], { stream: false });
        if (r.exitCode !== 0) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .yo(`Input 'compose-file' (${this.files.join(', ')}) is not a valid Compose file: ${(0,_exec_js__WEBPACK_IMPORTED_MODULE_3__/* .lastLines */ .w$)(r.stderr || r.stdout, 4)}`);
        }
        const services = r.stdout.split('\n').map((s) => s.trim()).filter(Boolean);
        const unknown = wanted.filter((s) => !services.includes(s));
        if (unknown.length > 0) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .yo(`Input 'compose-services' names ${unknown.map((s) => `'${s}'`).join(', ')}, which ${unknown.length === 1 ? 'is' : 'are'} not in ${this.files.join(', ')}: expected some of ${services.join(', ')}.`);
        }
        return services;
    }
    async up(services, signal) {
        const r = await this.logger.group(`Starting the stack (compose project ${this.project})`, () => this.run(['up', '-d', '--remove-orphans', ...services], signal ? { signal } : {}));
        if (r.aborted)
            throw new Error('cancelled while starting the stack');
        if (r.exitCode !== 0)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .yo(`The Compose stack did not start (${this.command.join(' ')} up exited with code ${r.exitCode}): ${(0,_exec_js__WEBPACK_IMPORTED_MODULE_3__/* .lastLines */ .w$)(r.stderr || r.stdout, 5)}`);
    }
    async states() {
        const ids = (await this.run(['ps', '-q'], { stream: false })).stdout.split('\n').map((s) => s.trim()).filter(Boolean);
        if (ids.length === 0)
            return [];
        const inspected = await (0,_exec_js__WEBPACK_IMPORTED_MODULE_3__/* .exec */ .m0)('docker', ['inspect', ...ids], { stream: false });
        if (inspected.exitCode !== 0 && inspected.stdout.trim() === '')
            return [];
        return parseInspect(inspected.stdout);
    }
    /**
     * Polls until every service is ready, printing a progress line when something changes (and
     * every 10 s regardless). A service that turns unhealthy or exits non-zero fails at once,
     * without waiting out the timeout; its logs are printed either way.
     */
    async waitUntilReady(options) {
        const started = Date.now();
        const interval = options.intervalMs ?? 1_000;
        let lastLine = '';
        let lastPrinted = 0;
        for (;;) {
            if (options.signal?.aborted)
                throw new Error('cancelled while waiting for the stack');
            const states = await this.states();
            const elapsed = Date.now() - started;
            const ready = states.filter((s) => readiness(s) === 'ready');
            const failed = states.filter((s) => readiness(s) === 'failed');
            const line = `Stack: ${ready.length}/${states.length} ready — ${states.map((s) => `${s.service} ${describeState(s)}`).join(', ') || 'no containers yet'}`;
            if (line !== lastLine || Date.now() - lastPrinted >= 10_000) {
                this.logger.info(`${line} (${(0,_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(elapsed)})`);
                lastLine = line;
                lastPrinted = Date.now();
            }
            if (failed.length > 0) {
                await this.printLogs(failed.map((s) => s.service));
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .yo(`The stack is not healthy: ${failed.map((s) => `${s.service} is ${describeState(s)}`).join(', ')} after ${(0,_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(elapsed)}; its logs are above.`);
            }
            if (states.length > 0 && ready.length === states.length) {
                this.logger.info(`Stack ready in ${(0,_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(elapsed)}: ${states.map((s) => `${s.service} ${describeState(s)}`).join(', ')}.`);
                return states;
            }
            if (elapsed >= options.timeoutMs) {
                const waiting = states.filter((s) => readiness(s) !== 'ready');
                await this.printLogs(waiting.map((s) => s.service));
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .yo(`The stack was not ready after ${(0,_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(elapsed)} (compose-timeout): ${waiting.map((s) => `${s.service} is ${describeState(s)}`).join(', ') || 'no container started'}; logs are above.`);
            }
            await new Promise((resolve) => {
                const timer = setTimeout(resolve, interval);
                options.signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
            });
        }
    }
    async printLogs(services) {
        const unique = [...new Set(services)];
        if (unique.length === 0)
            return;
        await this.logger.group(`Logs of ${unique.join(', ')}`, async () => {
            await this.run(['logs', '--no-color', '--tail', '200', ...unique]);
        });
    }
    /** Stops and removes the containers, networks and volumes; never throws (it runs in finally blocks and post steps). */
    async down() {
        const r = await this.logger.group(`Tearing down the stack (compose project ${this.project})`, () => this.run(['down', '--volumes', '--remove-orphans', '--timeout', '5'], { timeoutMs: 120_000 })).catch((error) => ({ exitCode: 1, stderr: String(error), stdout: '' }));
        if (r.exitCode !== 0) {
            this.logger.warning(`Could not tear down compose project ${this.project}: ${(0,_exec_js__WEBPACK_IMPORTED_MODULE_3__/* .lastLines */ .w$)(r.stderr || r.stdout, 3)}`);
            return false;
        }
        return true;
    }
}
function parseInspect(json) {
    const containers = JSON.parse(json);
    return containers
        .map((c) => {
        const ports = [];
        for (const [key, bindings] of Object.entries(c.NetworkSettings?.Ports ?? {})) {
            const [port, protocol = 'tcp'] = key.split('/');
            const binding = (bindings ?? []).find((b) => b.HostPort);
            ports.push({ containerPort: Number(port), protocol, ...(binding ? { hostPort: Number(binding.HostPort) } : {}) });
        }
        const health = c.State?.Health?.Status;
        return {
            service: c.Config?.Labels?.['com.docker.compose.service'] ?? c.Id.slice(0, 12),
            container: c.Id.slice(0, 12),
            status: c.State?.Status ?? 'unknown',
            ...(health ? { health } : {}),
            exitCode: c.State?.ExitCode ?? 0,
            ports,
            networks: Object.keys(c.NetworkSettings?.Networks ?? {}),
        };
    })
        .sort((a, b) => a.service.localeCompare(b.service));
}


/***/ }),

/***/ 2543:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runTestTier: () => (/* binding */ runTestTier)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./shared/compose-stack.ts
var compose_stack = __webpack_require__(8215);
// EXTERNAL MODULE: ./shared/duration.ts
var duration = __webpack_require__(5784);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
// EXTERNAL MODULE: ./shared/exec.ts + 1 modules
var exec = __webpack_require__(492);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./node_modules/saxes/saxes.js
var saxes = __webpack_require__(9800);
;// CONCATENATED MODULE: ./shared/junit-parser.ts



class MalformedReportError extends errors/* UserError */.yo {
    file;
    line;
    column;
    reason;
    name = 'MalformedReportError';
    constructor(file, line, column, reason) {
        super(`Malformed JUnit XML in ${file} at line ${line}, column ${column}: ${reason}`);
        this.file = file;
        this.line = line;
        this.column = column;
        this.reason = reason;
    }
}
const PROBLEM_ELEMENTS = {
    failure: { role: 'main', kind: 'failure' },
    error: { role: 'main', kind: 'error' },
    flakyFailure: { role: 'flaky', kind: 'failure' },
    flakyError: { role: 'flaky', kind: 'error' },
    rerunFailure: { role: 'rerun', kind: 'failure' },
    rerunError: { role: 'rerun', kind: 'error' },
};
function seconds(value) {
    if (!value)
        return 0;
    // Old Surefire versions wrote times with the JVM locale's grouping separator ("1,234.567").
    const n = Number(value.replace(/,/g, ''));
    return Number.isFinite(n) && n > 0 ? n : 0;
}
function lineNumber(value) {
    if (!value || !/^\d+$/.test(value))
        return undefined;
    return Number(value);
}
/** Text capped at a limit while it streams in, so a 50 MB stack trace costs `limit` bytes. */
class CappedText {
    limit;
    parts = [];
    size = 0;
    truncated = false;
    constructor(limit) {
        this.limit = limit;
    }
    add(text) {
        if (this.size >= this.limit) {
            if (text.length > 0)
                this.truncated = true;
            return;
        }
        const room = this.limit - this.size;
        const piece = text.length > room ? text.slice(0, room) : text;
        if (piece.length < text.length)
            this.truncated = true;
        this.parts.push(piece);
        this.size += piece.length;
    }
    value() {
        const text = this.parts.join('');
        return this.truncated ? `${text}\n… (truncated)` : text;
    }
}
function truncate(text, limit) {
    return text.length > limit ? `${text.slice(0, limit)}…` : text;
}
/** The first non-empty line of a stack trace: what jest-junit and vitest leave out of `message`. */
function firstLine(text) {
    for (const line of text.split('\n', 20))
        if (line.trim() !== '')
            return line.trim();
    return '';
}
/**
 * Parses one report, calling `onTestCase` for each test case in document order. Throws
 * MalformedReportError naming the file, line and column when the XML is not well-formed.
 */
async function parseJUnitReport(file, onTestCase, options = {}) {
    const maxDetails = options.maxDetails ?? 4_000;
    const maxMessage = options.maxMessage ?? 1_000;
    const displayName = options.displayName ?? file;
    // Position tracking costs about 5% of parse time (measured) and makes every error say where.
    const parser = new saxes/* SaxesParser */.wT({ xmlns: false, position: true });
    let failure;
    let failedAt = { line: 0, column: 0 };
    parser.on('error', (error) => {
        if (failure)
            return;
        failure = error;
        failedAt = { line: parser.line, column: parser.column };
    });
    let rootElement = '';
    let isJUnit = true;
    let count = 0;
    const suites = [];
    let current;
    let problem;
    /** Depth of elements inside the open problem: Surefire nests a rerun's trace in <stackTrace>
     * beside its <system-out>, and only the trace counts. */
    let depthInProblem = 0;
    let inStackTrace = false;
    let skipped;
    parser.on('opentag', (tag) => {
        const { name, attributes: a } = tag;
        if (rootElement === '') {
            rootElement = name;
            if (name !== 'testsuites' && name !== 'testsuite')
                isJUnit = false;
        }
        if (!isJUnit)
            return;
        if (problem) {
            depthInProblem++;
            if (depthInProblem === 1 && name === 'stackTrace')
                inStackTrace = true;
            return;
        }
        switch (name) {
            case 'testsuite':
                suites.push(a.name ?? '');
                return;
            case 'testcase': {
                const line = lineNumber(a.line);
                current = {
                    suite: suites[suites.length - 1] ?? '',
                    classname: a.classname ?? a.class ?? '',
                    name: a.name ?? '',
                    time: seconds(a.time),
                    ...(a.file ? { file: a.file } : {}),
                    ...(line !== undefined ? { line } : {}),
                    outcome: 'passed',
                    flakyAttempts: [],
                    rerunAttempts: 0,
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
    const onText = (text) => {
        if (problem) {
            // Directly inside <failure>/<error> (Surefire, Gradle, pytest, jest…), or inside a rerun's
            // <stackTrace>; never a rerun's <system-out>.
            if (depthInProblem === 0 || inStackTrace)
                problem.text.add(text);
        }
        else if (skipped) {
            skipped.text.add(text);
        }
    };
    // saxes gathers character data only while a handler is set, so one is set only inside the
    // elements whose text is kept: the whitespace between tags and the (non-CDATA) output of
    // every passing test then streams past without ever being put together.
    const listen = (on) => {
        if (on) {
            parser.on('text', onText);
            parser.on('cdata', onText);
        }
        else {
            parser.off('text');
            parser.off('cdata');
        }
    };
    parser.on('closetag', (tag) => {
        if (!isJUnit)
            return;
        const { name } = tag;
        if (problem) {
            if (depthInProblem > 0) {
                if (depthInProblem === 1 && name === 'stackTrace')
                    inStackTrace = false;
                depthInProblem--;
                return;
            }
            const details = problem.text.value().replace(/^\s*\n/, '').trimEnd();
            const closed = {
                kind: problem.kind,
                ...(problem.type ? { type: problem.type } : {}),
                message: truncate((problem.message ?? '').trim() || firstLine(details), maxMessage),
                details,
            };
            if (current) {
                if (problem.role === 'main') {
                    // error outranks failure when a tool writes both; the first of each kind is kept.
                    if (!current.problem || (current.problem.kind === 'failure' && closed.kind === 'error'))
                        current.problem = closed;
                    current.outcome = current.problem.kind === 'error' ? 'error' : 'failed';
                }
                else if (problem.role === 'flaky') {
                    current.flakyAttempts.push(closed);
                }
                else {
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
                    if (message)
                        current.skipMessage = truncate(message, maxMessage);
                }
                skipped = undefined;
                listen(false);
                return;
            case 'testsuite':
                suites.pop();
                return;
            case 'testcase':
                if (current) {
                    count++;
                    const c = current;
                    current = undefined;
                    onTestCase({
                        suite: c.suite,
                        classname: c.classname,
                        name: c.name,
                        time: c.time,
                        outcome: c.outcome,
                        ...(c.problem ? { problem: c.problem } : {}),
                        ...(c.skipMessage ? { skipMessage: c.skipMessage } : {}),
                        flakyAttempts: c.flakyAttempts,
                        rerunAttempts: c.rerunAttempts,
                        ...(c.file !== undefined ? { file: c.file } : {}),
                        ...(c.line !== undefined ? { line: c.line } : {}),
                        reportFile: file,
                    });
                }
                return;
        }
    });
    const stream = (0,external_node_fs_.createReadStream)(file, { encoding: 'utf8', highWaterMark: options.chunkSize ?? 256 * 1024 });
    let first = true;
    try {
        for await (const chunk of stream) {
            // A byte-order mark is legal before the declaration, but saxes counts it as text.
            parser.write(first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk);
            first = false;
            if (failure)
                break;
        }
        if (!failure)
            parser.close();
    }
    catch (error) {
        const code = error.code;
        if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
            throw new errors/* UserError */.yo(`Cannot read the report ${displayName}: ${error.message}`);
        }
        failure ??= error;
    }
    finally {
        stream.destroy();
    }
    if (failure) {
        const reason = failure.message.replace(/^\d+:\d+: /, '');
        // saxes's 0-based column of the next character is the 1-based column of the character that
        // revealed the error, which is where editors should jump.
        throw new MalformedReportError(displayName, failedAt.line, Math.max(1, failedAt.column), reason);
    }
    return { isJUnit, rootElement, testCases: count };
}

;// CONCATENATED MODULE: ./shared/report-files.ts


/** Anchors relative patterns at `directory`; `!` exclusions keep their `!`. */
function anchorPatterns(patterns, directory) {
    return patterns.map((pattern) => {
        const negated = pattern.startsWith('!');
        const body = negated ? pattern.slice(1) : pattern;
        const anchored = external_node_path_default().isAbsolute(body) ? body : external_node_path_default().join(directory, body);
        return `${negated ? '!' : ''}${anchored}`;
    });
}
async function findReports(patterns, directory, notBefore) {
    const glob = await __webpack_require__.e(/* import() */ 377).then(__webpack_require__.bind(__webpack_require__, 2377));
    const globber = await glob.create(anchorPatterns(patterns, directory).join('\n'), { matchDirectories: false, followSymbolicLinks: true });
    const matched = [...new Set(await globber.glob())].sort();
    const files = [];
    const stale = [];
    // File times have a coarser grain than Date.now() on some filesystems: allow a second.
    const cutoff = notBefore - 1_000;
    for (const file of matched) {
        const info = await (0,promises_.stat)(file);
        (info.mtimeMs >= cutoff ? files : stale).push(file);
    }
    return { files, stale };
}

// EXTERNAL MODULE: ./shared/run-script.ts
var run_script = __webpack_require__(4591);
;// CONCATENATED MODULE: ./shared/source-location.ts


const JVM_FRAME = /\bat\s+(?:[\w.$-]+\/\/)?(?:[\w.@$-]+\/)?([\w.$]+)\.[\w$<>-]+\(([\w$-]+\.(?:java|kt|kts|scala|groovy)):(\d+)\)/g;
const PYTHON_FRAME = /File "([^"]+)", line (\d+)/g;
// Anything shaped like path/to/file.ext:LINE, e.g. `❯ src/price.test.ts:9:24`, `ledger_test.go:21:`,
// `(/home/runner/work/shop/shop/web/src/cart.test.js:14:32)`, `tests/test_invoice.py:15: AssertionError`.
const PATH_LINE = /(?:file:\/\/)?((?:[A-Za-z]:)?[\w.@+~\-/\\]*[\w-]\.[A-Za-z][\w]{0,5}):(\d+)\b/g;
const IGNORED_PATH = /(^|[/\\])(node_modules|site-packages|dist-packages|\.venv|venv|\.gradle|\.m2)([/\\]|$)|^node:|^internal[/\\]|^<|\/usr\/(local\/)?(lib|go)\//;
const TEST_FILE = /(^|[/\\])(test_[^/\\]*|[^/\\]*(_test|Test|Tests|IT|Spec|_spec)\.[^/\\]+|[^/\\]*\.(test|spec)\.[^/\\]+)$/;
function packageSegments(qualified) {
    const segments = qualified.split(/[./]/);
    // Packages are lower case by convention; the first capitalised segment is the class.
    const end = segments.findIndex((s) => /^[A-Z]/.test(s));
    return end === -1 ? segments.slice(0, -1) : segments.slice(0, end);
}
function stackCandidates(text, classname = '') {
    const found = [];
    const seen = new Set();
    const add = (c) => {
        const key = `${c.path}:${c.line}`;
        if (seen.has(key) || IGNORED_PATH.test(c.path))
            return;
        seen.add(key);
        found.push(c);
    };
    for (const m of text.matchAll(JVM_FRAME)) {
        const className = m[1];
        const pkg = packageSegments(className);
        add({ path: [...pkg, m[2]].join('/'), line: Number(m[3]), hint: pkg, className });
    }
    for (const m of text.matchAll(PYTHON_FRAME))
        add({ path: m[1], line: Number(m[2]), hint: [] });
    // Go's classname is the import path; its last segments name the directory.
    const goHint = classname.includes('/') ? classname.split('/') : [];
    for (const m of text.matchAll(PATH_LINE)) {
        const p = m[1];
        if (/\.(java|kt|kts|scala|groovy)$/.test(p) && !p.includes('/'))
            continue; // JVM frames above
        add({ path: p, line: Number(m[2]), hint: goHint });
    }
    return found;
}
/** Finds files by name in the workspace, walking it once and only when first asked. */
class WorkspaceFiles {
    workspace;
    maxFiles;
    byName;
    constructor(workspace, maxFiles = 200_000) {
        this.workspace = workspace;
        this.maxFiles = maxFiles;
    }
    /** Workspace-relative paths of files named `basename`. */
    named(basename) {
        this.byName ??= this.walk();
        return this.byName.get(basename) ?? [];
    }
    walk() {
        const index = new Map();
        const skip = new Set(['.git', 'node_modules', '.gradle', '.venv', 'venv', '__pycache__', '.tox', 'target', 'build', 'dist', '.next', 'coverage']);
        const pending = [''];
        let count = 0;
        while (pending.length > 0 && count < this.maxFiles) {
            const dir = pending.pop();
            let entries;
            try {
                entries = (0,external_node_fs_.readdirSync)(external_node_path_default().join(this.workspace, dir), { withFileTypes: true });
            }
            catch {
                continue;
            }
            for (const entry of entries) {
                const rel = dir ? `${dir}/${entry.name}` : entry.name;
                if (entry.isDirectory()) {
                    if (!skip.has(entry.name))
                        pending.push(rel);
                }
                else if (entry.isFile()) {
                    count++;
                    const list = index.get(entry.name);
                    if (list)
                        list.push(rel);
                    else
                        index.set(entry.name, [rel]);
                }
            }
        }
        return index;
    }
}
function toPosix(p) {
    return p.split((external_node_path_default()).sep).join('/');
}
function isFile(p) {
    try {
        return (0,external_node_fs_.statSync)(p).isFile();
    }
    catch {
        return false;
    }
}
/** A path from a report, made relative to the workspace when the file really exists there. */
function resolveInWorkspace(given, workspace, workingDirectory, files, hint = []) {
    const p = given.replace(/^file:\/\//, '').replace(/\\/g, '/');
    const inside = (absolute) => {
        const rel = external_node_path_default().relative(workspace, absolute);
        return rel && !rel.startsWith('..') && !external_node_path_default().isAbsolute(rel) && isFile(absolute) ? toPosix(rel) : undefined;
    };
    if (external_node_path_default().isAbsolute(p)) {
        const direct = inside(p);
        if (direct)
            return direct;
        // Written on another machine or in a container: find the longest tail that exists here.
        const segments = p.split('/').filter(Boolean);
        for (let i = 1; i < segments.length; i++) {
            const tail = segments.slice(i).join('/');
            const found = inside(external_node_path_default().join(workingDirectory, tail)) ?? inside(external_node_path_default().join(workspace, tail));
            if (found)
                return found;
        }
        return undefined;
    }
    const relative = inside(external_node_path_default().join(workingDirectory, p)) ?? inside(external_node_path_default().join(workspace, p));
    if (relative)
        return relative;
    // A bare name (Go) or a package path (JVM): look it up, preferring the directory the hint names.
    const basename = p.split('/').pop();
    const suffix = p.includes('/') ? `/${p}` : undefined;
    const matches = files.named(basename).filter((f) => !suffix || `/${f}`.endsWith(suffix));
    if (matches.length <= 1)
        return matches[0];
    const score = (f) => {
        const dirs = f.split('/').slice(0, -1);
        let n = 0;
        while (n < hint.length && n < dirs.length && dirs[dirs.length - 1 - n] === hint[hint.length - 1 - n])
            n++;
        return n;
    };
    return matches.reduce((best, f) => (score(f) > score(best) ? f : best));
}
/**
 * The best place to annotate for a failed test: a stack frame in the test's own file (the
 * failing line), else a frame in the test's class or in a test-looking file, else any frame in
 * the workspace, else the report's `file`/`line` attributes.
 */
function locateFailure(test, workspace, workingDirectory, files) {
    const ownFile = test.file ? resolveInWorkspace(test.file, workspace, workingDirectory, files) : undefined;
    let best;
    for (const candidate of stackCandidates(test.details, test.classname)) {
        const file = resolveInWorkspace(candidate.path, workspace, workingDirectory, files, candidate.hint);
        if (!file)
            continue;
        const score = file === ownFile ? 3
            : candidate.className && (candidate.className === test.classname || candidate.className.startsWith(`${test.classname}$`)) ? 2
                : TEST_FILE.test(file) ? 1
                    : 0;
        if (!best || score > best.score)
            best = { location: { file, line: candidate.line }, score };
        if (score === 3)
            break;
    }
    if (best)
        return best.location;
    if (ownFile) {
        // pytest counts lines from zero (its node locations are 0-based); everyone else from one.
        const line = test.line === undefined ? undefined : test.suite === 'pytest' ? test.line + 1 : test.line;
        return { file: ownFile, ...(line !== undefined && line > 0 ? { line } : {}) };
    }
    return undefined;
}

;// CONCATENATED MODULE: ./shared/test-results.ts
function testTitle(test) {
    if (!test.classname || test.name.startsWith(test.classname))
        return test.name || test.classname;
    return `${test.classname} › ${test.name}`;
}
class TestResults {
    counts = { passed: 0, failed: 0, skipped: 0, flaky: 0, total: 0 };
    failures = [];
    flaky = [];
    reports = [];
    /** Sum of the tests' own times, in seconds. */
    testSeconds = 0;
    maxKept;
    slowestCount;
    slow = [];
    /** Every failed test's key, kept or not, so a later passing attempt turns it flaky. */
    failedKeys = new Map();
    constructor(options = {}) {
        this.maxKept = options.maxKept ?? 1_000;
        this.slowestCount = options.slowest ?? 10;
    }
    get failuresOmitted() {
        return this.counts.failed - this.failures.length;
    }
    get flakyOmitted() {
        return this.counts.flaky - this.flaky.length;
    }
    /** The slowest tests, slowest first. */
    get slowest() {
        return this.slow;
    }
    add(test) {
        this.testSeconds += test.time;
        const key = `${test.reportFile}\u0000${test.classname}\u0000${test.name}`;
        const earlier = this.failedKeys.get(key);
        const failed = test.outcome === 'failed' || test.outcome === 'error';
        if (earlier !== undefined) {
            // Another attempt of a test that already failed: a retry, not another test.
            if (failed) {
                if (earlier)
                    earlier.attempts++;
                this.noteTime(test, test.outcome);
                return;
            }
            if (test.outcome === 'passed') {
                this.failedKeys.delete(key);
                this.counts.failed--;
                this.counts.passed++;
                this.counts.flaky++;
                const attempts = earlier?.attempts ?? 1;
                if (earlier)
                    this.failures.splice(this.failures.indexOf(earlier), 1);
                this.keepFlaky({
                    suite: test.suite,
                    classname: test.classname,
                    name: test.name,
                    failedAttempts: attempts,
                    message: earlier?.message ?? '',
                    details: earlier?.details ?? '',
                    seconds: test.time,
                    reportFile: test.reportFile,
                });
                this.noteTime(test, 'flaky');
                return;
            }
        }
        this.counts.total++;
        switch (test.outcome) {
            case 'skipped':
                this.counts.skipped++;
                break;
            case 'passed':
                this.counts.passed++;
                if (test.flakyAttempts.length > 0) {
                    this.counts.flaky++;
                    const first = test.flakyAttempts[0];
                    this.keepFlaky({
                        suite: test.suite,
                        classname: test.classname,
                        name: test.name,
                        failedAttempts: test.flakyAttempts.length,
                        message: first.message,
                        details: first.details,
                        seconds: test.time,
                        reportFile: test.reportFile,
                    });
                    this.noteTime(test, 'flaky');
                    return;
                }
                break;
            case 'failed':
            case 'error': {
                this.counts.failed++;
                const problem = test.problem ?? { kind: 'failure', message: '', details: '' };
                let record = null;
                if (this.failures.length < this.maxKept) {
                    record = {
                        suite: test.suite,
                        classname: test.classname,
                        name: test.name,
                        kind: problem.kind,
                        ...(problem.type ? { type: problem.type } : {}),
                        message: problem.message,
                        details: problem.details,
                        attempts: 1 + test.rerunAttempts,
                        seconds: test.time,
                        ...(test.file !== undefined ? { file: test.file } : {}),
                        ...(test.line !== undefined ? { line: test.line } : {}),
                        reportFile: test.reportFile,
                    };
                    this.failures.push(record);
                }
                this.failedKeys.set(key, record);
                break;
            }
        }
        this.noteTime(test, test.outcome);
    }
    addReport(result) {
        this.reports.push(result);
    }
    keepFlaky(test) {
        if (this.flaky.length < this.maxKept)
            this.flaky.push(test);
    }
    noteTime(test, outcome) {
        const slow = this.slow;
        if (slow.length === this.slowestCount && test.time <= slow[slow.length - 1].seconds)
            return;
        let at = slow.findIndex((t) => test.time > t.seconds);
        if (at === -1)
            at = slow.length;
        slow.splice(at, 0, { classname: test.classname, name: test.name, seconds: test.time, outcome });
        if (slow.length > this.slowestCount)
            slow.pop();
    }
}

;// CONCATENATED MODULE: ./shared/test-annotations.ts

/**
 * Annotations for failed (error) and flaky (warning) tests, deduplicated and capped. GitHub
 * shows at most 10 annotations of each level per step and drops the rest silently, so the cap
 * is applied here, the same failure reported twice (a parametrised test failing on one line for
 * every parameter, a rerun) becomes one annotation, and what is left out is said in the log.
 */
const GITHUB_ANNOTATIONS_PER_STEP = 10;
/**
 * How many test annotations fit beside the step's own: by default GitHub's 10 per level less
 * the verdict's error and the tier's warnings (budget, no report), so those are never the ones
 * GitHub drops; an explicit number is taken as given.
 */
function annotationLimits(annotate, ownErrors, ownWarnings) {
    if (annotate !== 'github')
        return { errors: annotate, warnings: annotate };
    return { errors: Math.max(0, GITHUB_ANNOTATIONS_PER_STEP - ownErrors), warnings: Math.max(0, GITHUB_ANNOTATIONS_PER_STEP - ownWarnings) };
}
const TRACE_LINES = 12;
const MESSAGE_CHARS = 2_000;
function traceExcerpt(details, message) {
    const lines = details.split('\n');
    // The trace usually repeats the message on its first line.
    if (lines[0] !== undefined && message && lines[0].includes(message))
        lines.shift();
    const kept = lines.slice(0, TRACE_LINES).join('\n').trim();
    return lines.length > TRACE_LINES ? `${kept}\n…` : kept;
}
function failureMessage(message, details) {
    const excerpt = traceExcerpt(details, message);
    const text = [message, excerpt].filter(Boolean).join('\n');
    return text.length > MESSAGE_CHARS ? `${text.slice(0, MESSAGE_CHARS)}…` : text || '(no message in the report)';
}
function planAnnotations(failures, flaky, limits) {
    const annotations = [];
    const seen = new Set();
    let duplicates = 0;
    let omittedFailures = 0;
    let errors = 0;
    for (const { test, location } of failures) {
        const key = `${location?.file ?? ''}:${location?.line ?? ''}:${test.message}`;
        if (seen.has(key)) {
            duplicates++;
            continue;
        }
        seen.add(key);
        if (errors >= limits.errors) {
            omittedFailures++;
            continue;
        }
        errors++;
        const verb = test.kind === 'error' ? 'errored' : 'failed';
        const attempts = test.attempts > 1 ? ` (all ${test.attempts} attempts)` : '';
        annotations.push({
            level: 'error',
            title: `${testTitle(test)} ${verb}${attempts}`,
            message: failureMessage(test.message, test.details),
            ...(location ? { location } : {}),
        });
    }
    let warnings = 0;
    let omittedFlaky = 0;
    for (const { test, location } of flaky) {
        if (warnings >= limits.warnings) {
            omittedFlaky++;
            continue;
        }
        warnings++;
        annotations.push({
            level: 'warning',
            title: `Flaky: ${testTitle(test)} passed after ${test.failedAttempts} failed attempt${test.failedAttempts === 1 ? '' : 's'}`,
            message: test.message || '(no message in the report)',
            ...(location ? { location } : {}),
        });
    }
    return { annotations, omitted: { failures: omittedFailures, flaky: omittedFlaky }, duplicates };
}
function emitAnnotations(plan, logger, totals) {
    for (const a of plan.annotations) {
        const properties = {
            title: a.title,
            ...(a.location ? { file: a.location.file, ...(a.location.line !== undefined ? { startLine: a.location.line } : {}) } : {}),
        };
        if (a.level === 'error')
            logger.error(a.message, properties);
        else
            logger.warning(a.message, properties);
    }
    const notes = [];
    if (plan.duplicates > 0)
        notes.push(`${plan.duplicates} duplicate failure${plan.duplicates === 1 ? '' : 's'} (same place, same message) folded into one annotation`);
    const unkept = totals.failed - plan.annotations.filter((a) => a.level === 'error').length - plan.duplicates;
    if (unkept > 0)
        notes.push(`${unkept} more failure${unkept === 1 ? '' : 's'} not annotated`);
    const flakyUnkept = totals.flaky - plan.annotations.filter((a) => a.level === 'warning').length;
    if (flakyUnkept > 0)
        notes.push(`${flakyUnkept} more flaky test${flakyUnkept === 1 ? '' : 's'} not annotated`);
    if (notes.length > 0)
        logger.info(`Annotations: ${notes.join('; ')} — the job summary and the JSON report list them all.`);
}

;// CONCATENATED MODULE: ./shared/test-tier-report.ts


/**
 * The JSON summary of one tier that later steps read (the `report` output): verdict, counts,
 * budget, every kept failure with its location, flaky and slowest tests. Paths are relative to
 * the workspace so the file means the same on any runner.
 */
const TIER_REPORT_SCHEMA = 'commit-to-prod/test-tier-report@1';
const test_tier_report_seconds = (ms) => Math.round(ms) / 1_000;
function buildTierReport(input) {
    const { results, workspace } = input;
    const rel = (file) => {
        const r = external_node_path_default().relative(workspace, file);
        return r.startsWith('..') ? file : r.split((external_node_path_default()).sep).join('/');
    };
    return {
        schema: TIER_REPORT_SCHEMA,
        tier: input.tier,
        verdict: input.verdict.passed ? 'passed' : 'failed',
        reasons: input.verdict.failures,
        warnings: input.verdict.warnings,
        exitCode: input.exitCode,
        durationSeconds: test_tier_report_seconds(input.budget.elapsedMs),
        budgetSeconds: input.budget.budgetMs === undefined ? null : test_tier_report_seconds(input.budget.budgetMs),
        budgetExceeded: input.budget.exceeded,
        overBudgetSeconds: test_tier_report_seconds(input.budget.overByMs),
        counts: results.counts,
        testSeconds: Math.round(results.testSeconds * 1_000) / 1_000,
        reports: results.reports.map((r) => ({ file: rel(r.file), tests: r.tests, ...(r.problem ? { problem: r.problem } : {}) })),
        staleReports: input.staleReports.map(rel),
        failures: results.failures.map((f, i) => ({
            title: testTitle(f),
            suite: f.suite,
            classname: f.classname,
            name: f.name,
            kind: f.kind,
            ...(f.type ? { type: f.type } : {}),
            message: f.message,
            details: f.details,
            attempts: f.attempts,
            seconds: f.seconds,
            ...(input.locations[i] ? { location: input.locations[i] } : {}),
            report: rel(f.reportFile),
        })),
        failuresOmitted: results.failuresOmitted,
        flaky: results.flaky.map((f) => ({
            title: testTitle(f),
            suite: f.suite,
            classname: f.classname,
            name: f.name,
            failedAttempts: f.failedAttempts,
            message: f.message,
            seconds: f.seconds,
            report: rel(f.reportFile),
        })),
        flakyOmitted: results.flakyOmitted,
        slowest: results.slowest.map((t) => ({ title: testTitle(t), classname: t.classname, name: t.name, seconds: t.seconds, outcome: t.outcome })),
        ...(input.stack
            ? { stack: { project: input.stack.project, files: input.stack.files.map(rel), readySeconds: test_tier_report_seconds(input.stack.readyMs), services: input.stack.services } }
            : {}),
    };
}

// EXTERNAL MODULE: ./shared/tier-verdict.ts
var tier_verdict = __webpack_require__(4008);
;// CONCATENATED MODULE: ./shared/test-tier.ts














async function runTestTier(config, context) {
    const { logger, signal } = context;
    let stack;
    let stackStates = [];
    const services = config.compose?.services ?? [];
    if (config.compose) {
        const command = await (0,compose_stack/* findCompose */.My)(logger);
        stack = new compose_stack.ComposeStack({
            command,
            project: (0,compose_stack/* composeProjectName */.jO)(config.tier, config.compose.runId),
            files: config.compose.files,
            cwd: config.workingDirectory,
            logger,
        });
        // A broken file or an unknown service fails here, before anything has started.
        await stack.validate(services);
    }
    let command;
    let stackReadyMs;
    const testsStarted = Date.now();
    try {
        if (stack && config.compose) {
            context.hooks.starting({ project: stack.project, files: stack.files, command: stack.command, cwd: config.workingDirectory });
            await stack.up(services, signal);
            stackStates = await stack.waitUntilReady({ timeoutMs: config.compose.timeoutMs, signal });
            stackReadyMs = Date.now() - testsStarted;
        }
        command = await runCommand(config, stackStates, logger, signal);
        if (stack && !signal.aborted)
            stackStates = await checkStackAfterTests(stack, logger, command.exitCode !== 0);
    }
    finally {
        if (stack) {
            if (await stack.down())
                context.hooks.gone();
        }
    }
    if (command.cancelled || signal.aborted)
        throw new Error(`the ${config.tier} tests were cancelled`);
    const budget = (0,tier_verdict/* checkBudget */.Ik)(command.durationMs, config.budgetMs);
    const results = new TestResults();
    const found = await findReports(config.reports, config.workingDirectory, testsStarted);
    if (found.stale.length > 0) {
        logger.info(`Ignored ${found.stale.length} report(s) written before this tier started (left from an earlier tier or run): ${found.stale.slice(0, 5).map((f) => external_node_path_default().relative(config.workspace, f)).join(', ')}${found.stale.length > 5 ? ', …' : ''}`);
    }
    const malformed = [];
    let notJUnit = 0;
    await logger.group(`Reading ${found.files.length} JUnit report(s)`, async () => {
        for (const file of found.files) {
            const display = external_node_path_default().relative(config.workspace, file) || file;
            let tests = 0;
            try {
                const parsed = await parseJUnitReport(file, (t) => (tests++, results.add(t)), { displayName: display });
                if (!parsed.isJUnit) {
                    logger.info(`${display}: not a JUnit report (root element <${parsed.rootElement}>); skipped.`);
                    results.addReport({ file, tests: 0, problem: `not a JUnit report (<${parsed.rootElement}>)` });
                    notJUnit++;
                    continue;
                }
                logger.info(`${display}: ${tests} test${tests === 1 ? '' : 's'}`);
                results.addReport({ file, tests });
            }
            catch (error) {
                if (!(error instanceof MalformedReportError))
                    throw error;
                const message = tests > 0 ? `${error.message} (${tests} tests before that point were counted)` : error.message;
                // Logged here and named in the step's failure: one error annotation, not two.
                logger.info(message);
                malformed.push(message);
                results.addReport({ file, tests, problem: error.message });
            }
        }
    });
    const verdict = (0,tier_verdict/* decideVerdict */.AU)({
        tier: config.tier,
        exitCode: command.exitCode,
        cancelled: false,
        counts: results.counts,
        budget,
        onBudgetExceeded: config.onBudgetExceeded,
        reportsFound: results.reports.length - notJUnit,
        failOnEmpty: config.failOnEmpty,
        malformed,
    });
    const files = new WorkspaceFiles(config.workspace);
    const locations = results.failures.map((f) => locateFailure(f, config.workspace, config.workingDirectory, files));
    if (config.annotate !== 0) {
        // The verdict adds one error when the tier fails, and one warning per warning.
        const limits = annotationLimits(config.annotate, verdict.passed ? 0 : 1, verdict.warnings.length);
        const plan = planAnnotations(results.failures.map((test, i) => ({ test, ...(locations[i] ? { location: locations[i] } : {}) })), 
        // A flaky test's first failed attempt points at the line that wobbles.
        results.flaky.map((test) => {
            const location = locateFailure(test, config.workspace, config.workingDirectory, files);
            return { test, ...(location ? { location } : {}) };
        }), limits);
        emitAnnotations(plan, logger, results.counts);
    }
    const report = buildTierReport({
        tier: config.tier,
        verdict,
        exitCode: command.exitCode,
        budget,
        results,
        locations,
        staleReports: found.stale,
        workspace: config.workspace,
        ...(stack ? { stack: { project: stack.project, files: [...stack.files], readyMs: stackReadyMs ?? 0, services: stackStates.map((s) => ({ service: s.service, state: s.status, ...(s.health ? { health: s.health } : {}) })) } } : {}),
    });
    await (0,promises_.writeFile)(config.reportPath, `${JSON.stringify(report, null, 2)}\n`);
    return { verdict, budget, report };
}
async function runCommand(config, stackStates, logger, signal) {
    const stackEnv = (0,compose_stack/* portVariables */.$w)(stackStates, config.runInContainer ? 'network' : 'runner');
    if (Object.keys(stackEnv).length > 0)
        logger.info(`Stack ports for the tests: ${Object.entries(stackEnv).map(([k, v]) => `${k}=${v}`).join(', ')}`);
    const tierEnv = { TEST_TIER: config.tier, ...stackEnv, ...Object.fromEntries(config.env) };
    logger.info(`Running the ${config.tier} tests${config.budgetMs !== undefined ? ` (budget ${(0,duration/* formatDuration */.a)(config.budgetMs)})` : ''}${config.runInContainer ? ' in a container' : ''}…`);
    if (config.runInContainer) {
        const network = stackStates.flatMap((s) => s.networks)[0];
        return config.runInContainer({ script: config.script, env: tierEnv, ...(network ? { network } : {}), signal });
    }
    const env = {};
    for (const [k, v] of Object.entries(config.hostEnv)) {
        // The action's own inputs and state are not the tests' business.
        if (!k.startsWith('INPUT_') && !k.startsWith('STATE_'))
            env[k] = v;
    }
    Object.assign(env, tierEnv);
    try {
        return await (0,run_script/* runScript */.j3)({ script: config.script, shell: config.shell, cwd: config.workingDirectory, env, signal });
    }
    catch (error) {
        if (error instanceof exec/* ExecError */.cI && error.result.exitCode === 127) {
            throw new errors/* UserError */.yo(`Input 'shell': ${error.message}; install it or choose another shell.`);
        }
        throw error;
    }
}
/**
 * The stack's state once the tests are done. A service that went down during the tests is
 * named; when the tests failed, every service's logs are printed (collapsed) before the
 * teardown deletes them, since that is where an integration failure is usually explained.
 */
async function checkStackAfterTests(stack, logger, testsFailed) {
    const states = await stack.states();
    const unwell = states.filter((s) => (0,compose_stack/* readiness */.xz)(s) !== 'ready');
    if (unwell.length > 0) {
        logger.warning(`After the tests, the stack had ${unwell.map((s) => `${s.service} ${(0,compose_stack/* describeState */.Jw)(s)}`).join(', ')}; see their logs.`);
    }
    if (testsFailed)
        await stack.printLogs(states.map((s) => s.service));
    else if (unwell.length > 0)
        await stack.printLogs(unwell.map((s) => s.service));
    return states;
}


/***/ })

};
