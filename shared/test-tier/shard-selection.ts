import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { anchorPatterns } from '../test-report/report-files.js';
import { normalizeTestPath } from './file-timings.js';
import { readTimings, splitByTimings, surefireClasses } from './shard.js';
import type { ShardSpec } from './shard-spec.js';

/**
 * This runner's share of a sharded suite, computed before the test command runs: the suite's
 * files (`test-files`), the earlier runs' timings (`timings`) and the split, which every runner of
 * the matrix computes alike from the same checkout and the same timings. The files reach the
 * command as a file of paths, a space-separated list and Surefire class names.
 */

export interface ShardSelection {
  spec: ShardSpec;
  /** This shard's files, relative to the workspace (how reports key them). */
  files: string[];
  /** The same files relative to the working directory, as the test command sees them. */
  commandFiles: string[];
  /** Surefire `-Dtest` class names of the Java/Kotlin files among them. */
  classes: string[];
  expectedSeconds: number;
  /** The whole suite's expected seconds over the shards: what each would take if even. */
  idealSeconds: number;
  suiteFiles: number;
  /** Suite files an earlier report timed. */
  timedFiles: number;
  timingReports: number;
  /** Seconds assumed for a file no report timed. */
  assumedSeconds: number;
}

export interface ShardRequest {
  spec: ShardSpec;
  /** Globs (with `!` exclusions) relative to the working directory. */
  testFiles: readonly string[];
  timings: readonly string[];
  workspace: string;
  workingDirectory: string;
}

async function glob(patterns: readonly string[], directory: string): Promise<string[]> {
  const { create } = await import('@actions/glob');
  const globber = await create(anchorPatterns(patterns, directory).join('\n'), { matchDirectories: false, followSymbolicLinks: true });
  return [...new Set(await globber.glob())].sort();
}

export async function selectShard(request: ShardRequest, logger: Logger): Promise<ShardSelection> {
  const { spec, workspace, workingDirectory } = request;
  const exclusions = request.testFiles.filter((p) => p.startsWith('!'));
  const found = new Set<string>();
  // Each glob must match: a typo would otherwise quietly drop part of the suite from every shard.
  for (const pattern of request.testFiles.filter((p) => !p.startsWith('!'))) {
    const matched = await glob([pattern, ...exclusions], workingDirectory);
    if (matched.length === 0) throw new InputError('test-files', pattern, `a glob that matches the suite's test files, relative to ${workingDirectory}`);
    for (const file of matched) found.add(file);
  }
  const suite = [...found].map((f) => normalizeTestPath(f, workspace));
  const timingReports = request.timings.length > 0 ? await glob(request.timings, workingDirectory) : [];
  if (request.timings.length > 0 && timingReports.length === 0)
    logger.info(`No timings matched \`timings\` (${request.timings.join(', ')}): the first run, or the cache missed; each file counts the same.`);
  let timings: Map<string, number>;
  try {
    timings = await readTimings(timingReports, suite, workspace, workingDirectory);
  } catch (error) {
    throw new InputError(
      'timings',
      request.timings.join(', '),
      `earlier tier JSON reports or JUnit XML files (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const split = splitByTimings(suite, timings, spec.total);
  const shard = split.shards[spec.index - 1] ?? { files: [], expectedSeconds: 0 };
  const totalSeconds = split.shards.reduce((sum, s) => sum + s.expectedSeconds, 0);
  const commandFiles = shard.files.map((f) => path.relative(workingDirectory, path.join(workspace, f)).split(path.sep).join('/'));
  return {
    spec,
    files: shard.files,
    commandFiles,
    classes: surefireClasses(shard.files),
    expectedSeconds: round(shard.expectedSeconds),
    idealSeconds: round(totalSeconds / spec.total),
    suiteFiles: suite.length,
    timedFiles: suite.length - split.untimed.length,
    timingReports: timingReports.length,
    assumedSeconds: round(split.assumedSeconds),
  };
}

const round = (s: number) => Math.round(s * 1_000) / 1_000;

/** The variables the test command reads its share from; the list file is written to `directory`. */
export async function shardEnvironment(selection: ShardSelection, directory: string): Promise<{ env: Record<string, string>; listFile: string }> {
  const listFile = path.join(directory, `test-shard-${selection.spec.index}-of-${selection.spec.total}-${randomBytes(4).toString('hex')}.txt`);
  await writeFile(listFile, selection.commandFiles.map((f) => `${f}\n`).join(''));
  return {
    listFile,
    env: {
      TEST_SHARD: `${selection.spec.index}/${selection.spec.total}`,
      TEST_SHARD_FILES: listFile,
      TEST_SHARD_FILE_LIST: selection.commandFiles.join(' '),
      TEST_SHARD_CLASSES: selection.classes.join(','),
    },
  };
}
