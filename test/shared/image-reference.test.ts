import { describe, expect, it } from 'vitest';
import { InputError } from '../../shared/core/errors.js';
import { isImageId, parseImageInput, registryOfImage, splitImageReference } from '../../shared/image/reference.js';

// Docker's reference grammar (distribution/reference): the cases its own tests and the CLI's
// splitDockerDomain treat as the edges — ports, IPv6, upper-case first components, separators.
const HEX64 = 'a'.repeat(64);

describe('image references', () => {
  it.each([
    ['maven:3', { name: 'maven', registry: 'docker.io', path: 'library/maven', tag: '3' }],
    ['acme/app', { name: 'acme/app', registry: 'docker.io', path: 'acme/app' }],
    ['127.0.0.1:5000/builder:1.2-x_y', { name: '127.0.0.1:5000/builder', registry: '127.0.0.1:5000', path: 'builder', tag: '1.2-x_y' }],
    ['localhost/a/b', { name: 'localhost/a/b', registry: 'localhost', path: 'a/b' }],
    ['Registry/app', { name: 'Registry/app', registry: 'Registry', path: 'app' }],
    ['[::1]:5000/app:v1', { name: '[::1]:5000/app', registry: '[::1]:5000', path: 'app', tag: 'v1' }],
    [`ghcr.io/a/b__c.d---e@sha256:${HEX64}`, { name: 'ghcr.io/a/b__c.d---e', registry: 'ghcr.io', path: 'a/b__c.d---e', digest: `sha256:${HEX64}` }],
    [`app:v1@sha256:${HEX64}`, { name: 'app', registry: 'docker.io', path: 'library/app', tag: 'v1', digest: `sha256:${HEX64}` }],
  ])('%s', (value, expected) => {
    expect(splitImageReference(value)).toEqual({ given: value, ...expected });
  });

  it.each([
    ['--privileged', /starts with `-`/],
    ['-v/:/host', /starts with `-`/],
    ['maven 3', /white space/],
    ['', /empty/],
    ['Maven:3', /path component "Maven"/],
    ['app:-x', /the tag "-x"/],
    [`app:${'x'.repeat(129)}`, /the tag/],
    ['app@sha256:abc', /the digest/],
    ['a//b', /empty/],
    ['host.io/', /empty/],
    ['host_x.io/app', /the registry "host_x.io"/],
    ['a/b-', /path component "b-"/],
    [`${'a'.repeat(256)}`, /256 characters/],
  ])('refuses %j', (value, why) => {
    expect(() => splitImageReference(value)).toThrow(why);
  });

  it('an image input error names the input, the value and the grammar', () => {
    let error: unknown;
    try {
      parseImageInput('--privileged', 'container-image');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/container-image/);
    expect((error as Error).message).toMatch(/--privileged/);
    expect((error as Error).message).toMatch(/\[registry\[:port\]\/\]path\[:tag\]\[@digest\]/);
  });

  it('accepts image IDs, with or without the algorithm', () => {
    expect(parseImageInput(`sha256:${HEX64}`, 'image')).toEqual({ given: `sha256:${HEX64}`, id: `sha256:${HEX64}` });
    expect(parseImageInput(HEX64, 'image')).toEqual({ given: HEX64, id: `sha256:${HEX64}` });
    expect(isImageId(`sha256:${HEX64}`)).toBe(true);
    expect(isImageId('sha256:abc')).toBe(false);
  });

  it.each([
    ['maven:3', 'docker.io'],
    ['127.0.0.1:5000/b', '127.0.0.1:5000'],
    ['localhost/b', 'localhost'],
    ['acme/app:1', 'docker.io'],
  ])('%s is pulled from %s', (value, registry) => {
    expect(registryOfImage(value)).toBe(registry);
  });
});
