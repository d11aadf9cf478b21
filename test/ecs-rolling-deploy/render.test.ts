/** Rendering and input parsing: tables of input → result, no I/O. */
import { describe, expect, it } from 'vitest';
import { Inputs } from '../../shared/core/inputs.js';
import { applyEnvironment, registrableTaskDefinition, renderTaskDefinition, type TaskDefinitionChanges } from '../../shared/ecs/render-task-definition.js';
import { readTaskDefinitionChanges } from '../../actions/ecs-rolling-deploy/src/inputs.js';
import { classifyTaskDefinitionInput, revisionName, revisionNumber } from '../../shared/ecs/task-definition-source.js';
import { imageDigest, mergeTags, provenanceTags, sanitizeTagValue } from '../../shared/ecs/revision-tags.js';

const described = {
  taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/payments:7',
  revision: 7,
  status: 'ACTIVE',
  requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' }],
  compatibilities: ['EC2', 'FARGATE'],
  registeredAt: '2026-01-01T00:00:00.000Z',
  registeredBy: 'arn:aws:iam::123456789012:role/deployer',
  deregisteredAt: undefined,
  family: 'payments',
  cpu: '256',
  runtimePlatform: { operatingSystemFamily: 'LINUX' },
  aFieldFromTheFuture: { nested: [1, 2, 3] },
  containerDefinitions: [
    {
      name: 'app',
      image: 'repo/app:1',
      environment: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
      restartPolicy: { enabled: true },
    },
    { name: 'sidecar', image: 'repo/sidecar:1' },
  ],
};

const changes = (images: Record<string, string> = {}, env: Record<string, Record<string, string | null>> = {}): TaskDefinitionChanges => ({
  images: new Map(Object.entries(images)),
  environment: new Map(Object.entries(env).map(([c, vars]) => [c, new Map(Object.entries(vars))])),
});

describe('registrableTaskDefinition', () => {
  it('drops exactly the read-only fields and keeps every other one, known to the SDK or not', () => {
    const doc = registrableTaskDefinition(described, 'test');
    expect(Object.keys(doc).sort()).toEqual(['aFieldFromTheFuture', 'containerDefinitions', 'cpu', 'family', 'runtimePlatform']);
    expect(doc.aFieldFromTheFuture).toEqual({ nested: [1, 2, 3] });
  });

  it('unwraps the `{ taskDefinition, tags }` shape describe-task-definition prints', () => {
    const doc = registrableTaskDefinition({ taskDefinition: described, tags: [{ key: 'team', value: 'pay' }] }, 'file.json');
    expect(doc.family).toBe('payments');
    expect(doc.tags).toEqual([{ key: 'team', value: 'pay' }]);
    expect(doc.taskDefinitionArn).toBeUndefined();
  });

  it.each([
    [[], 'is not a JSON/YAML object'],
    [{ containerDefinitions: [{ name: 'a', image: 'b' }] }, 'has no `family`'],
    [{ family: 'f' }, 'has no `containerDefinitions` list'],
    [{ family: 'f', containerDefinitions: [{ image: 'b' }] }, 'container 1 has no `name`'],
  ])('refuses %j: %s', (input, message) => {
    expect(() => registrableTaskDefinition(input, 'taskdef.json')).toThrow(message);
  });
});

describe('renderTaskDefinition', () => {
  const base = registrableTaskDefinition(described, 'test');

  it.each([
    ['no changes', changes(), false, ['repo/app:1', 'repo/sidecar:1']],
    ['one image', changes({ app: 'repo/app:2' }), true, ['repo/app:2', 'repo/sidecar:1']],
    ['several images', changes({ app: 'repo/app:2', sidecar: 'repo/sidecar:9' }), true, ['repo/app:2', 'repo/sidecar:9']],
    ['the same image', changes({ app: 'repo/app:1' }), false, ['repo/app:1', 'repo/sidecar:1']],
  ])('%s', (_name, c, changed, images) => {
    const rendered = renderTaskDefinition(base, c);
    expect(rendered.changed).toBe(changed);
    expect(rendered.after.map((i) => i.image)).toEqual(images);
    expect(rendered.before.map((i) => i.image)).toEqual(['repo/app:1', 'repo/sidecar:1']);
    expect(rendered.document.aFieldFromTheFuture).toEqual({ nested: [1, 2, 3] });
    expect((rendered.document.containerDefinitions as { restartPolicy?: unknown }[])[0]!.restartPolicy).toEqual({ enabled: true });
  });

  it('does not modify its input', () => {
    const copy = structuredClone(base);
    renderTaskDefinition(base, changes({ app: 'x' }, { app: { A: null } }));
    expect(base).toEqual(copy);
  });

  it.each([
    [
      changes({ web: 'x' }),
      `Input 'container-images' has an invalid value "web=x": task definition family 'payments' has no container 'web' (its containers: app, sidecar).`,
    ],
    [
      changes({}, { worker: { LEVEL: 'debug' } }),
      `Input 'environment' has an invalid value "worker.LEVEL=debug": task definition family 'payments' has no container 'worker' (its containers: app, sidecar).`,
    ],
  ])('names an unknown container', (c, message) => {
    expect(() => renderTaskDefinition(base, c)).toThrow(message);
  });
});

describe('applyEnvironment', () => {
  const current = [
    { name: 'A', value: '1' },
    { name: 'B', value: '2' },
  ];
  it.each([
    [
      'change in place',
      { B: '3' },
      [
        { name: 'A', value: '1' },
        { name: 'B', value: '3' },
      ],
    ],
    [
      'append',
      { C: 'x=y' },
      [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
        { name: 'C', value: 'x=y' },
      ],
    ],
    ['remove', { A: null }, [{ name: 'B', value: '2' }]],
    ['remove a missing one', { Z: null }, current],
  ] as const)('%s', (_name, change, expected) => {
    expect(applyEnvironment(current, new Map(Object.entries(change)))).toEqual(expected);
  });
  it('starts a list where there was none', () => {
    expect(applyEnvironment(undefined, new Map([['X', '1']]))).toEqual([{ name: 'X', value: '1' }]);
  });
});

describe('readTaskDefinitionChanges', () => {
  const read = (images: string, environment: string) =>
    readTaskDefinitionChanges(new Inputs({ 'INPUT_CONTAINER-IMAGES': images, INPUT_ENVIRONMENT: environment }));

  it('splits on the first = only and groups variables by container', () => {
    const c = read('app=repo/app@sha256:abc\nsidecar = repo/side:2', 'app.DSN=postgres://u@h/db?sslmode=require\napp.OLD=\nsidecar.LEVEL=a=b');
    expect([...c.images]).toEqual([
      ['app', 'repo/app@sha256:abc'],
      ['sidecar', 'repo/side:2'],
    ]);
    expect([...c.environment.get('app')!]).toEqual([
      ['DSN', 'postgres://u@h/db?sslmode=require'],
      ['OLD', null],
    ]);
    expect([...c.environment.get('sidecar')!]).toEqual([['LEVEL', 'a=b']]);
  });

  it.each([
    ['app', '', /Input 'container-images' has an invalid value "app"/],
    ['app=', '', /Input 'container-images' has an invalid value "app="/],
    ['my.app=x', '', /a container name/],
    ['', 'NAME=x', /Input 'environment' has an invalid value "NAME=x": expected `KEY=VALUE` lines where KEY is `container.NAME`/],
  ])('refuses images %j / environment %j', (images, environment, message) => {
    expect(() => read(images, environment)).toThrow(message);
  });
});

describe('classifyTaskDefinitionInput', () => {
  const files = new Set(['taskdef.json', 'payments']);
  it.each([
    [undefined, 'service'],
    ['  ', 'service'],
    ['arn:aws:ecs:eu-west-1:123456789012:task-definition/payments:7', 'existing'],
    ['arn:aws:ecs:eu-west-1:123456789012:task-definition/payments', 'existing'],
    ['payments:7', 'existing'],
    ['checkout', 'existing'],
    ['payments', 'document'], // a file of that name wins
    ['taskdef.json', 'document'],
    ['deploy/taskdef.yaml', 'document'],
    ['{"family":"x"}', 'document'],
  ] as const)('%j → %s', (text, kind) => {
    expect(classifyTaskDefinitionInput(text, (name) => files.has(name))).toBe(kind);
  });

  it.each([
    ['arn:aws:ecs:eu-west-1:123456789012:task-definition/payments:7', 'payments:7', 7],
    ['payments:12', 'payments:12', 12],
    ['payments', 'payments', undefined],
  ])('%s is revision %s', (arn, name, number) => {
    expect(revisionName(arn)).toBe(name);
    expect(revisionNumber(arn)).toBe(number);
  });
});

describe('revision tags', () => {
  it('records sha, ref, run and image digests, sanitized to what ECS accepts', () => {
    const tags = provenanceTags({
      sha: 'abc123',
      ref: 'refs/heads/feature/ünïcode#1',
      runUrl: 'https://github.com/acme/pay/actions/runs/1?x=1&y=2',
      images: [
        { container: 'app', image: `repo/app@sha256:${'0'.repeat(64)}` },
        { container: 'side', image: 'repo/side:latest' },
      ],
    });
    expect(tags).toEqual([
      { key: 'commit-to-prod:sha', value: 'abc123' },
      { key: 'commit-to-prod:ref', value: 'refs/heads/feature/ünïcode_1' },
      { key: 'commit-to-prod:run', value: 'https://github.com/acme/pay/actions/runs/1_x=1_y=2' },
      { key: 'commit-to-prod:image:app', value: `sha256:${'0'.repeat(64)}` },
      { key: 'commit-to-prod:image:side', value: 'repo/side:latest' },
    ]);
  });

  it.each([
    ['plain value', 'plain value'],
    ['a,b;c', 'a_b_c'],
    ['x'.repeat(300), 'x'.repeat(256)],
  ])('sanitizes %j', (value, expected) => {
    expect(sanitizeTagValue(value)).toBe(expected);
  });

  it.each([
    [`r@sha256:${'a'.repeat(64)}`, `sha256:${'a'.repeat(64)}`],
    ['r:1', undefined],
    ['r@sha256:short', undefined],
  ])('digest of %s', (image, digest) => {
    expect(imageDigest(image)).toBe(digest);
  });

  it('lets later lists win and drops what exceeds 50 tags', () => {
    const many = Array.from({ length: 52 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    const { tags, dropped } = mergeTags([{ key: 'k0', value: 'default' }], many);
    expect(tags).toHaveLength(50);
    expect(tags[0]).toEqual({ key: 'k0', value: 'v' });
    expect(dropped).toEqual(['k50', 'k51']);
  });
});

describe('secrets and docker-labels', () => {
  const base = registrableTaskDefinition(
    {
      family: 'payments',
      containerDefinitions: [
        {
          name: 'app',
          image: 'repo/app:1',
          secrets: [{ name: 'DB', valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/db' }],
          dockerLabels: { team: 'pay', old: 'x' },
        },
      ],
    },
    'test',
  );
  const map = (entries: Record<string, string | null>) => new Map(Object.entries(entries));

  it('sets, replaces and removes entries, keeping every other field', () => {
    const rendered = renderTaskDefinition(base, {
      images: new Map(),
      environment: new Map(),
      secrets: new Map([['app', map({ DB: null, API: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:api' })]]),
      dockerLabels: new Map([['app', map({ old: null, release: '42' })]]),
    });
    const app = (rendered.document.containerDefinitions as Record<string, unknown>[])[0]!;
    expect(rendered.changed).toBe(true);
    expect(app.secrets).toEqual([{ name: 'API', valueFrom: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:api' }]);
    expect(app.dockerLabels).toEqual({ team: 'pay', release: '42' });
    expect(app.image).toBe('repo/app:1');
  });

  it('names the input for an unknown container', () => {
    expect(() => renderTaskDefinition(base, { images: new Map(), environment: new Map(), dockerLabels: new Map([['web', map({ release: '1' })]]) })).toThrow(
      `Input 'docker-labels' has an invalid value "web.release=1": task definition family 'payments' has no container 'web' (its containers: app).`,
    );
  });

  it('refuses a secret value that is not an ARN, naming the input', () => {
    const inputs = new Inputs({ INPUT_SECRETS: 'app.DB=hunter2' });
    expect(() => readTaskDefinitionChanges(inputs)).toThrow("'secrets'");
    expect(() => readTaskDefinitionChanges(inputs)).not.toThrow('hunter2');
  });
});

describe('command, env-files, log-driver and log-options', () => {
  const base = registrableTaskDefinition(
    {
      family: 'payments',
      containerDefinitions: [
        {
          name: 'app',
          image: 'repo/app:1',
          command: ['serve'],
          environmentFiles: [{ value: 'arn:aws:s3:::cfg/old.env', type: 's3' }],
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/pay', 'awslogs-region': 'eu-west-1' }, secretOptions: [] },
        },
        { name: 'sidecar', image: 'repo/sidecar:1' },
      ],
    },
    'test',
  );
  const read = (env: Record<string, string>) => readTaskDefinitionChanges(new Inputs(env));
  const app = (doc: Record<string, unknown>) => (doc.containerDefinitions as Record<string, unknown>[])[0]!;
  const sidecar = (doc: Record<string, unknown>) => (doc.containerDefinitions as Record<string, unknown>[])[1]!;

  it.each([
    ['app=bin/migrate up', ['bin/migrate', 'up']],
    ['app=  bin/migrate   up  ', ['bin/migrate', 'up']],
    ['app=["sh","-c","echo a=b && run"]', ['sh', '-c', 'echo a=b && run']],
  ])('reads command %j', (line, command) => {
    expect(read({ INPUT_COMMAND: line }).command?.get('app')).toEqual(command);
  });

  it.each([
    ['INPUT_COMMAND', 'app=["a", 1]', "Input 'command'", 'JSON array of strings'],
    ['INPUT_COMMAND', 'app=[oops', "Input 'command'", 'JSON array of strings'],
    ['INPUT_COMMAND', 'bin/migrate up', "Input 'command'", 'KEY=VALUE'],
    ['INPUT_ENV-FILES', 'app=s3://cfg/app.env', "Input 'env-files'", 'S3 object ARN'],
    ['INPUT_ENV-FILES', 'app=arn:aws:s3:::cfg/app.txt', "Input 'env-files'", '`.env` file'],
    ['INPUT_LOG-DRIVER', 'app=loki', "Input 'log-driver'", 'awslogs'],
    ['INPUT_LOG-OPTIONS', 'awslogs-group=/x', "Input 'log-options'", 'container.NAME'],
  ])('%s %j: names the input', (name, value, input, expected) => {
    expect(() => read({ [name]: value })).toThrow(input);
    expect(() => read({ [name]: value })).toThrow(expected);
  });

  it('refuses more than ten environment files for a container', () => {
    const lines = Array.from({ length: 11 }, (_, i) => `app=arn:aws:s3:::cfg/${i}.env`).join('\n');
    expect(() => read({ 'INPUT_ENV-FILES': lines })).toThrow("at most 10 environment files for container 'app'");
  });

  it('renders every one of them, every other field kept', () => {
    const rendered = renderTaskDefinition(
      base,
      read({
        INPUT_COMMAND: 'app=["bin/migrate","up"]\nsidecar=tail -f /dev/null',
        'INPUT_ENV-FILES': 'app=arn:aws:s3:::cfg/a.env\napp=arn:aws:s3:::cfg/b.env',
        'INPUT_LOG-OPTIONS': 'app.awslogs-stream-prefix=pay\napp.awslogs-region=',
      }),
    );
    expect(app(rendered.document)).toEqual({
      name: 'app',
      image: 'repo/app:1',
      command: ['bin/migrate', 'up'],
      environmentFiles: [
        { value: 'arn:aws:s3:::cfg/a.env', type: 's3' },
        { value: 'arn:aws:s3:::cfg/b.env', type: 's3' },
      ],
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/pay', 'awslogs-stream-prefix': 'pay' }, secretOptions: [] },
    });
    expect(sidecar(rendered.document)).toEqual({ name: 'sidecar', image: 'repo/sidecar:1', command: ['tail', '-f', '/dev/null'] });
  });

  it('removes with an empty value: the command, the files, the whole log configuration', () => {
    const rendered = renderTaskDefinition(base, read({ INPUT_COMMAND: 'app=', 'INPUT_ENV-FILES': 'app=', 'INPUT_LOG-DRIVER': 'app=' }));
    expect(app(rendered.document)).toEqual({ name: 'app', image: 'repo/app:1' });
  });

  it("a new driver starts from the options given with it, not the old driver's", () => {
    const rendered = renderTaskDefinition(
      base,
      read({ 'INPUT_LOG-DRIVER': 'app=fluentd\nsidecar=awslogs', 'INPUT_LOG-OPTIONS': 'app.tag=pay\nsidecar.awslogs-group=/side' }),
    );
    expect(app(rendered.document).logConfiguration).toEqual({ logDriver: 'fluentd', options: { tag: 'pay' } });
    expect(sidecar(rendered.document).logConfiguration).toEqual({ logDriver: 'awslogs', options: { 'awslogs-group': '/side' } });
  });

  it('refuses options for a container without a log driver, and unknown containers, naming the input', () => {
    expect(() => renderTaskDefinition(base, read({ 'INPUT_LOG-OPTIONS': 'sidecar.tag=x' }))).toThrow(
      `Input 'log-options' has an invalid value "sidecar.tag=x": expected options for a container with a log driver: container 'sidecar' has no logConfiguration`,
    );
    expect(() => renderTaskDefinition(base, read({ INPUT_COMMAND: 'web=run' }))).toThrow(
      `Input 'command' has an invalid value "web=run": task definition family 'payments' has no container 'web'`,
    );
    expect(() => renderTaskDefinition(base, read({ 'INPUT_ENV-FILES': 'web=arn:aws:s3:::cfg/a.env' }))).toThrow("Input 'env-files'");
  });
});
