import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInputs } from '../../actions/run-test-tier/src/inputs.js';
import { Inputs, inputEnvName } from '../../shared/core/inputs.js';

// run-test-tier's `container-image` goes through Docker's reference grammar before anything
// runs: an option-looking value is an input error naming the input, never a docker flag.
const workspace = mkdtempSync(path.join(tmpdir(), 'rtt-image-ws-'));
const read = (image: string) =>
  readInputs(
    new Inputs({
      [inputEnvName('tier')]: 'unit',
      [inputEnvName('run')]: 'true',
      [inputEnvName('reports')]: '**/TEST-*.xml',
      [inputEnvName('container-image')]: image,
    }),
    { GITHUB_WORKSPACE: workspace },
  );

describe('run-test-tier container-image', () => {
  it.each(['--privileged', '-v/:/host', 'Maven:3', 'maven 3'])('refuses %j as an input error', (image) => {
    expect(() => read(image)).toThrow(/Input 'container-image' has an invalid value .*expected an image reference/);
  });
  it.each(['maven:3', `127.0.0.1:5000/jdk@sha256:${'a'.repeat(64)}`])('accepts %s', (image) => {
    expect(read(image).containerImage).toBe(image);
  });
});
