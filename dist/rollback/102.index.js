export const id = 102;
export const ids = [102];
export const modules = {

/***/ 1102:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  describeTaskDefinition: () => (/* binding */ describeTaskDefinition),
  isClientException: () => (/* binding */ isClientException),
  registerTaskDefinition: () => (/* binding */ registerTaskDefinition),
  tagResource: () => (/* binding */ tagResource)
});

// EXTERNAL MODULE: ../main/node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var dist_cjs = __webpack_require__(9780);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(1581);
;// CONCATENATED MODULE: ./shared/ecs/raw-json.ts
const stackOf = (command) => command.middlewareStack;
/**
 * Replaces the serialized body of `command` with `body`, byte for byte. Runs at the start of the
 * build step, i.e. after the SDK serialized (and validated) the typed input, and before
 * content-length and signing, which then cover the raw body.
 */
function sendBodyVerbatim(command, body) {
    const text = JSON.stringify(body);
    stackOf(command).add((next) => async (args) => {
        args.request.body = text;
        // The SDK sets content-length later in this step; a stale one from a retry must not stay.
        delete args.request.headers['content-length'];
        delete args.request.headers['Content-Length'];
        return next(args);
    }, { step: 'build', name: 'ctpVerbatimJsonBody', priority: 'high', override: true });
    return command;
}
/**
 * Captures the response body of `command` as parsed JSON, before the SDK's deserializer (which
 * runs outside this middleware) reduces it to the members its model knows. The captured value is
 * available once `send` resolves.
 */
function captureResponseJson(command) {
    let captured;
    stackOf(command).add((next) => async (args) => {
        const result = await next(args);
        const { response } = result;
        const bytes = await readAll(response.body);
        // Hand the deserializer the same bytes: it accepts a Uint8Array as a body.
        response.body = bytes;
        if (response.statusCode !== undefined && response.statusCode < 300) {
            try {
                captured = JSON.parse(Buffer.from(bytes).toString('utf8'));
            }
            catch {
                captured = undefined;
            }
        }
        return result;
    }, { step: 'deserialize', name: 'ctpCaptureResponseJson', priority: 'low', override: true });
    return {
        command,
        json: () => {
            if (!captured)
                throw new Error('the raw JSON response was not captured (no successful response)');
            return captured;
        },
    };
}
async function readAll(body) {
    if (body === undefined || body === null)
        return new Uint8Array();
    if (body instanceof Uint8Array)
        return body;
    if (typeof body === 'string')
        return Buffer.from(body);
    const chunks = [];
    for await (const chunk of body)
        chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
    return Buffer.concat(chunks);
}

// EXTERNAL MODULE: ./shared/ecs/render-task-definition.ts
var render_task_definition = __webpack_require__(3340);
;// CONCATENATED MODULE: ./shared/ecs/register-task-definition.ts
/**
 * Reading and registering task definitions with every field intact: both directions go through
 * raw-json.ts so fields the SDK's model does not know survive the round trip.
 */




async function describeTaskDefinition(ecs, ref) {
    const { command, json } = captureResponseJson(new dist_cjs/* DescribeTaskDefinitionCommand */.Zy$({ taskDefinition: ref }));
    try {
        await ecs.send(command);
    }
    catch (error) {
        if (isClientException(error))
            throw new errors/* UserError */.yo(`Task definition '${ref}' was not found: ${error.message}`, { cause: error });
        throw error;
    }
    const raw = json().taskDefinition;
    if (!raw || typeof raw.taskDefinitionArn !== 'string')
        throw new Error(`DescribeTaskDefinition ${ref} answered without a task definition`);
    return { arn: raw.taskDefinitionArn, status: String(raw.status ?? 'ACTIVE'), document: (0,render_task_definition/* registrableTaskDefinition */.xH)(raw, ref) };
}
/** Registers `document` verbatim (plus `tags`) and returns the new revision's ARN. */
async function registerTaskDefinition(ecs, document, tags) {
    const documentTags = Array.isArray(document.tags) ? document.tags : [];
    const merged = new Map();
    for (const t of [...documentTags, ...tags])
        merged.set(t.key, t.value);
    const body = { ...document };
    if (merged.size > 0)
        body.tags = [...merged].map(([key, value]) => ({ key, value }));
    else
        delete body.tags;
    // The typed input is only what the SDK validates and serializes; the wire body is `body`.
    const command = sendBodyVerbatim(new dist_cjs/* RegisterTaskDefinitionCommand */.$Hl(body), body);
    try {
        const out = await ecs.send(command);
        const arn = out.taskDefinition?.taskDefinitionArn;
        if (!arn)
            throw new Error('RegisterTaskDefinition answered without a task definition ARN');
        return arn;
    }
    catch (error) {
        if (isClientException(error)) {
            throw new errors/* UserError */.yo(`ECS refused to register task definition family '${String(document.family)}': ${error.message}`, { cause: error });
        }
        throw error;
    }
}
async function tagResource(ecs, arn, tags) {
    if (tags.length === 0)
        return;
    await ecs.send(new dist_cjs/* TagResourceCommand */.eqU({ resourceArn: arn, tags: tags.map((t) => ({ key: t.key, value: t.value })) }));
}
function isClientException(error) {
    const name = error?.name ?? '';
    return name === 'ClientException' || name === 'InvalidParameterException';
}


/***/ }),

/***/ 3340:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   P9: () => (/* binding */ renderTaskDefinition),
/* harmony export */   _Z: () => (/* binding */ containerImages),
/* harmony export */   ik: () => (/* binding */ hasChanges),
/* harmony export */   xH: () => (/* binding */ registrableTaskDefinition)
/* harmony export */ });
/* unused harmony exports READ_ONLY_TASK_DEFINITION_FIELDS, containerNames, applyEnvironment, deepEqual */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1581);
/**
 * Rendering a task definition: a described (or hand-written) task definition in, the exact body
 * to register out. Nothing is rebuilt from a whitelist: every field is carried over verbatim,
 * including fields newer than the AWS SDK's model, and only the read-only fields that
 * DescribeTaskDefinition adds are dropped (ECS refuses them on RegisterTaskDefinition).
 * Pure: no SDK, no I/O, so the tables in the tests cover it.
 */

/** What DescribeTaskDefinition returns but RegisterTaskDefinition does not accept. */
const READ_ONLY_TASK_DEFINITION_FIELDS = [
    'taskDefinitionArn',
    'revision',
    'status',
    'requiresAttributes',
    'compatibilities',
    'registeredAt',
    'registeredBy',
    'deregisteredAt',
];
function hasChanges(changes) {
    return changes.images.size > 0 || changes.environment.size > 0;
}
/**
 * The registrable part of a task definition as DescribeTaskDefinition (or the AWS console's JSON
 * tab, or `aws ecs describe-task-definition > file.json`) gives it: the `{ taskDefinition: … }`
 * wrapper is unwrapped and the read-only fields are dropped. `tags` beside the wrapper are kept,
 * since RegisterTaskDefinition takes them.
 */
function registrableTaskDefinition(described, source) {
    if (!isObject(described))
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`The task definition from ${source} is not a JSON/YAML object.`);
    let document = described;
    if (isObject(described.taskDefinition) && described.containerDefinitions === undefined) {
        document = { ...described.taskDefinition, ...(Array.isArray(described.tags) && described.tags.length > 0 ? { tags: described.tags } : {}) };
    }
    const copy = structuredClone(document);
    for (const field of READ_ONLY_TASK_DEFINITION_FIELDS)
        delete copy[field];
    if (typeof copy.family !== 'string' || copy.family === '') {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`The task definition from ${source} has no \`family\`: ECS needs one to register a revision.`);
    }
    if (!Array.isArray(copy.containerDefinitions) || copy.containerDefinitions.length === 0 || !copy.containerDefinitions.every(isObject)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`The task definition from ${source} has no \`containerDefinitions\` list: ECS needs at least one container.`);
    }
    for (const [i, container] of copy.containerDefinitions.entries()) {
        if (typeof container.name !== 'string' || container.name === '') {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`The task definition from ${source}: container ${i + 1} has no \`name\`.`);
        }
    }
    return copy;
}
function containerNames(document) {
    return containers(document).map((c) => String(c.name));
}
function containerImages(document) {
    return containers(document).map((c) => ({ container: String(c.name), image: typeof c.image === 'string' ? c.image : '' }));
}
/**
 * Applies images and environment changes to a copy of `base`. Every container named in the
 * changes must exist; the error names the input, the container and the ones that do exist, and
 * is raised before anything could be registered.
 */
function renderTaskDefinition(base, changes) {
    const document = structuredClone(base);
    const defs = containers(document);
    const names = defs.map((c) => String(c.name));
    const family = String(document.family);
    const unknown = (input, line, container) => new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`Input '${input}' has an invalid value ${JSON.stringify(line)}: task definition family '${family}' has no container '${container}' (its containers: ${names.join(', ')}).`);
    for (const [container, image] of changes.images) {
        if (!names.includes(container))
            throw unknown('container-images', `${container}=${image}`, container);
    }
    for (const [container, vars] of changes.environment) {
        const first = [...vars.entries()][0];
        if (!names.includes(container))
            throw unknown('environment', `${container}.${first?.[0] ?? ''}=${first?.[1] ?? ''}`, container);
    }
    for (const def of defs) {
        const name = String(def.name);
        const image = changes.images.get(name);
        if (image !== undefined)
            def.image = image;
        const vars = changes.environment.get(name);
        if (vars)
            def.environment = applyEnvironment(def.environment, vars);
    }
    return {
        document,
        changed: !deepEqual(document, base),
        before: containerImages(base),
        after: containerImages(document),
    };
}
/** Changes in place of existing variables keep their position; new ones are appended in order. */
function applyEnvironment(current, changes) {
    const list = (Array.isArray(current) ? current : []).filter(isObject).map((e) => ({ ...e }));
    for (const [name, value] of changes) {
        const index = list.findIndex((e) => e.name === name);
        if (value === null) {
            if (index >= 0)
                list.splice(index, 1);
        }
        else if (index >= 0) {
            list[index].value = value;
        }
        else {
            list.push({ name, value });
        }
    }
    return list;
}
function containers(document) {
    return Array.isArray(document.containerDefinitions) ? document.containerDefinitions.filter(isObject) : [];
}
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function deepEqual(a, b) {
    if (a === b)
        return true;
    if (Array.isArray(a))
        return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
    if (isObject(a) && isObject(b)) {
        const ka = Object.keys(a).filter((k) => a[k] !== undefined);
        const kb = Object.keys(b).filter((k) => b[k] !== undefined);
        return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
    }
    return false;
}


/***/ })

};
