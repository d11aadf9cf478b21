import { describe, expect, it } from 'vitest';
import { containerRunArgs, parseDockerRunOptions, splitArguments, type ContainerRunSpec } from '../../shared/container/run-args.js';

const base: ContainerRunSpec = {
  image: 'sha256:abc',
  name: 'ctp-build-1',
  user: '1001:121',
  entrypoint: 'sh',
  command: ['-e', '/__ctp/script'],
  workdir: '/home/runner/work/app/app',
  mounts: [{ source: '/home/runner/work/app/app', target: '/home/runner/work/app/app' }],
};

describe('containerRunArgs: spec → docker run arguments', () => {
  it.each<[string, Partial<ContainerRunSpec>, string[]]>([
    [
      'the minimum: removed, named, never pulled, init, user, workdir, workspace, entrypoint last',
      {},
      [
        'run',
        '--rm',
        '--name',
        'ctp-build-1',
        '--pull',
        'never',
        '--init',
        '--user',
        '1001:121',
        '--workdir',
        '/home/runner/work/app/app',
        '--volume',
        '/home/runner/work/app/app:/home/runner/work/app/app',
        '--entrypoint',
        'sh',
        '--',
        'sha256:abc',
        '-e',
        '/__ctp/script',
      ],
    ],
    [
      'labels, read-only mount, env file, client env names, network, extra options before the entrypoint',
      {
        labels: { 'commit-to-prod.container': 'ctp-build-1' },
        mounts: [{ source: 'vol', target: '/cache', readOnly: true }],
        envFile: '/tmp/r/env',
        envFromClient: ['MULTI'],
        network: 'host',
        options: ['--cpus', '2'],
        init: false,
      },
      [
        'run',
        '--rm',
        '--name',
        'ctp-build-1',
        '--pull',
        'never',
        '--label',
        'commit-to-prod.container=ctp-build-1',
        '--user',
        '1001:121',
        '--workdir',
        '/home/runner/work/app/app',
        '--volume',
        'vol:/cache:ro',
        '--env-file',
        '/tmp/r/env',
        '--env',
        'MULTI',
        '--network',
        'host',
        '--cpus',
        '2',
        '--entrypoint',
        'sh',
        '--',
        'sha256:abc',
        '-e',
        '/__ctp/script',
      ],
    ],
  ])('%s', (_title, overrides, expected) => {
    expect(containerRunArgs({ ...base, ...overrides })).toEqual(expected);
  });

  it('refuses a mount path with a colon rather than mounting something else', () => {
    expect(() => containerRunArgs({ ...base, mounts: [{ source: '/a:b', target: '/c' }] })).toThrow(/contains ':'/);
  });
});

describe('parseDockerRunOptions: user flags, validated', () => {
  it.each<[string, string[]]>([
    ['', []],
    ['--cpus 2 --memory=1g', ['--cpus', '2', '--memory=1g']],
    ['--init --privileged\n--shm-size 1g', ['--init', '--privileged', '--shm-size', '1g']],
    ['-e "A=b c" -it', ['-e', 'A=b c', '-it']],
    ["--add-host 'db:127.0.0.1' -p8080:80", ['--add-host', 'db:127.0.0.1', '-p8080:80']],
    ['--tmpfs /tmp', ['--tmpfs', '/tmp']],
    ['--label team=payments -lowner=me', ['--label', 'team=payments', '-lowner=me']],
  ])('accepts %j', (text, expected) => {
    expect(parseDockerRunOptions(text)).toEqual(expected);
  });

  it.each<[string, RegExp]>([
    ['--entrypoint /bin/bash', /--entrypoint.*not allowed.*shell/],
    ['-v /:/host', /-v.*not allowed.*mounts/],
    ['--volume=/:/host', /--volume=\/:\/host.*not allowed/],
    ['-itv/etc:/etc', /-itv\/etc:\/etc.*not allowed.*mounts/],
    ['--mount type=bind,src=/,dst=/host', /--mount.*not allowed/],
    ['--user 0', /--user.*not allowed.*`user` input/],
    ['-u root', /-u.*not allowed.*`user` input/],
    ['-w /', /not allowed.*working directory/],
    ['--name x', /not allowed.*names the container/],
    ['--rm', /not allowed/],
    ['-d', /not allowed/],
    ['--network host', /`network` input/],
    ['--pull always', /`pull` input/],
    ['ubuntu', /`ubuntu` is not a flag/],
    ['--label commit-to-prod.container=other', /`commit-to-prod\.\*` labels are how the action finds its containers/],
    ['--label=commit-to-prod.run-id=1', /not allowed/],
    ['-l commit-to-prod.x=1', /not allowed/],
    ['-lcommit-to-prod.x=1', /not allowed/],
    ['--label-file labels.txt', /not allowed/],
    ['--cpus', /`--cpus` needs a value/],
    ['-Z', /`-Z`.*not a docker run flag/],
    ['--label "unterminated', /unterminated/],
  ])('refuses %j', (text, message) => {
    expect(() => parseDockerRunOptions(text)).toThrow(message);
  });
});

describe('splitArguments: words without a shell', () => {
  it.each<[string, string[]]>([
    ['sh -e', ['sh', '-e']],
    ['bash  -eo pipefail {0}', ['bash', '-eo', 'pipefail', '{0}']],
    [`a "b c" 'd "e"' f\\ g ""`, ['a', 'b c', 'd "e"', 'f g', '']],
    ['$HOME `x`', ['$HOME', '`x`']],
  ])('%j', (text, expected) => {
    expect(splitArguments(text)).toEqual(expected);
  });
});
