/**
 * The `docker build` / `docker buildx build` argument array for one build. Pure, so the mapping
 * from inputs to flags is tested as a table; every builder gets the same file, target, build
 * arguments, labels and tags, so the image they produce is the same.
 *
 * - `buildx`: `docker buildx build`, every BuildKit feature.
 * - `buildkit`: `docker build` with DOCKER_BUILDKIT=1 on a CLI that has BuildKit built in (before
 *   Docker 23, e.g. Debian's 20.10): the engine's own BuildKit, with secrets, SSH, `RUN --mount`
 *   and registry/inline cache, but no cache export to a registry and no attestations.
 * - `classic`: the legacy builder, none of those.
 */
export type Builder = 'buildx' | 'buildkit' | 'classic';

/**
 * Where the result goes: `load` into the engine's image store (then `docker push`, for every
 * builder, so all report digests the same way), `push` straight to the registry (buildx only: a
 * multi-platform image cannot be loaded, and attestations do not survive a load), `cache-only`
 * when such a build is not pushed.
 */
export type BuildOutput = 'load' | 'push' | 'cache-only';

/** A build secret as the builder receives it: always a file, so no value is ever an argument. */
export interface SecretMount {
  id: string;
  file: string;
}

export interface BuildSpec {
  builder: Builder;
  /** Private Docker config directory (`docker --config`), so builds pull with the step's login. */
  configDir: string;
  context: string;
  file: string;
  target?: string;
  buildArgs: ReadonlyMap<string, string>;
  labels: ReadonlyMap<string, string>;
  /** Full references, `repo:tag`. */
  tags: readonly string[];
  platforms: readonly string[];
  /** As given (`type=registry,ref=…`); for `buildkit`, already reduced to image references. */
  cacheFrom: readonly string[];
  /** As given; for `buildkit` only `type=inline`, which becomes BUILDKIT_INLINE_CACHE=1. */
  cacheTo: readonly string[];
  secrets?: readonly SecretMount[];
  /** `default`, `default=/path/to/socket` or `id=/path/key[,…]`. */
  ssh?: readonly string[];
  /** buildx only: `--provenance` / `--sbom` values. */
  provenance?: string;
  sbom?: string;
  output: BuildOutput;
  /** Written by the builder with the image ID (config digest). */
  iidFile: string;
  /** buildx only: JSON with `containerimage.digest` after a push. */
  metadataFile?: string;
}

export function buildOutputFor(builder: Builder, platforms: readonly string[], push: boolean, attestations = false): BuildOutput {
  if (builder === 'buildx' && (platforms.length > 1 || attestations)) return push ? 'push' : 'cache-only';
  return 'load';
}

export function dockerBuildArgs(spec: BuildSpec): string[] {
  // The classic builder keeps the container of a failed RUN step unless told otherwise; the
  // action leaves no container behind, whether the build succeeds or not.
  const args = [
    '--config',
    spec.configDir,
    ...(spec.builder === 'buildx' ? ['buildx', 'build'] : spec.builder === 'classic' ? ['build', '--force-rm'] : ['build']),
  ];
  args.push('--file', spec.file, '--iidfile', spec.iidFile);
  // BuildKit's TTY progress is unreadable in a job log.
  if (spec.builder !== 'classic') args.push('--progress', 'plain');
  if (spec.target) args.push('--target', spec.target);
  for (const [name, value] of spec.buildArgs) args.push('--build-arg', `${name}=${value}`);
  for (const [key, value] of spec.labels) args.push('--label', `${key}=${value}`);
  for (const tag of spec.tags) args.push('--tag', tag);
  if (spec.builder !== 'classic') {
    for (const secret of spec.secrets ?? []) args.push('--secret', `id=${secret.id},src=${secret.file}`);
    for (const ssh of spec.ssh ?? []) args.push('--ssh', ssh);
    for (const source of spec.cacheFrom) args.push('--cache-from', source);
  }
  if (spec.builder === 'buildkit' && spec.cacheTo.some((c) => /(^|,)type=inline(,|$)/.test(c))) args.push('--build-arg', 'BUILDKIT_INLINE_CACHE=1');
  if (spec.builder === 'buildx') {
    if (spec.platforms.length > 0) args.push('--platform', spec.platforms.join(','));
    for (const destination of spec.cacheTo) args.push('--cache-to', destination);
    if (spec.provenance !== undefined) args.push(`--provenance=${spec.provenance}`);
    if (spec.sbom !== undefined) args.push(`--sbom=${spec.sbom}`);
    if (spec.output === 'load') args.push('--load');
    if (spec.output === 'push') args.push('--push');
    if (spec.metadataFile) args.push('--metadata-file', spec.metadataFile);
  }
  args.push('--', spec.context);
  return args;
}

/**
 * The builder's environment. Without buildx, a Docker CLI ≥ 23 refuses to build while BuildKit
 * is on ("BuildKit is enabled but the buildx component is missing"), so the classic path turns
 * it off explicitly instead of depending on the runner's default; the other two turn it on.
 */
export function dockerBuildEnv(builder: Builder, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return builder === 'classic' ? { ...base, DOCKER_BUILDKIT: '0' } : { ...base, DOCKER_BUILDKIT: '1' };
}
