import type { AnnotationProperties, Logger } from '../../shared/core/logger.js';

/** A Logger that records what logic logged, for assertions. */
export class MemoryLogger implements Logger {
  readonly lines: string[] = [];
  readonly annotations: { level: 'notice' | 'warning' | 'error'; message: string; properties?: AnnotationProperties }[] = [];
  info(message: string): void {
    this.lines.push(message);
  }
  debug(message: string): void {
    this.lines.push(`debug: ${message}`);
  }
  notice(message: string, properties?: AnnotationProperties): void {
    this.annotations.push({ level: 'notice', message, ...(properties ? { properties } : {}) });
  }
  warning(message: string, properties?: AnnotationProperties): void {
    this.annotations.push({ level: 'warning', message, ...(properties ? { properties } : {}) });
  }
  error(message: string, properties?: AnnotationProperties): void {
    this.annotations.push({ level: 'error', message, ...(properties ? { properties } : {}) });
  }
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.lines.push(`▸ ${title}`);
    return fn();
  }
  /** Marks where commands were stopped, so a test can see what was logged inside. */
  async withCommandsStopped<T>(fn: () => Promise<T>): Promise<T> {
    this.lines.push('[commands stopped]');
    try {
      return await fn();
    } finally {
      this.lines.push('[commands resumed]');
    }
  }
  get text(): string {
    return this.lines.join('\n');
  }
}
