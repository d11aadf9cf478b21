export const id = 215;
export const ids = [215];
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


/***/ })

};
