export const id = 964;
export const ids = [964];
export const modules = {

/***/ 5964:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   installCompose: () => (/* binding */ installCompose)
/* harmony export */ });
/* unused harmony exports COMPOSE_VERSION, COMPOSE_RELEASES, composeDownloadUrl */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2635);





/**
 * Docker Compose for a runner that has neither the plugin nor `docker-compose` (a bare
 * self-hosted runner): a pinned release of the standalone binary, downloaded once through
 * @actions/tool-cache, checked against the SHA-256 the release publishes beside it, cached by
 * version and reused by every later job on that runner. `COMPOSE_DOWNLOAD_URL` points at a
 * mirror (same layout: `<base>/v<version>/docker-compose-linux-<arch>[.sha256]`) for runners
 * that cannot reach GitHub.
 */
const COMPOSE_VERSION = '2.29.7';
const COMPOSE_RELEASES = 'https://github.com/docker/compose/releases/download';
const ARCHES = { x64: 'x86_64', arm64: 'aarch64' };
function composeDownloadUrl(version, base, arch = process.arch) {
    const name = ARCHES[arch];
    if (!name)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .yo(`Docker Compose is not installed, and there is no release of it for this runner's architecture (${arch}).`);
    return `${base.replace(/\/+$/, '')}/v${version}/docker-compose-linux-${name}`;
}
async function sha256(file) {
    const hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    for await (const chunk of (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createReadStream)(file))
        hash.update(chunk);
    return hash.digest('hex');
}
/** The path of a cached or freshly installed `docker-compose` binary. */
async function installCompose(logger, options = {}) {
    const version = options.version ?? COMPOSE_VERSION;
    const tc = await __webpack_require__.e(/* import() */ 805).then(__webpack_require__.bind(__webpack_require__, 9805));
    const cached = tc.find('docker-compose', version);
    if (cached) {
        logger.info(`Using docker-compose ${version} from the tool cache (${cached}).`);
        return node_path__WEBPACK_IMPORTED_MODULE_3___default().join(cached, 'docker-compose');
    }
    const url = composeDownloadUrl(version, options.baseUrl ?? process.env.COMPOSE_DOWNLOAD_URL ?? COMPOSE_RELEASES);
    return logger.group(`Installing docker-compose ${version} (neither \`docker compose\` nor \`docker-compose\` is on this runner)`, async () => {
        logger.info(`Downloading ${url}`);
        let binary;
        let sumFile;
        try {
            binary = await tc.downloadTool(url);
            sumFile = await tc.downloadTool(`${url}.sha256`);
        }
        catch (error) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .yo(`Could not download Docker Compose from ${url}: ${error.message}. Install Docker Compose on the runner, or set COMPOSE_DOWNLOAD_URL to a mirror.`);
        }
        const expected = (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readFile)(sumFile, 'utf8')).trim().split(/\s+/)[0]?.toLowerCase() ?? '';
        const actual = await sha256(binary);
        if (!/^[0-9a-f]{64}$/.test(expected) || expected !== actual) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .yo(`The Docker Compose download from ${url} does not match its published checksum (expected ${expected || 'a SHA-256'}, got ${actual}); not installing it.`);
        }
        logger.info(`Checksum verified: sha256 ${actual}.`);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.chmod)(binary, 0o755);
        const dir = await tc.cacheFile(binary, 'docker-compose', 'docker-compose', version);
        logger.info(`Cached in ${dir}; later jobs on this runner reuse it.`);
        return node_path__WEBPACK_IMPORTED_MODULE_3___default().join(dir, 'docker-compose');
    });
}


/***/ })

};
