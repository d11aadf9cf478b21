/**
 * Tiny images pushed to the local registry through its HTTP API v2 (no Docker needed): one layer
 * and a config, under the repository and tag given, and deleted again so the shared registry
 * stays clean. For the ECR emulator's tests and the deploy's preflight.
 */
import { createHash } from 'node:crypto';
import type { RegistryConfig } from '../../local/ecs/index.js';

const authOf = (registry: RegistryConfig) => `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString('base64')}`;

/** Pushes `repo:tag` whose one layer holds `content`; returns the manifest's digest. */
export async function pushTinyImage(registry: RegistryConfig, repo: string, tag: string, content: string): Promise<string> {
  const auth = authOf(registry);
  const base = `http://${registry.host}/v2/${repo}`;
  const upload = async (data: Buffer) => {
    const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
    const start = await fetch(`${base}/blobs/uploads/`, { method: 'POST', headers: { authorization: auth } });
    if (start.status !== 202) throw new Error(`registry: starting an upload to ${repo} answered ${start.status}`);
    const location = new URL(start.headers.get('location') ?? '', `http://${registry.host}`);
    location.searchParams.set('digest', digest);
    const put = await fetch(location, { method: 'PUT', headers: { authorization: auth, 'content-type': 'application/octet-stream' }, body: data });
    if (put.status !== 201) throw new Error(`registry: uploading a blob to ${repo} answered ${put.status}`);
    return { digest, size: data.length };
  };
  const layer = await upload(Buffer.from(content));
  const config = await upload(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [layer.digest] } })));
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', ...config },
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', ...layer }],
  });
  const res = await fetch(`${base}/manifests/${tag}`, {
    method: 'PUT',
    headers: { authorization: auth, 'content-type': 'application/vnd.docker.distribution.manifest.v2+json' },
    body: manifest,
  });
  if (res.status !== 201) throw new Error(`registry: putting the manifest ${repo}:${tag} answered ${res.status}`);
  return `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
}

/** Deletes manifests by digest (the registry has deletes enabled). */
export async function deleteManifests(registry: RegistryConfig, repo: string, digests: readonly string[]): Promise<void> {
  for (const digest of digests) {
    await fetch(`http://${registry.host}/v2/${repo}/manifests/${digest}`, { method: 'DELETE', headers: { authorization: authOf(registry) } });
  }
}
