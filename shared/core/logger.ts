import * as core from '@actions/core';

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
 */
export interface Logger {
  info(message: string): void;
  debug(message: string): void;
  notice(message: string, properties?: AnnotationProperties): void;
  warning(message: string, properties?: AnnotationProperties): void;
  error(message: string, properties?: AnnotationProperties): void;
  /** A collapsible group in the job log around `fn`, closed even when it throws. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
}

export const actionsLogger: Logger = {
  info: (message) => core.info(message),
  debug: (message) => core.debug(message),
  notice: (message, properties) => core.notice(message, properties ?? {}),
  warning: (message, properties) => core.warning(message, properties ?? {}),
  error: (message, properties) => core.error(message, properties ?? {}),
  group: (title, fn) => core.group(title, fn),
};

/** A logger that drops everything: for logic called where nothing should be printed. */
export const silentLogger: Logger = {
  info: () => {},
  debug: () => {},
  notice: () => {},
  warning: () => {},
  error: () => {},
  group: (_title, fn) => fn(),
};
