import { parseCommandLine, toAnnotation, type Annotation } from './workflow-commands.js';

/**
 * A step's output as the Actions runner reads it: split into lines, workflow commands applied
 * (annotations, ::add-mask::, groups, debug, stop-commands, the legacy set-output) and every mask
 * applied to what is shown. Shared by the action runner and the workflow runner's `run:` steps,
 * so both read step output the same way.
 */
export class StepLog {
  readonly annotations: Annotation[] = [];
  /** Masks the step added with ::add-mask:: (beyond those it was given). */
  readonly addedMasks: string[] = [];
  /** Values written with the deprecated `::set-output name=…::`. */
  readonly legacyOutputs: Record<string, string> = {};
  private readonly masks: string[];
  private readonly shown: string[] = [];
  private stopToken: string | undefined;

  constructor(private readonly options: { masks?: readonly string[]; debug?: boolean; onLine?: (line: string) => void } = {}) {
    this.masks = [...(options.masks ?? [])];
  }

  get allMasks(): string[] {
    return [...this.masks];
  }

  get text(): string {
    return this.shown.join('\n');
  }

  mask(text: string): string {
    return this.masks.reduce((t, m) => (m ? t.split(m).join('***') : t), text);
  }

  /** Adds a line of the runner's own (e.g. a timeout message), masked like the step's. */
  show(line: string): void {
    const masked = this.mask(line);
    this.shown.push(masked);
    this.options.onLine?.(masked);
  }

  line(line: string): void {
    // After ::stop-commands::TOKEN nothing is a command until ::TOKEN:: appears.
    if (this.stopToken !== undefined) {
      if (line.trim() === `::${this.stopToken}::`) this.stopToken = undefined;
      else this.show(line);
      return;
    }
    const cmd = parseCommandLine(line);
    if (!cmd) {
      this.show(line);
      return;
    }
    const annotation = toAnnotation(cmd);
    if (annotation) {
      annotation.message = this.mask(annotation.message);
      this.annotations.push(annotation);
      this.show(`${annotation.level[0]!.toUpperCase()}${annotation.level.slice(1)}: ${annotation.message}`);
      return;
    }
    switch (cmd.command) {
      case 'add-mask':
        if (cmd.message) {
          this.masks.push(cmd.message);
          this.addedMasks.push(cmd.message);
        }
        return;
      case 'group':
        this.show(`▸ ${cmd.message}`);
        return;
      case 'endgroup':
        return;
      case 'debug':
        if (this.options.debug) this.show(`##[debug]${cmd.message}`);
        return;
      case 'set-output':
        if (cmd.properties.name) this.legacyOutputs[cmd.properties.name] = cmd.message;
        return;
      case 'stop-commands':
        this.stopToken = cmd.message;
        return;
      default:
        this.show(line);
        return;
    }
  }

  /** A line splitter for one output stream (stdout or stderr) feeding this log. */
  stream(): { push(chunk: Buffer): void; end(): void } {
    let partial = '';
    return {
      push: (chunk) => {
        const lines = (partial + chunk.toString('utf8')).split('\n');
        partial = lines.pop() ?? '';
        for (const l of lines) this.line(l.replace(/\r$/, ''));
      },
      end: () => {
        if (partial) this.line(partial);
        partial = '';
      },
    };
  }
}
