/**
 * The oracles the stand-ins are held to, pinned: botocore's service models (read out of the
 * botocore wheel this machine's pip serves) and GitHub's OpenAPI description (the
 * `@octokit/openapi` devDependency). `ensureOracles()` installs what is missing into
 * `.tmp/oracles/`; a missing oracle is an error, never a reason to skip a check.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Move these forward together (see README.md: "Moving the oracles forward"). */
export const BOTOCORE_VERSION = '1.43.107';
export const BOTOCORE_WHEEL_SHA256 = '23cbe854e815dbaccf097f7fd32b461c9e1d2ed7e0c7dcc5658218704509d840';
export const OCTOKIT_OPENAPI_VERSION = '23.0.2';
/** GitHub's GraphQL schema (SDL) and the reference implementation that serves and validates it. */
export const OCTOKIT_GRAPHQL_SCHEMA_VERSION = '15.26.1';
export const GRAPHQL_JS_VERSION = '16.15.0';

/** botocore's folder name and API version of each service the emulator serves. */
export const AWS_SERVICES = {
  ecs: '2014-11-13',
  ecr: '2015-09-21',
  cloudwatch: '2010-08-01',
  logs: '2014-03-28',
} as const;
export type AwsServiceName = keyof typeof AWS_SERVICES;

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

export function botocoreModelDir(): string {
  return path.join(repoRoot, '.tmp', 'oracles', `botocore-${BOTOCORE_VERSION}`);
}

const modelFile = (service: AwsServiceName) => path.join(botocoreModelDir(), `${service}.json`);

/** Downloads and extracts what is missing; idempotent, and safe for concurrent callers. */
export function ensureOracles(): void {
  openApiFile();
  graphQlSchemaFile();
  const missing = (Object.keys(AWS_SERVICES) as AwsServiceName[]).filter((s) => !existsSync(modelFile(s)));
  if (missing.length === 0) return;
  mkdirSync(path.dirname(botocoreModelDir()), { recursive: true });
  const download = mkdtempSync(path.join(path.dirname(botocoreModelDir()), 'download-'));
  try {
    try {
      execFileSync(
        'python3',
        ['-m', 'pip', 'download', '--no-deps', '--no-input', '--disable-pip-version-check', `botocore==${BOTOCORE_VERSION}`, '-d', download],
        {
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
    } catch (e) {
      const stderr = String((e as { stderr?: Buffer }).stderr ?? '').trim();
      throw new Error(
        `conformance oracle missing: 'python3 -m pip download --no-deps botocore==${BOTOCORE_VERSION}' failed (${stderr || (e as Error).message})`,
      );
    }
    const wheel = readdirSync(download).find((f) => f.endsWith('.whl'));
    if (!wheel) throw new Error(`conformance oracle missing: pip gave no botocore ${BOTOCORE_VERSION} wheel`);
    const digest = createHash('sha256')
      .update(readFileSync(path.join(download, wheel)))
      .digest('hex');
    if (digest !== BOTOCORE_WHEEL_SHA256) {
      throw new Error(`conformance oracle: botocore ${BOTOCORE_VERSION} wheel has sha256 ${digest}, expected ${BOTOCORE_WHEEL_SHA256}`);
    }
    const specs = (Object.entries(AWS_SERVICES) as [string, string][]).map(([s, v]) => `${s}/${v}`);
    execFileSync('python3', [path.join(here, 'extract-botocore.py'), path.join(download, wheel), botocoreModelDir(), ...specs], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } finally {
    rmSync(download, { recursive: true, force: true });
  }
}

export type BotocoreModel = {
  metadata: { targetPrefix: string; jsonVersion: string; serviceId: string; awsQueryCompatible?: unknown };
  operations: Record<string, { name: string; input?: { shape: string }; output?: { shape: string }; errors?: { shape: string }[] }>;
  shapes: Record<string, Record<string, unknown>>;
};

export function loadBotocoreModel(service: AwsServiceName): BotocoreModel {
  const file = modelFile(service);
  if (!existsSync(file)) {
    throw new Error(`conformance oracle missing: ${file} (botocore ${BOTOCORE_VERSION}); the test set-up runs ensureOracles() to install it`);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as BotocoreModel;
}

/** Path of GitHub's OpenAPI description (api.github.com, with $refs) from the pinned package. */
export function openApiFile(): string {
  const require = createRequire(import.meta.url);
  let pkg: string;
  try {
    pkg = require.resolve('@octokit/openapi/package.json');
  } catch {
    throw new Error(`conformance oracle missing: @octokit/openapi@${OCTOKIT_OPENAPI_VERSION} is not installed (npm ci installs it from devDependencies)`);
  }
  const { version } = JSON.parse(readFileSync(pkg, 'utf8')) as { version: string };
  if (version !== OCTOKIT_OPENAPI_VERSION) {
    throw new Error(`conformance oracle: @octokit/openapi is ${version}, pinned ${OCTOKIT_OPENAPI_VERSION} (run npm ci)`);
  }
  return path.join(path.dirname(pkg), 'generated', 'api.github.com.json');
}

/** Path of GitHub's GraphQL schema (SDL, `schema.graphql`) from the pinned `@octokit/graphql-schema`, checked with the pinned `graphql`. */
export function graphQlSchemaFile(): string {
  const require = createRequire(import.meta.url);
  const pinned = (name: string, version: string): string => {
    // Found by node_modules lookup, not require.resolve: `@octokit/graphql-schema` exports neither `require` nor its package.json.
    const pkg = (require.resolve.paths(name) ?? []).map((dir) => path.join(dir, name, 'package.json')).find((file) => existsSync(file));
    if (!pkg) throw new Error(`conformance oracle missing: ${name}@${version} is not installed (npm ci installs it from devDependencies)`);
    const found = (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
    if (found !== version) throw new Error(`conformance oracle: ${name} is ${found}, pinned ${version} (run npm ci)`);
    return path.dirname(pkg);
  };
  pinned('graphql', GRAPHQL_JS_VERSION);
  return path.join(pinned('@octokit/graphql-schema', OCTOKIT_GRAPHQL_SCHEMA_VERSION), 'schema.graphql');
}
