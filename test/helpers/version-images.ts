/**
 * Tiny HTTP images for docker-mode tests: busybox httpd FROM the local base image, serving its
 * version at /version, built and pushed to the local registry under a private docker config (the
 * local copy is removed so the emulator has to pull it), and removed from the registry after.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ECRClient } from '@aws-sdk/client-ecr';
import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { docker, dockerOk } from '../../local/ecs/docker-cli.js';
import type { RegistryConfig } from '../../local/ecs/index.js';
import { localStack } from './stack.js';

export interface VersionImages {
  /** `<registry>/<repoName>`; the images are `${repo}:${version}`. */
  repo: string;
  repoName: string;
  /** Deletes the pushed manifests, found through the emulator's ECR API: before the emulator stops. */
  removeFromRegistry(ecr: ECRClient): Promise<void>;
  /**
   * Removes the copies the emulator's tasks pulled, and the work folder: after the emulator has
   * stopped, since Docker keeps an image a container still uses (it left one per run behind).
   */
  removeLocal(): Promise<void>;
}

export async function pushVersionImages(registry: RegistryConfig, repoName: string, versions: string[]): Promise<VersionImages> {
  const work = await mkdtemp(join(tmpdir(), 'ctp-version-images-'));
  const repo = `${registry.host}/${repoName}`;
  const configDir = join(work, 'docker-config');
  await mkdir(configDir);
  await writeFile(join(configDir, 'config.json'), '{}\n');
  await dockerOk(['login', '--username', registry.username ?? '', '--password-stdin', registry.host ?? ''], {
    configDir,
    input: registry.password ?? '',
    timeoutMs: 30_000,
  });
  for (const version of versions) {
    const dir = join(work, version);
    await mkdir(join(dir, 'www'), { recursive: true });
    await writeFile(join(dir, 'www', 'version'), `${version}\n`);
    // The load balancer's default health check asks for /.
    await writeFile(join(dir, 'www', 'index.html'), `<p>${version}</p>\n`);
    await writeFile(
      join(dir, 'Dockerfile'),
      [`FROM ${localStack().baseImage}`, 'COPY www /www', 'EXPOSE 8080', 'CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]', ''].join('\n'),
    );
    await dockerOk(['build', '--quiet', '--no-cache', '--tag', `${repo}:${version}`, dir], { configDir, timeoutMs: 120_000 });
    await dockerOk(['push', `${repo}:${version}`], { configDir, timeoutMs: 120_000 });
    await dockerOk(['rmi', `${repo}:${version}`], { timeoutMs: 60_000 });
  }
  return {
    repo,
    repoName,
    async removeFromRegistry(ecr) {
      const auth = `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString('base64')}`;
      const images = await ecr.send(new DescribeImagesCommand({ repositoryName: repoName })).catch(() => undefined);
      for (const d of images?.imageDetails ?? []) {
        await fetch(`http://${registry.host}/v2/${repoName}/manifests/${d.imageDigest}`, { method: 'DELETE', headers: { authorization: auth } });
      }
    },
    async removeLocal() {
      for (const version of versions) await docker(['rmi', `${repo}:${version}`], { timeoutMs: 60_000 });
      await rm(work, { recursive: true, force: true });
    },
  };
}
