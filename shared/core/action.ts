import * as core from '@actions/core';
import { errorMessage, isUserError, userErrorText } from './errors.js';
import { actionsLogger, neutraliseLogText, type Logger } from './logger.js';
import { maskSecrets } from './secrets.js';

export interface ActionContext {
  logger: Logger;
  /** Aborted when the job is cancelled (SIGINT/SIGTERM): stop work and clean up. */
  signal: AbortSignal;
  startedAt: number;
}

/**
 * Every entry runs inside this: it turns SIGINT/SIGTERM into an AbortSignal, reports a user
 * error as one clear line (no stack trace), an internal fault with its stack in a collapsed
 * group, and exits explicitly once output is flushed, so no dangling timer or socket keeps the
 * step alive. An uncaught error would print a line of minified source into the log; this
 * wrapper is why that never happens.
 */
export async function runAction(name: string, main: (context: ActionContext) => Promise<void>): Promise<never> {
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) return;
    core.warning(`${name}: received ${sig}, the job is being cancelled; stopping and cleaning up.`);
    controller.abort(new Error(`cancelled by ${sig}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // If main awaits something that can never settle, Node drains the event loop and exits 0:
  // a silent success. Turn that into a failure instead.
  let settled = false;
  process.once('beforeExit', () => {
    if (!settled) {
      core.setFailed(`${name} stopped before it finished: it was left waiting on nothing (an internal error, please report it).`);
      process.exit(1);
    }
  });

  try {
    await main({ logger: actionsLogger, signal: controller.signal, startedAt: Date.now() });
  } catch (error) {
    report(name, error, controller.signal.aborted);
  }
  settled = true;
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.exit(process.exitCode ?? 0);
}

function report(name: string, error: unknown, cancelled: boolean): void {
  const message = maskSecrets(errorMessage(error));
  if (isUserError(error)) {
    core.setFailed(maskSecrets(userErrorText(error)));
  } else if (cancelled) {
    core.setFailed(`${name} was cancelled: ${message}`);
  } else {
    core.setFailed(`${name} failed unexpectedly: ${message}`);
    const stack = error instanceof Error && error.stack ? maskSecrets(error.stack) : undefined;
    if (stack) {
      core.startGroup('Stack trace (internal error: please report it with this trace)');
      // A stack carries outside text in its message: each line is neutralised, the lines kept.
      core.info(stack.split('\n').map(neutraliseLogText).join('\n'));
      core.endGroup();
    }
  }
}
