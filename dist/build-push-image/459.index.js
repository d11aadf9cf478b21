export const id = 459;
export const ids = [459];
export const modules = {

/***/ 1459:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  ecrCredentials: () => (/* binding */ ecrCredentials)
});

// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
;// CONCATENATED MODULE: ./shared/aws-clients.ts

const USER_AGENT = ['commit-to-prod', '0.1.0'];
function resolveRegion(explicit) {
    const region = explicit || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION;
    if (!region) {
        throw new errors/* UserError */.yo('No AWS region: set the `aws-region` input or AWS_REGION (aws-actions/configure-aws-credentials sets it).');
    }
    return region;
}
const ecsClients = new Map();
const ecrClients = new Map();
async function ecsClient(options = {}) {
    const region = resolveRegion(options.region);
    const existing = ecsClients.get(region);
    if (existing)
        return existing;
    const { ECSClient } = await Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(212)]).then(__webpack_require__.t.bind(__webpack_require__, 212, 19));
    const client = new ECSClient({ region, maxAttempts: options.maxAttempts ?? 5, customUserAgent: [USER_AGENT] });
    ecsClients.set(region, client);
    return client;
}
async function ecrClient(options = {}) {
    const region = resolveRegion(options.region);
    const existing = ecrClients.get(region);
    if (existing)
        return existing;
    const { ECRClient } = await Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(249)]).then(__webpack_require__.t.bind(__webpack_require__, 8249, 19));
    const client = new ECRClient({ region, maxAttempts: options.maxAttempts ?? 5, customUserAgent: [USER_AGENT] });
    ecrClients.set(region, client);
    return client;
}

// EXTERNAL MODULE: ./shared/secrets.ts
var secrets = __webpack_require__(5931);
;// CONCATENATED MODULE: ./shared/ecr-login.ts



/**
 * Registry credentials from ECR's GetAuthorizationToken (the token is base64 `AWS:<password>`,
 * valid for 12 hours). The SDK honours AWS_ENDPOINT_URL_ECR, which is how the local emulator is
 * used; the password is registered as a secret before anything can print it.
 */
async function ecrCredentials(registry, options) {
    const client = await ecrClient({ region: options.region });
    const { GetAuthorizationTokenCommand } = await Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(249)]).then(__webpack_require__.t.bind(__webpack_require__, 8249, 19));
    const where = `ECR GetAuthorizationToken in ${options.region}${options.accountId ? ` for account ${options.accountId}` : ''}`;
    let data;
    try {
        const response = await client.send(
        // registryIds is deprecated by AWS (the token works for every registry the caller may reach), so it is not sent.
        new GetAuthorizationTokenCommand({}), options.signal ? { abortSignal: options.signal } : {});
        data = response.authorizationData?.[0];
    }
    catch (error) {
        const name = error instanceof Error ? error.name : '';
        const hint = /credential/i.test((0,errors/* errorMessage */.gJ)(error)) ? ' (configure AWS credentials first, e.g. with aws-actions/configure-aws-credentials)' : '';
        throw new errors/* UserError */.yo(`${where} failed: ${name && name !== 'Error' ? `${name}: ` : ''}${(0,errors/* errorMessage */.gJ)(error)}${hint}`, { cause: error });
    }
    if (!data?.authorizationToken)
        throw new errors/* UserError */.yo(`${where} returned no authorization token.`);
    const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0)
        throw new errors/* UserError */.yo(`${where} returned a token that is not base64 \`user:password\`.`);
    const password = decoded.slice(colon + 1);
    (0,secrets/* registerSecret */.cl)(password);
    (0,secrets/* registerSecret */.cl)(data.authorizationToken);
    return {
        registry,
        username: decoded.slice(0, colon),
        password,
        ...(data.expiresAt ? { expiresAt: data.expiresAt } : {}),
    };
}


/***/ })

};
