/**
 * The `docker build` / `docker buildx build` argument array for one build. Pure, so the mapping
 * from inputs to flags is tested as a table; both builders get the same file, target, build
 * arguments, labels and tags, so the image they produce is the same.
 */
export type Builder = 'buildx' | 'classic';

/**
 * Where the result goes: `load` into the engine's image store (then `docker push`, for both
 * builders, so both report digests the same way), `push` straight to the registry (buildx only:
 * a multi-platform image cannot be loaded), `cache-only` when a multi-platform build is not
 * pushed.
 */
export type BuildOutput = 'load' | 'push' | 'cache-only';

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
  cacheFrom: readonly string[];
  cacheTo: readonly string[];
  output: BuildOutput;
  /** Written by the builder with the image ID (config digest). */
  iidFile: string;
  /** buildx only: JSON with `containerimage.digest` after a push. */
  metadataFile?: string;
}

export function buildOutputFor(builder: Builder, platforms: readonly string[], push: boolean): BuildOutput {
  if (builder === 'buildx' && platforms.length > 1) return push ? 'push' : 'cache-only';
  return 'load';
}

export function dockerBuildArgs(spec: BuildSpec): string[] {
  // The classic builder keeps the container of a failed RUN step unless told otherwise; the
  // action leaves no container behind, whether the build succeeds or not.
  const args = ['--config', spec.configDir, ...(spec.builder === 'buildx' ? ['buildx', 'build'] : ['build', '--force-rm'])];
  args.push('--file', spec.file, '--iidfile', spec.iidFile);
  if (spec.target) args.push('--target', spec.target);
  for (const [name, value] of spec.buildArgs) args.push('--build-arg', `${name}=${value}`);
  for (const [key, value] of spec.labels) args.push('--label', `${key}=${value}`);
  for (const tag of spec.tags) args.push('--tag', tag);
  if (spec.builder === 'buildx') {
    if (spec.platforms.length > 0) args.push('--platform', spec.platforms.join(','));
    for (const source of spec.cacheFrom) args.push('--cache-from', source);
    for (const destination of spec.cacheTo) args.push('--cache-to', destination);
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
 * it off explicitly instead of depending on the runner's default.
 */
export function dockerBuildEnv(builder: Builder, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return builder === 'classic' ? { ...base, DOCKER_BUILDKIT: '0' } : { ...base, DOCKER_BUILDKIT: '1' };
}
