import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { materializeSecrets, parseBuildSecret } from '../../shared/docker/build-secrets.js';
import { parseCacheEntry, unsupportedWithoutBuildx } from '../../shared/docker/cache-spec.js';

describe('build secrets', () => {
  it.each([
    ['id=npm,env=NPM_TOKEN', { id: 'npm', env: 'NPM_TOKEN' }],
    ['id=netrc,src=conf/.netrc', { id: 'netrc', src: '/ws/conf/.netrc' }],
    ['type=file,id=k.ey,source=/abs/key', { id: 'k.ey', src: '/abs/key' }],
    ['id=t,type=env,env=T', { id: 't', env: 'T' }],
  ])('%s', (line, expected) => {
    expect(parseBuildSecret(line, '/ws')).toEqual(expected);
  });
  it.each([
    ['env=NPM_TOKEN', /an id/],
    ['id=npm', /exactly one of env/],
    ['id=npm,env=A,src=b', /exactly one of env/],
    ['id=npm,env=1BAD', /not a variable name/],
    ['id=npm,value=s3cr3t', /unknown key "value"/],
    ['id=a b,env=X', /an id/],
    ['id=a,id=b,env=X', /given twice/],
    ['id=a,type=file,env=X', /does not match/],
    ['npm', /not key=value/],
  ])('refuses %s', (line, why) => {
    expect(() => parseBuildSecret(line, '/ws')).toThrow(why);
  });
  it('writes env secrets to private files and removes them; src secrets are passed as they are', () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'ctp-secrets-test-'));
    const { mounts, remove } = materializeSecrets(
      [
        { id: 'tok', env: 'THE_TOKEN' },
        { id: 'rc', src: '/etc/hostname' },
      ],
      { THE_TOKEN: 'value-1' },
      parent,
    );
    expect(mounts[1]).toEqual({ id: 'rc', file: '/etc/hostname' });
    const file = mounts[0]!.file;
    expect(readFileSync(file, 'utf8')).toBe('value-1');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    remove();
    expect(existsSync(path.dirname(file))).toBe(false);
    expect(() => materializeSecrets([{ id: 'tok', env: 'UNSET_HERE' }], {}, parent)).toThrow(/UNSET_HERE is not set/);
  });
});

describe('cache entries', () => {
  it.each([
    ['r/app:cache', 'from', { type: 'registry', ref: 'r/app:cache' }, undefined],
    ['type=registry,ref=r/app:cache', 'from', { type: 'registry', ref: 'r/app:cache' }, undefined],
    ['type=gha', 'from', { type: 'other', kind: 'gha' }, 'type=gha'],
    ['type=inline', 'to', { type: 'inline' }, undefined],
    ['type=registry,ref=r/app:cache,mode=max', 'to', { type: 'registry', ref: 'r/app:cache' }, /type=registry export/],
    ['type=local,dest=/tmp/c', 'to', { type: 'other', kind: 'local' }, 'type=local'],
  ] as const)('%s (%s)', (line, direction, expected, without) => {
    const entry = parseCacheEntry(line, direction);
    expect(entry).toMatchObject({ ...expected, given: line });
    const why = unsupportedWithoutBuildx(entry, direction);
    if (without === undefined) expect(why).toBeUndefined();
    else expect(why).toMatch(without);
  });
  it.each([
    ['r/app:cache', 'to', /no type=/],
    ['type=registry', 'from', /needs ref=/],
    ['mode=max', 'to', /no type=/],
  ] as const)('refuses %s (%s)', (line, direction, why) => {
    expect(() => parseCacheEntry(line, direction)).toThrow(why);
  });
});
