import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dockerfileStages, readInputs } from '../../actions/build-push-image/src/inputs.js';
import { gitContextFrom } from '../../shared/github/git-context.js';
import { Inputs } from '../../shared/core/inputs.js';

// Which login an `image` / `registry-type` / `aws-region` / environment combination selects.
const workspace = mkdtempSync(path.join(tmpdir(), 'ctp-bpi-inputs-'));
writeFileSync(path.join(workspace, 'Dockerfile'), 'FROM scratch\n');
const git = gitContextFrom({ GITHUB_REF: 'refs/heads/main', GITHUB_SHA: 'a'.repeat(40) }, {});
const read = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
  readInputs(
    new Inputs(Object.fromEntries(Object.entries({ tags: 'short-sha', ...inputs }).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]))),
    git,
    env,
    workspace,
  );

const ECR = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments-api';
describe('login selection', () => {
  it.each<[string, Record<string, string>, Record<string, string>, object]>([
    [
      'ECR host: region from the host',
      { image: ECR },
      { AWS_REGION: 'us-east-1' },
      { kind: 'ecr', region: 'eu-west-1', accountId: '123456789012', regionFrom: `the registry host ${ECR.split('/')[0]}` },
    ],
    ['ECR host: the input wins', { image: ECR, 'aws-region': 'eu-central-1' }, {}, { kind: 'ecr', region: 'eu-central-1', regionFrom: "input 'aws-region'" }],
    [
      'forced ECR: region from AWS_DEFAULT_REGION',
      { image: '127.0.0.1:5000/app', 'registry-type': 'ecr' },
      { AWS_DEFAULT_REGION: 'ap-south-1' },
      { kind: 'ecr', region: 'ap-south-1', regionFrom: 'AWS_DEFAULT_REGION' },
    ],
    [
      'plain host with credentials',
      { image: '127.0.0.1:5000/app', 'registry-username': 'u', 'registry-password': ' p w ' },
      {},
      { kind: 'basic', username: 'u', password: ' p w ' },
    ],
    ['plain host without credentials', { image: 'ghcr.io/acme/app' }, {}, { kind: 'none' }],
    [
      'basic forced on an ECR host',
      { image: ECR, 'registry-type': 'basic', 'registry-username': 'AWS', 'registry-password': 'tok' },
      {},
      { kind: 'basic', username: 'AWS' },
    ],
  ])('%s', (_name, inputs, env, login) => {
    expect(read(inputs, env).login).toMatchObject(login);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    [
      'ECR host plus a password',
      { image: ECR, 'registry-username': 'AWS', 'registry-password': 'x' },
      /^Input 'registry-username' .*ECR credentials come from GetAuthorizationToken/,
    ],
    ['a bad region', { image: ECR, 'aws-region': 'Ireland' }, /^Input 'aws-region' has an invalid value "Ireland"/],
    [
      'an unknown registry type',
      { image: ECR, 'registry-type': 'gcr' },
      /^Input 'registry-type' has an invalid value "gcr": expected one of `auto`, `ecr`, `basic`/,
    ],
    [
      'a username without a password',
      { image: '127.0.0.1:5000/app', 'registry-username': 'u' },
      /^Input 'registry-password' is required: expected a password or token to go with `registry-username` 'u'/,
    ],
    ['a bad platform', { image: '127.0.0.1:5000/app', platforms: 'amd64' }, /^Input 'platforms' has an invalid value "amd64"/],
    ['a bad build-arg name', { image: '127.0.0.1:5000/app', 'build-args': 'MY-ARG=1' }, /^Input 'build-args' .*build argument name/],
    ['a remote context', { image: '127.0.0.1:5000/app', context: 'https://github.com/acme/app.git' }, /^Input 'context' .*remote contexts are not supported/],
    [
      'no template applies',
      { image: '127.0.0.1:5000/app', tags: 'semver\nlatest-ish-{{semver}}' },
      /^Input 'tags' gave no tag for refs\/heads\/main: semver \(refs\/heads\/main is not a tag\); latest-ish-\{\{semver\}\} \(refs\/heads\/main is not a tag\)/,
    ],
  ])('refuses %s', (_name, inputs, message) => {
    expect(() => read(inputs)).toThrow(message);
  });
});

describe('Dockerfile stages', () => {
  it.each([
    ['FROM a AS build\nFROM --platform=$BUILDPLATFORM b as Runtime\nFROM build\n', ['build', 'runtime']],
    ['FROM scratch\n', []],
  ])('%j → %j', (dockerfile, stages) => {
    expect(dockerfileStages(dockerfile)).toEqual(stages);
  });
});
