export const id = 994;
export const ids = [994];
export const modules = {

/***/ 8994:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   rollbackOutcome: () => (/* binding */ rollbackOutcome)
/* harmony export */ });
/* harmony import */ var _ecs_deploy_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7404);
/* harmony import */ var _ecs_task_definition_source_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7639);


function rollbackOutcome(result, ctx) {
    const to = (0,_ecs_task_definition_source_js__WEBPACK_IMPORTED_MODULE_1__.revisionName)(ctx.to);
    const from = (0,_ecs_task_definition_source_js__WEBPACK_IMPORTED_MODULE_1__.revisionName)(ctx.from);
    const now = ctx.serviceNow ? ` (now: ${ctx.serviceNow})` : '';
    switch (result.status) {
        case 'succeeded':
            return { status: 'succeeded', recordState: 'success', message: `Rolled back: ${ctx.where} runs ${to} again (was ${from}).` };
        case 'started':
            return { status: 'started', recordState: 'in_progress', message: `Rollback to ${to} started (deployment ${result.deploymentId ?? '?'}); not followed (wait is false).` };
        case 'cancelled':
            return {
                status: 'cancelled',
                recordState: 'error',
                message: `Rollback of ${ctx.where} to ${to} was cancelled while ECS rolled it out (deployment ${result.deploymentId ?? '?'}). ECS carries on with that deployment; nothing was rolled forward to ${from}${now}.`,
            };
        case 'failed':
        case 'rolled-back': {
            const why = (0,_ecs_deploy_js__WEBPACK_IMPORTED_MODULE_0__.stoppedReasons)(result.stoppedTasks);
            return {
                status: 'failed',
                recordState: 'failure',
                message: `Rollback of ${ctx.where} to ${to} FAILED: ${result.failure?.reason ?? result.message}.${why ? ` ${why}` : ''} Not rolled forward to ${from}: ECS keeps the service as it is${now}. Look at the failed tasks above, then fix forward or roll back to another revision with 'to'.`,
            };
        }
    }
}


/***/ })

};
