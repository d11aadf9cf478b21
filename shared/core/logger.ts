import { randomBytes } from 'node:crypto';
import * as core from '@actions/core';
import { LINE_BREAK, neutraliseLogText } from './log-text.js';

export { neutraliseLogText };

/** Where an annotation points: a file relative to the workspace, and a line. */
export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
}

/**
 * What logic code logs through. Logic takes a Logger instead of calling @actions/core, so it
 * runs and is tested without a runner.
 *
 * Every message may carry text from outside (report paths, test names, image names, API
 * answers): the Actions logger neutralises it (neutraliseLogText), so no message can become a
 * workflow command. Callers never need to escape anything themselves.
 */
export interface Logger {
  info(message: string): void;
  debug(message: string): void;
  notice(message: string, properties?: AnnotationProperties): void;
  warning(message: string, properties?: AnnotationProperties): void;
  error(message: string, properties?: AnnotationProperties): void;
  /** A collapsible group in the job log around `fn`, closed even when it throws. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Runs `fn` with workflow commands switched off (`::stop-commands::<random token>` … `::<token>::`,
   * as GitHub recommends around untrusted output): whatever is printed meanwhile, by us or by a
   * program, is shown and never obeyed. Annotations and groups made inside are shown as text too.
   */
  withCommandsStopped<T>(fn: () => Promise<T>): Promise<T>;
}

/**
 * The Actions logger. `info` is written raw by @actions/core, so it is neutralised here; the
 * annotation, debug and group commands escape their text (`%0A`…) in @actions/core and are
 * neutralised too, so a title or message can hold no legacy `##[` command either.
 */
export const actionsLogger: Logger = {
  info: (message) => core.info(neutraliseLogText(message)),
  debug: (message) => core.debug(neutraliseLogText(message)),
  notice: (message, properties) => core.notice(neutraliseAnnotation(message), properties ?? {}),
  warning: (message, properties) => core.warning(neutraliseAnnotation(message), properties ?? {}),
  error: (message, properties) => core.error(neutraliseAnnotation(message), properties ?? {}),
  group: (title, fn) => core.group(neutraliseLogText(title), fn),
  withCommandsStopped: async (fn) => {
    const token = `ctp-${randomBytes(16).toString('hex')}`;
    process.stdout.write(`::stop-commands::${token}\n`);
    try {
      return await fn();
    } finally {
      process.stdout.write(`::${token}::\n`);
    }
  },
};

/**
 * An annotation keeps its line breaks (a failure's trace reads better over several lines):
 * @actions/core escapes them as `%0A`, so they never reach the log as breaks. Each line is
 * neutralised on its own.
 */
function neutraliseAnnotation(message: string): string {
  return message
    .split(LINE_BREAK)
    .map((line) => neutraliseLogText(line))
    .join('\n');
}

/** A logger that drops everything: for logic called where nothing should be printed. */
export const silentLogger: Logger = {
  info: () => {},
  debug: () => {},
  notice: () => {},
  warning: () => {},
  error: () => {},
  group: (_title, fn) => fn(),
  withCommandsStopped: (fn) => fn(),
};
