import { describe, expect, it } from 'vitest';
import { parseVolume } from '../../actions/build-in-container/src/inputs.js';

const ws = '/home/runner/work/app/app';

describe('parseVolume: `volumes` lines → mounts', () => {
  it.each([
    ['/var/run/docker.sock:/var/run/docker.sock', { source: '/var/run/docker.sock', target: '/var/run/docker.sock' }],
    ['./config:/etc/app:ro', { source: `${ws}/config`, target: '/etc/app', readOnly: true }],
    ['gradle-wrapper:/opt/gradle/:rw', { source: 'gradle-wrapper', target: '/opt/gradle' }],
  ])('%s', (line, mount) => {
    expect(parseVolume(line, ws)).toEqual(mount);
  });

  it.each([
    ['no-target', /expected `source:target`/],
    ['/a:relative', /expected `source:target`/],
    ['/a:/b:rx', /expected `source:target`/],
    ['bad name!:/b', /expected `source:target`/],
    [`/tmp:${ws}`, /a target other than the workspace/],
    ['/tmp:/', /a target other than the workspace/],
    ['/tmp:/__ctp/home', /a target other than the workspace/],
  ])('refuses %j', (line, message) => {
    expect(() => parseVolume(line, ws)).toThrow(message);
  });
});
