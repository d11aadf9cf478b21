export const id = 366;
export const ids = [366];
export const modules = {

/***/ 7366:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  CONTAINER_LABEL: () => (/* binding */ CONTAINER_LABEL),
  newContainerName: () => (/* binding */ newContainerName),
  removeContainers: () => (/* binding */ removeContainers),
  removeRunDirectory: () => (/* binding */ removeRunDirectory),
  resolveImage: () => (/* binding */ resolveImage),
  runInContainer: () => (/* binding */ runInContainer)
});

// UNUSED EXPORTS: CONTAINER_HOME, CONTAINER_RUN_DIR, CONTAINER_SCRIPT, ImagePullError, PULL_POLICIES, defaultUser, isWithin, runDirectory

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./shared/exec.ts + 1 modules
var shared_exec = __webpack_require__(492);
;// CONCATENATED MODULE: ./shared/build-caches.ts



/**
 * Dependency caches for builds in containers, kept between runs in named Docker volumes.
 *
 * A preset names where a tool keeps its downloads, relative to the container's HOME (which the
 * runner points at a directory the build's user owns), and the variable that tells the tool so
 * explicitly — Java ignores HOME for a uid with no passwd entry, so Maven needs
 * `-Dmaven.repo.local`. A plain absolute path caches that directory as is.
 *
 * Volumes are named after the cache key, the cached path and the user: a fresh Docker volume
 * belongs to root, so one that a non-root build will write is chowned once, when created, and a
 * build under another uid gets its own volume instead of a permission error.
 */
const CACHE_PRESETS = {
    maven: { path: '.m2/repository', env: (dir) => ({ MAVEN_OPTS: `-Dmaven.repo.local=${dir}` }) },
    gradle: { path: '.gradle', env: (dir) => ({ GRADLE_USER_HOME: dir }) },
    npm: { path: '.npm', env: (dir) => ({ npm_config_cache: dir }) },
    pip: { path: '.cache/pip', env: (dir) => ({ PIP_CACHE_DIR: dir }) },
};
const CACHE_PRESET_NAMES = Object.keys(CACHE_PRESETS);
/** Variables that are lists of flags: a cache's value and the user's are joined, not replaced. */
const FLAG_LIST_VARIABLES = new Set(['MAVEN_OPTS']);
/**
 * Resolves `caches` entries into volumes. Throws an Error naming the entry and what is
 * expected for an unknown preset or a relative path (callers add the input's name).
 */
function resolveBuildCaches(entries, options) {
    const caches = [];
    for (const given of entries) {
        let target;
        let env = {};
        if (given in CACHE_PRESETS) {
            const preset = CACHE_PRESETS[given];
            target = path.posix.join(options.home, preset.path);
            env = preset.env(target);
        }
        else if (given.startsWith('/')) {
            target = path.posix.normalize(given).replace(/(.)\/+$/, '$1');
            if (target === '/')
                throw new Error(`cache path ${JSON.stringify(given)} is the container's root`);
        }
        else {
            throw new Error(`${JSON.stringify(given)} is neither a preset (${CACHE_PRESET_NAMES.join(', ')}) nor an absolute container path`);
        }
        if (caches.some((c) => c.target === target))
            continue;
        const hash = createHash('sha256').update(`${options.key}\0${target}\0${options.user}`).digest('hex').slice(0, 12);
        const what = given in CACHE_PRESETS ? given : 'path';
        caches.push({ given, volume: `ctp-cache-${slug(options.key)}-${what}-${hash}`, target, env });
    }
    return caches;
}
/** The caches' variables under the user's own: the user wins, except flag lists are joined. */
function mergeCacheEnv(caches, userEnv) {
    const merged = {};
    for (const cache of caches)
        Object.assign(merged, cache.env);
    for (const [key, value] of Object.entries(userEnv)) {
        merged[key] = FLAG_LIST_VARIABLES.has(key) && merged[key] !== undefined ? `${merged[key]} ${value}` : value;
    }
    return merged;
}
function slug(text) {
    return text.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 40) || 'default';
}
/**
 * Creates missing volumes (labelled, so they can be listed and pruned; `labels` go on the
 * short-lived container only) and hands new ones to
 * the build's user with one short root container of the build's own image (it has `chown`; no
 * other image can be assumed present). Returns the volumes that were created.
 */
async function prepareCacheVolumes(caches, options) {
    const created = [];
    for (const cache of caches) {
        const found = await (0,shared_exec/* exec */.m0)('docker', ['volume', 'inspect', '--format', '{{.Name}}', cache.volume], { stream: false });
        if (found.exitCode === 0) {
            options.logger.info(`Cache ${cache.given}: reusing volume ${cache.volume} at ${cache.target}.`);
            continue;
        }
        const made = await (0,shared_exec/* exec */.m0)('docker', ['volume', 'create', ...labels({ 'commit-to-prod.cache': cache.given, 'commit-to-prod.cache-user': options.user }), cache.volume], { stream: false });
        if (made.exitCode !== 0)
            throw new Error(`could not create cache volume ${cache.volume}: ${(0,shared_exec/* lastLines */.w$)(made.stderr, 3)}`);
        options.logger.info(`Cache ${cache.given}: created volume ${cache.volume} at ${cache.target} (empty: this run fills it).`);
        created.push(cache.volume);
    }
    const isRoot = /^(0|root)(:|$)/.test(options.user);
    if (created.length > 0 && !isRoot) {
        const mounts = created.flatMap((volume, i) => ['--volume', `${volume}:/__ctp_cache/${i}`]);
        const chown = await (0,shared_exec/* exec */.m0)('docker', ['run', '--rm', '--pull', 'never', ...labels(options.labels), '--user', '0:0', ...mounts, '--entrypoint', 'chown', options.image, options.user, ...created.map((_, i) => `/__ctp_cache/${i}`)], { stream: false, ...(options.signal ? { signal: options.signal } : {}) });
        if (chown.exitCode !== 0) {
            options.logger.warning(`Could not give the new cache volume(s) to user ${options.user} (${(0,shared_exec/* lastLines */.w$)(chown.stderr || chown.stdout, 2)}); the build may not be able to write its cache.`);
        }
    }
    return created;
}
function labels(map) {
    return Object.entries(map).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
}

;// CONCATENATED MODULE: ./shared/container-run-args.ts
/**
 * The `docker run` argument array for one container, from a typed spec — a pure function, so
 * what the runner starts can be read (and tested) as a table of spec → args.
 *
 * The runner owns the flags that make a build safe and reproducible: the mounts, the user,
 * the entrypoint, the working directory, the name, `--rm` and the pull policy. `options` (the
 * user's extra flags) are parsed here without a shell and refused when they would replace one
 * of those; see parseDockerRunOptions.
 */
function containerRunArgs(spec) {
    const args = ['run', '--rm', '--name', spec.name, '--pull', 'never'];
    if (spec.init !== false)
        args.push('--init');
    for (const [key, value] of Object.entries(spec.labels ?? {}))
        args.push('--label', `${key}=${value}`);
    args.push('--user', spec.user, '--workdir', spec.workdir);
    for (const mount of spec.mounts) {
        for (const [what, path] of [['source', mount.source], ['target', mount.target]]) {
            // `-v a:b:ro` is split on colons by the docker client; a colon in a path cannot be expressed.
            if (path.includes(':'))
                throw new Error(`mount ${what} ${JSON.stringify(path)} contains ':', which docker -v cannot express`);
        }
        args.push('--volume', `${mount.source}:${mount.target}${mount.readOnly ? ':ro' : ''}`);
    }
    if (spec.envFile)
        args.push('--env-file', spec.envFile);
    for (const name of spec.envFromClient ?? [])
        args.push('--env', name);
    if (spec.network)
        args.push('--network', spec.network);
    args.push(...(spec.options ?? []));
    args.push('--entrypoint', spec.entrypoint, spec.image, ...spec.command);
    return args;
}
/** Flags of `docker run` that take no value; every other flag takes one (docker run --help). */
const BOOLEAN_FLAGS = new Set([
    '--init', '--privileged', '--read-only', '--interactive', '--tty', '--rm', '--detach', '--no-healthcheck',
    '--oom-kill-disable', '--sig-proxy', '--disable-content-trust', '--publish-all', '--quiet', '--help',
]);
const SHORT_BOOLEAN = new Map([['i', '--interactive'], ['t', '--tty'], ['d', '--detach'], ['P', '--publish-all'], ['q', '--quiet']]);
const SHORT_WITH_VALUE = new Map([
    ['v', '--volume'], ['u', '--user'], ['w', '--workdir'], ['e', '--env'], ['l', '--label'], ['p', '--publish'],
    ['m', '--memory'], ['c', '--cpu-shares'], ['h', '--hostname'], ['a', '--attach'],
]);
/** Flags the runner sets itself, and why a user may not set them; the message says what to use instead. */
const REFUSED = {
    '--volume': 'the action sets the mounts (use the `volumes` input)',
    '--mount': 'the action sets the mounts (use the `volumes` input)',
    '--volumes-from': 'the action sets the mounts (use the `volumes` input)',
    '--user': 'the action sets the user (use the `user` input)',
    '--userns': 'the action sets the user (use the `user` input)',
    '--entrypoint': 'the action runs the script through `shell` (use the `shell` input)',
    '--workdir': 'the action sets the working directory (use the `working-directory` input)',
    '--name': 'the action names the container so that it can always stop and remove it',
    '--rm': 'the action always removes the container',
    '--detach': 'the action waits for the build and streams its output',
    '--attach': 'the action attaches to the build\'s output itself',
    '--cidfile': 'the action tracks the container by name',
    '--pull': 'the action resolves the image itself (use the `pull` input)',
    '--network': 'use the `network` input',
    '--net': 'use the `network` input',
    '--help': 'it would print help instead of running the build',
    '--label-file': 'use `--label key=value`',
};
/**
 * Splits `options` into arguments — on whitespace, with '…' and "…" quoting and no expansion
 * (no shell ever sees them) — and checks each one is a `docker run` flag the runner does not
 * own. A bare word where a flag is expected is refused too: it would silently become the image.
 * Throws an Error whose message explains the problem; callers wrap it with the input's name.
 */
function parseDockerRunOptions(text) {
    const args = splitArguments(text);
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (arg.startsWith('--')) {
            const eq = arg.indexOf('=');
            const flag = eq === -1 ? arg : arg.slice(0, eq);
            refuseOwned(flag, arg);
            if (eq === -1 && !BOOLEAN_FLAGS.has(flag)) {
                if (i + 1 >= args.length)
                    throw new Error(`\`${flag}\` needs a value`);
                i++;
            }
            refuseOwnLabel(flag, eq === -1 ? args[i] : arg.slice(eq + 1));
        }
        else if (/^-[A-Za-z]/.test(arg)) {
            // Short flags can be grouped (`-it`); a flag taking a value ends the group (`-v/a:/b`).
            for (let j = 1; j < arg.length; j++) {
                const letter = arg[j];
                const long = SHORT_BOOLEAN.get(letter) ?? SHORT_WITH_VALUE.get(letter);
                if (!long)
                    throw new Error(`\`-${letter}\` (in \`${arg}\`) is not a docker run flag this action knows; use its long form`);
                refuseOwned(long, arg);
                if (SHORT_WITH_VALUE.has(letter)) {
                    if (j === arg.length - 1) {
                        if (i + 1 >= args.length)
                            throw new Error(`\`-${letter}\` needs a value`);
                        i++;
                        refuseOwnLabel(long, args[i]);
                    }
                    else
                        refuseOwnLabel(long, arg.slice(j + 1));
                    break;
                }
            }
        }
        else {
            throw new Error(`\`${arg}\` is not a flag (each option must start with \`-\`; a value belongs right after its flag)`);
        }
    }
    return args;
}
/** The runner finds its containers by these labels; a later `--label` with the same key would win. */
const OWN_LABEL_PREFIX = 'commit-to-prod.';
function refuseOwnLabel(flag, value) {
    if (flag === '--label' && value.startsWith(OWN_LABEL_PREFIX)) {
        throw new Error(`\`--label ${value}\` is not allowed: \`${OWN_LABEL_PREFIX}*\` labels are how the action finds its containers to remove them`);
    }
}
function refuseOwned(flag, given) {
    const why = REFUSED[flag];
    if (why)
        throw new Error(`\`${given}\` is not allowed: ${why}`);
}
/** Whitespace-separated words with '…' / "…" quoting (backslash escapes inside "…" and bare). */
function splitArguments(text) {
    const out = [];
    let current = '';
    let inWord = false;
    let quote;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (quote) {
            if (c === quote)
                quote = undefined;
            else if (c === '\\' && quote === '"' && i + 1 < text.length)
                current += text[++i];
            else
                current += c;
        }
        else if (c === '"' || c === "'") {
            quote = c;
            inWord = true;
        }
        else if (c === '\\' && i + 1 < text.length) {
            current += text[++i];
            inWord = true;
        }
        else if (/\s/.test(c)) {
            if (inWord)
                out.push(current);
            current = '';
            inWord = false;
        }
        else {
            current += c;
            inWord = true;
        }
    }
    if (quote)
        throw new Error(`unterminated ${quote} quote`);
    if (inWord)
        out.push(current);
    return out;
}

// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
// EXTERNAL MODULE: ./shared/secrets.ts
var secrets = __webpack_require__(5931);
;// CONCATENATED MODULE: ./shared/docker-config.ts






/**
 * A Docker client configuration directory private to one step. Logins go here, never into
 * ~/.docker/config.json, so concurrent jobs on a self-hosted runner cannot trample each other's
 * credentials, and the post step removes it.
 */
function createDockerConfig(prefix = 'ctp-docker-') {
    const dir = mkdtempSync(path.join(process.env.RUNNER_TEMP || tmpdir(), prefix));
    chmodSync(dir, 0o700);
    return dir;
}
function removeDockerConfig(dir) {
    if (dir)
        rmSync(dir, { recursive: true, force: true });
}
/** Whether `docker login` failed because the registry refused the credentials (not worth retrying). */
function isAuthFailure(output) {
    return /unauthorized|401|authentication required|incorrect username or password|denied/i.test(output);
}
/**
 * `docker login` into `configDir` with the password on stdin, masked. A refusal names the
 * registry and the user and is a UserError; a transient failure (connection refused, 5xx) is
 * retried with backoff.
 */
async function dockerLogin(configDir, credentials, options) {
    const { registry, username, password } = credentials;
    registerSecret(password);
    const attempts = options.attempts ?? 4;
    const sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    for (let attempt = 1;; attempt++) {
        const result = await exec('docker', ['--config', configDir, 'login', '--username', username, '--password-stdin', registry], {
            stdin: password,
            stream: false,
            secrets: [password],
            ...(options.signal ? { signal: options.signal } : {}),
        });
        if (result.exitCode === 0) {
            options.logger.info(`Logged in to ${registry} as ${username}.`);
            return;
        }
        const why = lastLines(result.stderr || result.stdout, 3);
        if (isAuthFailure(why)) {
            throw new UserError(`Registry ${registry} refused the login of user '${username}': ${why}`);
        }
        if (attempt >= attempts || options.signal?.aborted) {
            throw new UserError(`Could not log in to registry ${registry} as '${username}' after ${attempt} attempts: ${why}`);
        }
        const delay = 500 * 2 ** (attempt - 1);
        options.logger.warning(`Login to ${registry} failed (${why.split('\n')[0]}); retrying in ${delay} ms (attempt ${attempt + 1} of ${attempts}).`);
        await sleep(delay);
    }
}

;// CONCATENATED MODULE: ./shared/image-reference.ts
/**
 * The registry an image reference is pulled from, as `docker login` names it: the first path
 * component when it looks like a host (has a `.` or a `:`, or is `localhost`), else Docker Hub.
 */
function registryOfImage(reference) {
    const slash = reference.indexOf('/');
    if (slash === -1)
        return 'docker.io';
    const first = reference.slice(0, slash);
    return first.includes('.') || first.includes(':') || first === 'localhost' ? first : 'docker.io';
}
/** Whether a reference pins an image by ID or digest (nothing to pull when it is present). */
function isImageId(reference) {
    return /^sha256:[0-9a-f]{64}$/.test(reference);
}

// EXTERNAL MODULE: ./shared/duration.ts
var duration = __webpack_require__(5784);
;// CONCATENATED MODULE: ./shared/container-runner.ts
/**
 * Runs a script inside a container the way a build or a test tier needs it — shared by
 * build-in-container and run-test-tier. API (stable; later additions are optional fields):
 *
 *   const name = newContainerName('ctp-tests');       // save it in state BEFORE the run, for post
 *   const caches = resolveBuildCaches(['npm'], { home: CONTAINER_HOME, key, user });  // optional
 *   const result = await runInContainer(
 *     { name, image, pull: 'missing', script, shell: ['sh', '-e'], workspace,          // required
 *       workingDirectory, env, passEnv, user, caches, mounts, network, options, labels }, // optional
 *     { logger, signal, timeoutMs, dockerConfig },
 *   );
 *   // → { name, exitCode, durationMs, imageId, timedOut, cancelled, tail, startFailure? }
 *   // in the post step:
 *   await removeContainers(`${CONTAINER_LABEL}=${name}`, logger);
 *   removeRunDirectory(name);
 *
 * `options` must come from parseDockerRunOptions (shared/container-run-args.ts), which refuses
 * flags that would replace what the runner sets. A failed or refused pull throws ImagePullError
 * (a UserError); a non-zero exit is NOT thrown: the caller decides what it means.
 *
 * What it guarantees:
 * - the image is resolved by the `pull` policy (`missing`/`always`/`never`) and the container
 *   runs that exact image ID; a refused or failed pull is a UserError saying why;
 * - the script is written to a file and run by the shell byte for byte (no `-c`, no joining
 *   of lines), the workspace is mounted at the same absolute path, and the build runs as the
 *   runner's own uid:gid unless told otherwise, with a writable HOME (CONTAINER_HOME);
 * - the GITHUB_*, RUNNER_* and CI variables are forwarded with host paths rewritten to where
 *   they are mounted (or dropped when they point at nothing the container can see);
 *   variables reach docker through an env file or its own environment, never its command line;
 * - output streams live inside a log group and the last lines are kept for a summary;
 * - on timeout or cancellation the container is stopped and removed before this returns.
 *   The container is named and labelled so a post step can remove anything a killed process
 *   left behind.
 */











const PULL_POLICIES = (/* unused pure expression or super */ null && (['missing', 'always', 'never']));
/** Inside the container: the runner's files for this run (script, HOME, RUNNER_TEMP). */
const CONTAINER_RUN_DIR = '/__ctp';
const CONTAINER_HOME = `${CONTAINER_RUN_DIR}/home`;
const CONTAINER_SCRIPT = `${CONTAINER_RUN_DIR}/script`;
/** Every container this runner starts carries this label with its name. */
const CONTAINER_LABEL = 'commit-to-prod.container';
class ImagePullError extends errors/* UserError */.yo {
    authRequired;
    name = 'ImagePullError';
    constructor(message, authRequired) {
        super(message);
        this.authRequired = authRequired;
    }
}
function newContainerName(prefix) {
    return `${prefix}-${Date.now().toString(36)}-${(0,external_node_crypto_.randomBytes)(4).toString('hex')}`;
}
/** The host directory holding one run's script, HOME and env file (under RUNNER_TEMP). */
function runDirectory(name, hostEnv = process.env) {
    return external_node_path_default().join(hostEnv.RUNNER_TEMP || (0,external_node_os_.tmpdir)(), name);
}
function removeRunDirectory(name, hostEnv = process.env) {
    (0,external_node_fs_.rmSync)(runDirectory(name, hostEnv), { recursive: true, force: true });
}
function defaultUser() {
    return `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;
}
function dockerArgs(dockerConfig, args) {
    return dockerConfig ? ['--config', dockerConfig, ...args] : [...args];
}
async function inspectImageId(image, dockerConfig) {
    const r = await (0,shared_exec/* exec */.m0)('docker', dockerArgs(dockerConfig, ['image', 'inspect', '--format', '{{.Id}}', image]), { stream: false }).catch((error) => {
        if (error instanceof shared_exec/* ExecError */.cI && error.result.exitCode === 127) {
            throw new errors/* UserError */.yo('The docker CLI is not on this runner\'s PATH: a build in a container needs Docker installed on the runner.');
        }
        throw error;
    });
    if (r.exitCode !== 0 && /Cannot connect to the Docker daemon|error during connect/i.test(r.stderr)) {
        throw new errors/* UserError */.yo(`The Docker engine is not reachable from this runner: ${(0,shared_exec/* lastLines */.w$)(r.stderr, 1)}`);
    }
    return r.exitCode === 0 ? r.stdout.trim() : undefined;
}
/** The image ID to run, pulling first as the policy says. */
async function resolveImage(image, pull, options) {
    // An ID cannot be pulled; whatever the policy, it is either here or nowhere.
    if (pull !== 'always' || isImageId(image)) {
        const id = await inspectImageId(image, options.dockerConfig);
        if (id) {
            options.logger.info(`Image ${image} is present (${id}); not pulling (pull: ${pull}).`);
            return id;
        }
        if (pull === 'never')
            throw new ImagePullError(`Image ${image} is not present on this runner, and pull is \`never\`.`, false);
        if (isImageId(image))
            throw new ImagePullError(`Image ${image} is not present on this runner (an image ID cannot be pulled; use a name or name@digest).`, false);
    }
    const registry = registryOfImage(image);
    const pulled = await options.logger.group(`Pulling ${image}`, () => (0,shared_exec/* exec */.m0)('docker', dockerArgs(options.dockerConfig, ['pull', image]), { ...(options.signal ? { signal: options.signal } : {}) }));
    if (pulled.aborted)
        throw new Error(`cancelled while pulling ${image}`);
    if (pulled.exitCode !== 0) {
        const why = (0,shared_exec/* lastLines */.w$)(pulled.stderr || pulled.stdout, 3);
        const auth = isAuthFailure(why) || /no basic auth credentials|not found|does not exist|pull access denied/i.test(why);
        throw new ImagePullError(`Could not pull image ${image} from ${registry}: ${why}${auth ? ` (the image may be private: the registry needs credentials that were not given or were refused)` : ''}`, auth);
    }
    const id = await inspectImageId(image, options.dockerConfig);
    if (!id)
        throw new ImagePullError(`Pulled ${image}, but docker cannot find it afterwards.`, false);
    return id;
}
/** Removes every container (running or not) carrying `label` (`key=value`); returns how many. */
async function removeContainers(label, logger) {
    const listed = await (0,shared_exec/* exec */.m0)('docker', ['ps', '--all', '--quiet', '--filter', `label=${label}`], { stream: false });
    const ids = listed.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
    if (ids.length === 0)
        return 0;
    const removed = await (0,shared_exec/* exec */.m0)('docker', ['rm', '--force', ...ids], { stream: false });
    if (removed.exitCode !== 0)
        logger.warning(`Could not remove container(s) ${ids.join(', ')}: ${(0,shared_exec/* lastLines */.w$)(removed.stderr, 2)}`);
    else
        logger.info(`Removed ${ids.length} container(s) left behind: ${ids.join(', ')}.`);
    return ids.length;
}
/** Variables the docker client itself reads or needs: a multi-line value for one cannot go through its environment. */
const CLIENT_VARIABLES = /^(PATH|HOME|DOCKER_.*|TMPDIR|XDG_.*)$/;
/** How docker (125-127) or its init says the container's program could not be started. */
const START_FAILURE = /^\[FATAL tini \(\d+\)\] exec .* failed|^docker: Error response from daemon/;
/** Path variables that belong to the action's own step, not to the build. */
const NOT_FORWARDED = new Set(['GITHUB_STATE', 'GITHUB_ACTION_PATH', 'RUNNER_TOOL_CACHE', 'RUNNER_WORKSPACE']);
/** File-command files the build may append to, mounted one by one. */
const FILE_COMMANDS = ['GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY'];
/**
 * GITHUB_*, RUNNER_* and CI as the build should see them: the workspace stays where it is,
 * RUNNER_TEMP becomes the run's own temp dir, the event payload is copied in, the file-command
 * files are mounted, and other host paths (tool cache, the action's folder) are dropped.
 */
function forwardContext(hostEnv, workspace, hostRunDir) {
    const env = {};
    const mounts = [];
    const dropped = [];
    for (const [name, value] of Object.entries(hostEnv)) {
        if (value === undefined || !(name === 'CI' || name.startsWith('GITHUB_') || name.startsWith('RUNNER_')))
            continue;
        if (NOT_FORWARDED.has(name)) {
            dropped.push(name);
        }
        else if (name === 'RUNNER_TEMP') {
            env[name] = `${CONTAINER_RUN_DIR}/temp`;
        }
        else if (name === 'GITHUB_EVENT_PATH') {
            if ((0,external_node_fs_.existsSync)(value)) {
                (0,external_node_fs_.copyFileSync)(value, external_node_path_default().join(hostRunDir, 'mnt', 'event.json'));
                env[name] = `${CONTAINER_RUN_DIR}/event.json`;
            }
            else
                dropped.push(name);
        }
        else if (FILE_COMMANDS.includes(name)) {
            if ((0,external_node_fs_.existsSync)(value) && !value.includes(':')) {
                const target = `${CONTAINER_RUN_DIR}/files/${name.toLowerCase()}`;
                mounts.push({ source: value, target });
                env[name] = target;
            }
            else
                dropped.push(name);
        }
        else if (value.startsWith('/') && !isWithin(value, workspace) && (0,external_node_fs_.existsSync)(value)) {
            dropped.push(name); // a host path the container cannot see
        }
        else {
            env[name] = value;
        }
    }
    return { env, mounts, dropped };
}
function isWithin(child, parent) {
    const rel = external_node_path_default().relative(parent, child);
    return rel === '' || (!rel.startsWith('..') && !external_node_path_default().isAbsolute(rel));
}
/** Makes the run's HOME, temp dir and cache mount points belong to the build's user. */
function prepareRunDirectory(hostRunDir, user, caches) {
    const mnt = external_node_path_default().join(hostRunDir, 'mnt');
    const dirs = [mnt, external_node_path_default().join(mnt, 'home'), external_node_path_default().join(mnt, 'temp'), external_node_path_default().join(mnt, 'files')];
    for (const cache of caches) {
        if (!isWithin(cache.target, CONTAINER_HOME))
            continue;
        // Docker would create the mount point (and its parents, e.g. ~/.cache) as root.
        let dir = cache.target;
        while (dir !== CONTAINER_HOME) {
            dirs.push(external_node_path_default().join(mnt, 'home', external_node_path_default().posix.relative(CONTAINER_HOME, dir)));
            dir = external_node_path_default().posix.dirname(dir);
        }
    }
    (0,external_node_fs_.mkdirSync)(hostRunDir, { recursive: true, mode: 0o700 });
    (0,external_node_fs_.chmodSync)(hostRunDir, 0o711); // the env file inside stays private; mnt is reached by path
    for (const dir of dirs)
        (0,external_node_fs_.mkdirSync)(dir, { recursive: true });
    const numeric = /^(\d+)(?::(\d+))?$/.exec(user);
    const ours = `${process.getuid?.()}:${process.getgid?.()}`;
    for (const dir of dirs) {
        if (dir === mnt)
            continue;
        if (numeric && process.getuid?.() === 0)
            (0,external_node_fs_.chownSync)(dir, Number(numeric[1]), Number(numeric[2] ?? numeric[1]));
        else if (user !== ours)
            (0,external_node_fs_.chmodSync)(dir, 0o777); // cannot give it away: let any user write
    }
}
function shellCommand(shell) {
    const [entrypoint, ...rest] = shell;
    if (!entrypoint)
        throw new errors/* UserError */.yo('The shell to run the script with is empty.');
    const command = rest.includes('{0}') ? rest.map((a) => (a === '{0}' ? CONTAINER_SCRIPT : a)) : [...rest, CONTAINER_SCRIPT];
    return { entrypoint, command };
}
async function runInContainer(job, options) {
    const { logger } = options;
    const hostEnv = options.hostEnv ?? process.env;
    const user = job.user ?? defaultUser();
    const caches = job.caches ?? [];
    const imageId = await resolveImage(job.image, job.pull, {
        logger,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.dockerConfig ? { dockerConfig: options.dockerConfig } : {}),
    });
    if (options.signal?.aborted)
        throw new Error(`cancelled before the container started`);
    const labels = { ...job.labels, [CONTAINER_LABEL]: job.name };
    if (caches.length > 0) {
        await logger.group('Caches', () => prepareCacheVolumes(caches, { image: imageId, user, labels, logger, ...(options.signal ? { signal: options.signal } : {}) }));
    }
    const hostRunDir = runDirectory(job.name, hostEnv);
    try {
        prepareRunDirectory(hostRunDir, user, caches);
        (0,external_node_fs_.writeFileSync)(external_node_path_default().join(hostRunDir, 'mnt', 'script'), job.script, { mode: 0o644 });
        const context = job.forwardContext === false ? { env: {}, mounts: [], dropped: [] } : forwardContext(hostEnv, job.workspace, hostRunDir);
        if (context.dropped.length > 0)
            logger.debug(`Not forwarded (host paths the container cannot see): ${context.dropped.join(', ')}`);
        const passed = {};
        for (const name of job.passEnv ?? []) {
            const value = hostEnv[name];
            if (value === undefined)
                logger.warning(`pass-env: ${name} is not set on the runner; not forwarded.`);
            else
                passed[name] = value;
        }
        const containerEnv = {
            ...context.env,
            ...passed,
            HOME: CONTAINER_HOME,
            ...mergeCacheEnv(caches, job.env ?? {}),
        };
        // Values go through an env file (one line each) or, when multi-line, through the docker
        // client's own environment as `-e NAME`: never on a command line a `ps` would show.
        const fileLines = [];
        const fromClient = [];
        const clientEnv = {};
        for (const key of ['PATH', 'HOME', 'DOCKER_HOST', 'DOCKER_CONFIG', 'DOCKER_CONTEXT', 'DOCKER_CERT_PATH', 'DOCKER_TLS_VERIFY', 'TMPDIR']) {
            if (process.env[key] !== undefined)
                clientEnv[key] = process.env[key];
        }
        for (const [key, value] of Object.entries(containerEnv)) {
            if (!/[\r\n]/.test(value))
                fileLines.push(`${key}=${value}`);
            else if (CLIENT_VARIABLES.test(key))
                throw new errors/* UserError */.yo(`Variable ${key} has a multi-line value, which cannot be passed to the container.`);
            else {
                fromClient.push(key);
                clientEnv[key] = value;
            }
        }
        const envFile = external_node_path_default().join(hostRunDir, 'env');
        (0,external_node_fs_.writeFileSync)(envFile, `${fileLines.join('\n')}\n`, { mode: 0o600 });
        const { entrypoint, command } = shellCommand(job.shell);
        const mounts = [
            { source: job.workspace, target: job.workspace },
            { source: external_node_path_default().join(hostRunDir, 'mnt'), target: CONTAINER_RUN_DIR },
            ...context.mounts,
            ...caches.map((c) => ({ source: c.volume, target: c.target })),
            ...(job.mounts ?? []),
        ];
        const args = containerRunArgs({
            image: imageId,
            name: job.name,
            labels,
            user,
            entrypoint,
            command,
            workdir: job.workingDirectory ?? job.workspace,
            mounts,
            envFile,
            envFromClient: fromClient,
            ...(job.network ? { network: job.network } : {}),
            ...(job.options ? { options: job.options } : {}),
        });
        const tailSize = job.tailLines ?? 30;
        const tail = [];
        const runStarted = Date.now();
        let lastOutput = runStarted;
        const quietNoticeMs = options.quietNoticeMs ?? 60_000;
        // A build that prints nothing for minutes (a download, a long test) must not look hung.
        const quietTimer = setInterval(() => {
            if (Date.now() - lastOutput < quietNoticeMs)
                return;
            lastOutput = Date.now();
            logger.info(`… still running in ${job.image} (${(0,duration/* formatDuration */.a)(Date.now() - runStarted)} elapsed, no output for ${(0,duration/* formatDuration */.a)(quietNoticeMs)})`);
        }, Math.min(quietNoticeMs, 5_000));
        quietTimer.unref();
        let timedOut = false;
        let cancelled = false;
        let stopping;
        const clientKill = new AbortController();
        const stop = () => {
            stopping ??= (async () => {
                // A short grace lets the build flush; `rm -f` then covers a container that is not
                // created yet or ignores SIGTERM. The client exits once the container is gone.
                await (0,shared_exec/* exec */.m0)('docker', ['stop', '--time', '3', job.name], { stream: false });
                await (0,shared_exec/* exec */.m0)('docker', ['rm', '--force', job.name], { stream: false });
                setTimeout(() => clientKill.abort(), 10_000).unref();
            })();
        };
        const timer = options.timeoutMs
            ? setTimeout(() => {
                timedOut = true;
                logger.error(`Time limit of ${(0,duration/* formatDuration */.a)(options.timeoutMs)} reached: stopping container ${job.name}.`);
                stop();
            }, options.timeoutMs)
            : undefined;
        const onAbort = () => {
            cancelled = true;
            logger.warning(`Cancelled: stopping container ${job.name}.`);
            stop();
        };
        if (options.signal?.aborted)
            onAbort();
        else
            options.signal?.addEventListener('abort', onAbort, { once: true });
        if (options.signal?.aborted)
            throw new Error('cancelled before the container started');
        let result;
        try {
            result = await logger.group(job.groupTitle ?? `Running in ${job.image}`, () => (0,shared_exec/* exec */.m0)('docker', args, {
                env: clientEnv,
                signal: clientKill.signal,
                maxCaptureBytes: 64 * 1024,
                onLine: (line) => {
                    lastOutput = Date.now();
                    tail.push(line);
                    if (tail.length > tailSize)
                        tail.shift();
                },
            }));
        }
        finally {
            clearInterval(quietTimer);
            if (timer)
                clearTimeout(timer);
            options.signal?.removeEventListener('abort', onAbort);
        }
        if (stopping) {
            await stopping;
            // The client may have raced the stop and created the container after it; make sure.
            await (0,shared_exec/* exec */.m0)('docker', ['rm', '--force', job.name], { stream: false });
        }
        // 125 is docker run's own failure (a bad flag value, a daemon error); 126/127 with the
        // init's or docker's message mean the shell is not in the image.
        const startFailure = result.exitCode >= 125 && result.exitCode <= 127
            ? (tail.find((line) => START_FAILURE.test(line)) ?? (result.exitCode === 125 ? tail.find((line) => line.trim() !== '' && !/--help/.test(line)) : undefined))
            : undefined;
        return { name: job.name, exitCode: result.exitCode, durationMs: result.durationMs, imageId, timedOut, cancelled, tail, ...(startFailure ? { startFailure } : {}) };
    }
    finally {
        (0,external_node_fs_.rmSync)(hostRunDir, { recursive: true, force: true });
    }
}


/***/ })

};
