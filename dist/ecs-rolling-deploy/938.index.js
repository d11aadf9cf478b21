export const id = 938;
export const ids = [938];
export const modules = {

/***/ 5938:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createDeploymentRecord: () => (/* binding */ createDeploymentRecord)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2635);
/**
 * The audit record of a deploy as a GitHub deployment: one deployment per release for an
 * environment, its payload naming the revisions, and statuses in_progress → success / failure /
 * error / inactive with the workflow run as log_url. @actions/github (Octokit) is loaded only when
 * a token is given, so it costs nothing at start-up. A GitHub outage never blocks a deploy: the
 * record degrades to a warning, and the ECS revision tags remain.
 */

async function createDeploymentRecord(options, logger) {
    const [owner, repo] = options.repository.split('/');
    if (!owner || !repo) {
        logger.warning(`Not recording a GitHub deployment: GITHUB_REPOSITORY is ${JSON.stringify(options.repository)}, expected owner/repo.`);
        return undefined;
    }
    try {
        const { getOctokit } = await __webpack_require__.e(/* import() */ 413).then(__webpack_require__.bind(__webpack_require__, 2413));
        const octokit = getOctokit(options.token, { baseUrl: options.apiUrl });
        const created = await octokit.rest.repos.createDeployment({
            owner,
            repo,
            ref: options.ref,
            environment: options.environment,
            description: options.description.slice(0, 140),
            payload: options.payload,
            // The commit passed its checks to get here; GitHub's own gate (required contexts, merging
            // the default branch in) would only refuse or alter the release.
            auto_merge: false,
            required_contexts: [],
            ...(options.productionEnvironment !== undefined ? { production_environment: options.productionEnvironment } : {}),
        });
        if (created.status !== 201 || !('id' in created.data)) {
            logger.warning(`GitHub did not create a deployment record: ${JSON.stringify(created.data).slice(0, 200)}`);
            return undefined;
        }
        const id = created.data.id;
        logger.info(`GitHub deployment ${id} created for environment '${options.environment}'.`);
        return {
            id,
            url: created.data.url,
            async setStatus(state, description) {
                try {
                    await octokit.rest.repos.createDeploymentStatus({
                        owner,
                        repo,
                        deployment_id: id,
                        state,
                        description: description.slice(0, 140),
                        ...(options.logUrl ? { log_url: options.logUrl } : {}),
                        ...(options.environmentUrl ? { environment_url: options.environmentUrl } : {}),
                        environment: options.environment,
                        auto_inactive: state === 'success',
                    });
                }
                catch (error) {
                    logger.warning(`Could not set GitHub deployment ${id} to ${state}: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(error)}`);
                }
            },
        };
    }
    catch (error) {
        logger.warning(`Could not create a GitHub deployment record (the ECS revision tags remain the record): ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(error)}`);
        return undefined;
    }
}


/***/ })

};
