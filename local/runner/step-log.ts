import { parseCommandLine, REGISTERED_COMMANDS, toAnnotation, type Annotation, type WorkflowCommand } from './workflow-commands.js';

/**
 * A step's output as the Actions runner reads it (actions/runner's ActionCommandManager): split
 * into lines, every workflow command the runner still honours applied — annotations, add-mask,
 * groups, debug, echo, stop-commands, and the deprecated save-state, set-output, set-env and
 * add-path — and every mask applied to what is shown. Shared by the action runner and the
 * workflow runner's `run:` steps, so both read step output the same way. local/runner/README.md
 * lists each command and how it differs from GitHub's, if at all.
 */

/** GitHub's words for the two deprecated stdout commands it still obeys (runner and service). */
export const DEPRECATED_COMMAND_WARNING = (command: string) =>
  `The \`${command}\` command is deprecated and will be disabled soon. Please upgrade to using Environment Files. For more information see: https://github.blog/changelog/2022-10-11-github-actions-deprecating-save-state-and-set-output-commands/`;
/** Constants.Runner.UnsupportedCommandMessageDisabled. */
export const DISABLED_COMMAND_ERROR = (command: string) =>
  `The \`${command}\` command is disabled. Please upgrade to using Environment Files or opt into unsecure command execution by setting the \`ACTIONS_ALLOW_UNSECURE_COMMANDS\` environment variable to \`true\`. For more information see: https://github.blog/changelog/2020-10-01-github-actions-deprecating-set-env-and-add-path-commands/`;
/** Constants.Runner.UnsupportedStopCommandTokenDisabled. */
export const STOP_TOKEN_ERROR =
  "You cannot use a endToken that is an empty string, the string 'pause-logging', or another workflow command. For more information see: https://docs.github.com/actions/learn-github-actions/workflow-commands-for-github-actions#example-stopping-and-starting-workflow-commands or opt into insecure command execution by setting the `ACTIONS_ALLOW_UNSECURE_STOPCOMMAND_TOKENS` environment variable to `true`";

/** Commands the runner does not echo even with `::echo::on` (their extensions' OmitEcho). */
const OMIT_ECHO = new Set(['add-mask', 'debug', 'error', 'warning', 'notice']);

export interface StepLogOptions {
  masks?: readonly string[];
  debug?: boolean;
  onLine?: (line: string) => void;
  /** The step's environment: ACTIONS_ALLOW_UNSECURE_COMMANDS and …_STOPCOMMAND_TOKENS are read from it. */
  env?: Readonly<Record<string, string | undefined>>;
}

export class StepLog {
  readonly annotations: Annotation[] = [];
  /** Masks the step added with ::add-mask:: (beyond those it was given). */
  readonly addedMasks: string[] = [];
  /** Values written with the deprecated `::set-output name=…::`. */
  readonly legacyOutputs: Record<string, string> = {};
  /** Values written with the deprecated `::save-state name=…::`: the post step's STATE_ variables, as on GitHub. */
  readonly legacyState: Record<string, string> = {};
  /** `::set-env name=…::`, obeyed only with ACTIONS_ALLOW_UNSECURE_COMMANDS=true. */
  readonly legacyEnv: Record<string, string> = {};
  /** `::add-path::`, obeyed only with ACTIONS_ALLOW_UNSECURE_COMMANDS=true; the order they came in. */
  readonly legacyPath: string[] = [];
  /** Commands the runner could not process: each fails the step, as it does on GitHub. */
  readonly commandFailures: string[] = [];
  private readonly masks: string[];
  private readonly shown: string[] = [];
  private stopToken: string | undefined;
  private echo: boolean;

  constructor(private readonly options: StepLogOptions = {}) {
    this.masks = [...(options.masks ?? [])];
    // The runner echoes commands when step debug logging is on (ExecutionContext.EchoOnActionCommand).
    this.echo = options.env?.ACTIONS_STEP_DEBUG === 'true';
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
    if (this.stopToken !== undefined) {
      // While stopped, the token is the only registered command besides the others; only it acts.
      const cmd = parseCommandLine(line, new Set([...REGISTERED_COMMANDS, this.stopToken.toLowerCase()]));
      if (cmd && cmd.command === this.stopToken.toLowerCase()) {
        this.show(line);
        this.stopToken = undefined;
      } else this.show(line);
      return;
    }
    const cmd = parseCommandLine(line);
    if (!cmd) {
      this.show(line);
      return;
    }
    if (this.echo && !OMIT_ECHO.has(cmd.command)) this.show(line);
    try {
      this.apply(cmd, line);
    } catch (error) {
      // ActionCommandManager: "Unable to process command '…' successfully.", the cause, and the step fails.
      const what = OMIT_ECHO.has(cmd.command) ? cmd.command : line;
      this.runnerError(`Unable to process command '${what}' successfully.`);
      this.runnerError((error as Error).message);
      this.commandFailures.push((error as Error).message);
    }
  }

  private apply(cmd: WorkflowCommand, line: string): void {
    const annotation = toAnnotation(cmd);
    if (annotation) {
      annotation.message = this.mask(annotation.message);
      this.annotations.push(annotation);
      this.show(`${annotation.level[0]!.toUpperCase()}${annotation.level.slice(1)}: ${annotation.message}`);
      return;
    }
    const name = propertyOf(cmd, 'name');
    switch (cmd.command) {
      case 'add-mask':
        if (cmd.message.trim() === '') this.runnerWarning("Can't add secret mask for empty string in ##[add-mask] command.");
        else {
          this.masks.push(cmd.message);
          this.addedMasks.push(cmd.message);
        }
        return;
      case 'group':
        this.show(`▸ ${cmd.message}`);
        return;
      case 'endgroup':
      case 'add-matcher':
      case 'remove-matcher':
        return;
      case 'debug':
        if (this.options.debug) this.show(`##[debug]${cmd.message}`);
        return;
      case 'echo':
        if (!/^(on|off)$/i.test(cmd.message.trim()))
          throw new Error(`Invalid echo command value. Possible values can be: 'on', 'off'. Current value is: '${cmd.message}'.`);
        this.echo = cmd.message.trim().toLowerCase() === 'on';
        return;
      case 'set-output':
        if (!name) throw new Error("Required field 'name' is missing in ##[set-output] command.");
        this.runnerWarning(DEPRECATED_COMMAND_WARNING('set-output'));
        this.legacyOutputs[name] = cmd.message;
        return;
      case 'save-state':
        if (!name) throw new Error("Required field 'name' is missing in ##[save-state] command.");
        this.runnerWarning(DEPRECATED_COMMAND_WARNING('save-state'));
        this.legacyState[name] = cmd.message;
        return;
      case 'set-env':
        if (!this.allows('ACTIONS_ALLOW_UNSECURE_COMMANDS')) throw new Error(DISABLED_COMMAND_ERROR('set-env'));
        if (!name) throw new Error("Required field 'name' is missing in ##[set-env] command.");
        if (name.toUpperCase() === 'NODE_OPTIONS') {
          this.runnerError("Can't update NODE_OPTIONS environment variable using ::set-env:: command.");
          return;
        }
        this.legacyEnv[name] = cmd.message;
        return;
      case 'add-path':
        if (!this.allows('ACTIONS_ALLOW_UNSECURE_COMMANDS')) throw new Error(DISABLED_COMMAND_ERROR('add-path'));
        if (!cmd.message) throw new Error('path is required');
        this.legacyPath.splice(0, this.legacyPath.length, ...this.legacyPath.filter((p) => p !== cmd.message), cmd.message);
        return;
      case 'stop-commands': {
        const token = cmd.message;
        const unsafe = token === '' || token.toLowerCase() === 'pause-logging' || REGISTERED_COMMANDS.has(token.toLowerCase());
        if (unsafe && !this.allows('ACTIONS_ALLOW_UNSECURE_STOPCOMMAND_TOKENS')) throw new Error(STOP_TOKEN_ERROR);
        this.show(line);
        this.stopToken = token;
        return;
      }
      default:
        this.show(line);
    }
  }

  private allows(variable: string): boolean {
    return (this.options.env?.[variable] ?? '').toLowerCase() === 'true';
  }

  /** A warning the runner itself raises: an annotation, as on GitHub. */
  private runnerWarning(message: string): void {
    this.annotations.push({ level: 'warning', message });
    this.show(`Warning: ${message}`);
  }

  private runnerError(message: string): void {
    this.annotations.push({ level: 'error', message });
    this.show(`Error: ${message}`);
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

/** Command properties are looked up case-insensitively by the runner (OrdinalIgnoreCase). */
function propertyOf(cmd: WorkflowCommand, key: string): string | undefined {
  const found = Object.keys(cmd.properties).find((k) => k.toLowerCase() === key);
  const value = found === undefined ? undefined : cmd.properties[found];
  return value === '' ? undefined : value;
}
