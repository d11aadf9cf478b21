import { builderTitle, type DetectedBuilder } from '../../../shared/docker/builder.js';
import { formatDuration } from '../../../shared/core/duration.js';
import type { GitContext } from '../../../shared/github/git-context.js';
import type { ImageRepository } from '../../../shared/image/repository.js';
import type { ResolvedTags } from '../../../shared/image/tags.js';
import type { RemoteManifest } from '../../../shared/image/registry-manifest.js';
import { details, htmlTable, keyValueTable, writeSummary } from '../../../shared/core/summary.js';
import type { BuildResult } from './build.js';

/** The job summary: what was built and pushed, at a glance, then every label. */
function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

export async function writeBuildSummary(r: {
  repository: ImageRepository;
  references: string[];
  tags: ResolvedTags;
  digest: string | undefined;
  manifest: RemoteManifest | undefined;
  pushMs: number | undefined;
  built: BuildResult;
  builder: DetectedBuilder;
  labels: ReadonlyMap<string, string>;
  git: GitContext;
}): Promise<void> {
  const { repository, references, digest, manifest, built, labels, git } = r;
  await writeSummary(
    `Image ${repository.name}`,
    keyValueTable([
      ['Image', repository.name],
      ['Tags', digest ? references.map((ref) => ref.slice(repository.name.length + 1)).join(', ') : `${r.tags.tags.join(', ')} (not pushed)`],
      ['Digest', digest ?? 'not pushed'],
      ['Deploy with', digest ? `${repository.name}@${digest}` : undefined],
      [
        'Size',
        [
          manifest ? `${formatBytes(manifest.size)} in the registry (compressed)` : undefined,
          built.localSize !== undefined ? `${formatBytes(built.localSize)} unpacked` : undefined,
        ]
          .filter(Boolean)
          .join(', '),
      ],
      ['Platforms', manifest?.platforms?.join(', ')],
      ['Build time', formatDuration(built.durationMs)],
      ['Push time', r.pushMs !== undefined ? formatDuration(r.pushMs) : undefined],
      ['Builder', r.builder.builder === 'buildx' ? `buildx (${r.builder.detail})` : builderTitle(r.builder.builder)],
      ['Commit', git.sha ? `${git.sha.slice(0, 7)} on ${git.ref}` : undefined],
    ]),
    htmlTable(
      ['label', 'value'],
      [...labels].map(([k, v]) => [k, v]),
    ),
    r.tags.skipped.length
      ? details(
          'Tag templates that did not apply',
          htmlTable(
            ['template', 'why'],
            r.tags.skipped.map((s) => [s.template, s.reason]),
          ),
        )
      : '',
  );
}
