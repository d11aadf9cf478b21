import { UserError } from '../core/errors.js';
import { exec, lastLines } from '../core/exec.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { retry, retryOptions, TransientError } from '../core/retry.js';

/**
 * `docker push` of one tag, with transient registry failures retried with backoff and refusals
 * reported at once, naming the registry and the user.
 */
export type PushFailure = 'auth' | 'missing-repository' | 'transient';

export function classifyPushFailure(output: string): PushFailure {
  if (/name unknown|repository .*does not exist|repository not found|RepositoryNotFoundException/i.test(output)) return 'missing-repository';
  if (/unauthorized|authentication required|no basic auth credentials|denied|forbidden|\b401\b|\b403\b/i.test(output)) return 'auth';
  return 'transient';
}

/** The digest line `docker push` ends with: `v1: digest: sha256:… size: 528`. */
export function parsePushDigest(output: string): { digest: string; size: number } | undefined {
  const matches = [...output.matchAll(/digest: (sha256:[a-f0-9]{64}) size: (\d+)/g)];
  const last = matches.at(-1);
  return last ? { digest: last[1]!, size: Number(last[2]) } : undefined;
}

export interface PushOptions {
  configDir: string;
  registry: string;
  /** Who is logged in, for the refusal message; undefined when the runner's own login is used. */
  username?: string;
  logger: Logger;
  signal?: AbortSignal;
  attempts?: number;
  clock?: Clock;
}

export async function pushTag(reference: string, options: PushOptions): Promise<{ digest: string; size: number }> {
  const who = options.username ? `user '${options.username}'` : 'the runner\u2019s own Docker login (no credentials were given)';
  return retry(
    async () => {
      const result = await exec('docker', ['--config', options.configDir, 'push', '--', reference], options.signal ? { signal: options.signal } : {});
      const output = `${result.stdout}\n${result.stderr}`;
      if (result.exitCode === 0) {
        const pushed = parsePushDigest(output);
        if (!pushed) throw new UserError(`docker push ${reference} succeeded but printed no digest line: ${lastLines(output, 3)}`);
        return pushed;
      }
      if (result.aborted) throw new UserError(`docker push ${reference} was cancelled.`);
      const why = lastLines(result.stderr || result.stdout, 3);
      const kind = classifyPushFailure(why);
      if (kind === 'auth') throw new UserError(`Registry ${options.registry} refused the push of ${reference} by ${who}: ${why}`);
      if (kind === 'missing-repository') {
        throw new UserError(`Registry ${options.registry} has no repository for ${reference} (create it first, e.g. an ECR repository): ${why}`);
      }
      throw new TransientError(why);
    },
    {
      what: `Push of ${reference}`,
      firstDelayMs: 1_000,
      exhausted: (error, attempts) =>
        new UserError(`Could not push ${reference} to ${options.registry} after ${attempts} attempts: ${(error as Error).message}`),
      logger: options.logger,
      ...retryOptions(options),
    },
  );
}

/**
 * buildx pushes inside the build (`--push`). Only a failure of that push is worth another run
 * (the build itself is cached by then); a failing RUN step is not. Undefined: not a push failure.
 */
export function buildxPushFailure(output: string): PushFailure | undefined {
  if (
    !/failed to push|error (?:writing|pushing)|failed commit on ref|failed to (?:do request|authorize)|unexpected status(?: from \w+ request to \S+)?: \d{3}/i.test(
      output,
    )
  )
    return undefined;
  return classifyPushFailure(output);
}
