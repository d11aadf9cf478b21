import { execFileSync, spawnSync } from 'node:child_process';
import type { LocalStack } from '../helpers/stack.js';

/** Reads the local registry's HTTP API v2 directly, as an independent witness of what was pushed. */
const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

function auth(stack: LocalStack): string {
  return `Basic ${Buffer.from(`${stack.username}:${stack.password}`).toString('base64')}`;
}

export async function registryManifest(
  stack: LocalStack,
  repo: string,
  reference: string,
): Promise<{ status: number; digest: string | null; body: { config?: { digest: string } } | undefined }> {
  const res = await fetch(`http://${stack.registry}/v2/${repo}/manifests/${reference}`, {
    method: 'GET',
    headers: { authorization: auth(stack), accept: MANIFEST_ACCEPT },
  });
  return {
    status: res.status,
    digest: res.headers.get('docker-content-digest'),
    body: res.ok ? ((await res.json()) as { config?: { digest: string } }) : undefined,
  };
}

export async function registryHeadDigest(stack: LocalStack, repo: string, reference: string): Promise<string | null> {
  const res = await fetch(`http://${stack.registry}/v2/${repo}/manifests/${reference}`, {
    method: 'HEAD',
    headers: { authorization: auth(stack), accept: MANIFEST_ACCEPT },
  });
  return res.ok ? res.headers.get('docker-content-digest') : null;
}

export async function registryTags(stack: LocalStack, repo: string): Promise<string[] | undefined> {
  const res = await fetch(`http://${stack.registry}/v2/${repo}/tags/list`, { headers: { authorization: auth(stack) } });
  if (res.status === 404) return undefined;
  return (((await res.json()) as { tags?: string[] | null }).tags ?? []).slice().sort();
}

export async function registryConfigLabels(stack: LocalStack, repo: string, configDigest: string): Promise<Record<string, string>> {
  const res = await fetch(`http://${stack.registry}/v2/${repo}/blobs/${configDigest}`, { headers: { authorization: auth(stack) } });
  const config = (await res.json()) as { config?: { Labels?: Record<string, string> } };
  return config.config?.Labels ?? {};
}

/** Removes every local tag of `repository` that a test built. */
export function removeLocalImages(repository: string): void {
  const out = spawnSync('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', repository], { encoding: 'utf8' });
  const refs = out.stdout.split('\n').filter((l) => l.trim() !== '' && !l.endsWith(':<none>'));
  if (refs.length) spawnSync('docker', ['image', 'rm', '--force', ...refs], { stdio: 'ignore' });
}

export function localLabels(reference: string): Record<string, string> {
  return JSON.parse(execFileSync('docker', ['image', 'inspect', '--format', '{{json .Config.Labels}}', reference], { encoding: 'utf8' })) as Record<
    string,
    string
  >;
}
