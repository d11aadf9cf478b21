import { readFileSync, rmSync } from 'node:fs';
import type { BuildOutput } from '../../../shared/docker/build-command.js';
import { pushTag } from '../../../shared/docker/push.js';
import { UserError } from '../../../shared/core/errors.js';
import type { Logger } from '../../../shared/core/logger.js';
import { readManifest, type BasicCredentials, type RemoteManifest } from '../../../shared/image/registry-manifest.js';
import type { BuildPushInputs } from './inputs.js';

/**
 * Pushes every tag, then asks the registry what it holds: the digest handed on is the registry's,
 * and every tag must resolve to the digest the push reported.
 */
export async function pushAndVerify(
  inputs: BuildPushInputs,
  options: {
    output: BuildOutput;
    metadataFile: string | undefined;
    configDir: string;
    references: string[];
    credentials: BasicCredentials | undefined;
    username: string | undefined;
    logger: Logger;
    signal: AbortSignal;
  },
): Promise<{ digest: string; manifest: RemoteManifest; durationMs: number }> {
  const { repository } = inputs;
  const started = Date.now();
  const reported = new Map<string, string>();
  if (options.output === 'push') {
    // buildx pushed during the build; its metadata file holds the digest it pushed.
    const metadata = JSON.parse(readFileSync(options.metadataFile!, 'utf8')) as Record<string, unknown>;
    rmSync(options.metadataFile!, { force: true });
    const digest = metadata['containerimage.digest'];
    if (typeof digest !== 'string') throw new UserError(`docker buildx build --push wrote no containerimage.digest to ${options.metadataFile}.`);
    for (const ref of options.references) reported.set(ref, digest);
  } else {
    for (const [i, ref] of options.references.entries()) {
      options.logger.info(`(${i + 1}/${options.references.length}) docker push ${ref}`);
      const pushed = await pushTag(ref, {
        configDir: options.configDir,
        registry: repository.registry,
        ...(options.username ? { username: options.username } : {}),
        logger: options.logger,
        signal: options.signal,
      });
      reported.set(ref, pushed.digest);
    }
  }
  // The registry's word is final: every tag must resolve to the digest docker reported.
  let manifest: RemoteManifest | undefined;
  for (const ref of options.references) {
    const tag = ref.slice(repository.name.length + 1);
    const remote = await readManifest(repository, tag, {
      ...(options.credentials ? { credentials: options.credentials } : {}),
      logger: options.logger,
      signal: options.signal,
    });
    const expected = reported.get(ref)!;
    if (remote.digest !== expected) {
      throw new UserError(
        `Registry ${repository.registry} says ${ref} is ${remote.digest}, but the push reported ${expected}: another job may have pushed the same tag at the same time.`,
      );
    }
    manifest ??= remote;
  }
  options.logger.info(
    `Verified through the registry API: ${options.references.length} tag${options.references.length === 1 ? '' : 's'} → ${manifest!.digest} (${manifest!.mediaType}).`,
  );
  return { digest: manifest!.digest, manifest: manifest!, durationMs: Date.now() - started };
}
