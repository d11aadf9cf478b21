import { builderTitle, detectBuilder, linkCliPlugins } from '../../../shared/docker/builder.js';
import { createDockerConfig, dockerLogin, inheritRunnerLogins, runnerDockerConfigDir, type RegistryCredentials } from '../../../shared/docker/config.js';
import { findCredentials } from '../../../shared/docker/credentials.js';
import { gitContextFrom } from '../../../shared/github/git-context.js';
import { Inputs } from '../../../shared/core/inputs.js';
import { mergeLabels, ociLabels } from '../../../shared/image/oci-labels.js';
import type { RemoteManifest } from '../../../shared/image/registry-manifest.js';
import type { ActionContext } from '../../../shared/core/action.js';
import { formatSemVer, parseSemVer } from '../../../shared/image/semver.js';
import { build, requireBuilderFeatures } from './build.js';
import { commitTime, readEvent } from './commit.js';
import { INPUT, readInputs } from './inputs.js';
import { pushAndVerify } from './push.js';
import { outputs } from './outputs.js';
import { state } from './state.js';
import { writeBuildSummary } from './summary.js';

export async function main({ logger, signal }: ActionContext): Promise<void> {
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  const source = new Inputs();
  const git = gitContextFrom(process.env, readEvent(logger), source.string(INPUT.defaultBranch, 'main'));
  const inputs = readInputs(source, git, process.env, workspace);
  const { repository } = inputs;
  const references = inputs.tags.tags.map((t) => `${repository.name}:${t}`);

  const { created, from: createdFrom } = await commitTime(git, inputs.context, signal);
  const release = git.tag ? parseSemVer(git.tag) : undefined;
  const version = release ? formatSemVer(release) : (inputs.tags.tags.find((t) => t !== 'latest') ?? '');
  const title = git.repository.split('/')[1] || repository.path.split('/').at(-1) || '';
  const { labels, overridden } = mergeLabels(ociLabels(git, { created, version, title }), inputs.extraLabels);

  logger.info(
    `Image ${repository.name} (registry ${repository.registry}, ${inputs.login.kind === 'ecr' ? `ECR in ${inputs.login.region}, region from ${inputs.login.regionFrom}` : inputs.login.kind === 'basic' ? `login as ${inputs.login.username}` : 'no login: the runner\u2019s own Docker config'})`,
  );
  logger.info(`Tags from ${git.ref || 'no ref'} (default branch ${git.defaultBranch}): ${inputs.tags.tags.join(', ')}`);
  for (const s of inputs.tags.skipped) logger.info(`  skipped '${s.template}': ${s.reason}`);
  logger.info(`Labels (created from ${createdFrom}${overridden.length ? `; the labels input overrides ${overridden.join(', ')}` : ''}):`);
  for (const [key, value] of labels) logger.info(`  ${key}=${value}`);

  // Credentials live in a config directory of this step only; the post step removes it. It
  // starts from the runner's own logins, so ours adds to them instead of hiding them.
  const privateConfig = inputs.login.kind !== 'none';
  const configDir = privateConfig ? createDockerConfig('ctp-build-push-') : runnerDockerConfigDir();
  if (privateConfig) {
    state.save('docker-config', configDir);
    const inherited = await inheritRunnerLogins(configDir, { ownRegistry: repository.registry, signal });
    for (const warning of inherited.warnings) logger.warning(warning);
    const helpers = Object.entries(inherited.helpers).map(([host, helper]) => `${host} (docker-credential-${helper})`);
    logger.info(
      inherited.auths.length + helpers.length
        ? `Kept the runner's Docker logins beside this step's: ${[...inherited.auths, ...helpers].join(', ')}.`
        : `The runner's Docker config (${runnerDockerConfigDir()}) holds no other logins.`,
    );
    const linked = linkCliPlugins(configDir);
    logger.debug(`private Docker config ${configDir}${linked.length ? ` (linked ${linked.join(', ')} from the runner's config)` : ''}`);
  }

  const detected = await detectBuilder(configDir, signal);
  requireBuilderFeatures(inputs, detected);
  logger.info(`Builder: ${builderTitle(detected.builder)} (${detected.detail})`);

  let credentials: RegistryCredentials | undefined;
  if (inputs.login.kind !== 'none') {
    const login = inputs.login;
    credentials = await logger.group(`Log in to ${repository.registry}`, async () => {
      const creds =
        login.kind === 'ecr'
          ? await (await import('../../../shared/image/ecr-login.js')).ecrCredentials(repository.registry, {
              region: login.region,
              ...(login.accountId ? { accountId: login.accountId } : {}),
              signal,
            })
          : { registry: repository.registry, username: login.username, password: login.password };
      if (login.kind === 'ecr') logger.info(`ECR GetAuthorizationToken (${login.region}) gave credentials for user '${creds.username}'.`);
      await dockerLogin(configDir, creds, { logger, signal });
      return creds;
    });
  }

  const built = await build(inputs, { builder: detected.builder, configDir, labels, references, logger, signal });

  let pushed: { digest: string; manifest: RemoteManifest; durationMs: number } | undefined;
  if (inputs.push) {
    // The read-back uses what the push used: our login, else whatever the config holds for the
    // registry (auths, Docker Hub's index key, a credential helper or store).
    const found = credentials ? undefined : await findCredentials(configDir, repository.registry, { signal });
    if (found) logger.info(`Reading the manifest back as '${found.username}', from the Docker config's ${found.from}.`);
    const readCredentials = credentials ?? found;
    pushed = await logger.group(`Push ${references.length} tag${references.length === 1 ? '' : 's'} to ${repository.registry}`, () =>
      pushAndVerify(inputs, {
        output: built.output,
        metadataFile: built.metadataFile,
        configDir,
        references,
        credentials: readCredentials,
        username: credentials?.username,
        logger,
        signal,
      }),
    );
    outputs.set('digest', pushed.digest);
    outputs.set('image-ref', `${repository.name}@${pushed.digest}`);
    outputs.set('tags', references.join('\n'));
    logger.info(`Pushed ${repository.name}@${pushed.digest}`);
  } else {
    outputs.set('tags', '');
    logger.info(`push is false: built ${references.join(', ')} without pushing, so there is no registry digest.`);
  }
  if (built.imageId) outputs.set('image-id', built.imageId);

  await writeBuildSummary({
    repository,
    references,
    tags: inputs.tags,
    digest: pushed?.digest,
    manifest: pushed?.manifest,
    pushMs: pushed?.durationMs,
    built,
    builder: detected,
    labels,
    git,
  });
}
