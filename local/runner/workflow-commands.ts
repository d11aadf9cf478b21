/**
 * The runner's side of the workflow-command protocol: `::name key=value,…::message` lines on a
 * step's output, and the file commands (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_ENV) with their
 * `name=value` and `name<<DELIMITER` forms. Parsed as the Actions runner parses them.
 */
export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  file?: string;
  line?: number;
  endLine?: number;
  col?: number;
  title?: string;
}

export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
}

/**
 * The commands the runner registers (actions/runner, ActionCommandManager.cs); any other
 * `::name::` line is plain output. `notice` came later than the others and is registered too.
 */
export const REGISTERED_COMMANDS: ReadonlySet<string> = new Set([
  'add-mask',
  'add-matcher',
  'add-path',
  'debug',
  'echo',
  'endgroup',
  'error',
  'group',
  'notice',
  'remove-matcher',
  'save-state',
  'set-env',
  'set-output',
  'stop-commands',
  'warning',
]);

// In the runner's order, ordinal and case-sensitive (ActionCommand's escape mappings): `%25` last.
function unescapeData(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

function unescapeProperty(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

/** The legacy form's escapes (ActionCommand.Unescape). */
function unescapeLegacy(text: string): string {
  return text.replace(/%3B/g, ';').replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%5D/g, ']').replace(/%25/g, '%');
}

/** Whether `name` is a registered command (case-insensitive, as the runner compares). */
function isRegistered(name: string, registered: ReadonlySet<string>): boolean {
  return registered.has(name.toLowerCase());
}

/**
 * One output line as the runner reads it (ActionCommand.TryParseV2, then TryParse): the current
 * form `::name k=v,…::data` once leading white space is trimmed, else the legacy form
 * `##[name k=v;…]data` found ANYWHERE in the line. A name that is not registered makes the line
 * plain output. `registered` is the runner's set (plus a stop-commands token while one is active).
 */
export function parseCommandLine(line: string, registered: ReadonlySet<string> = REGISTERED_COMMANDS): WorkflowCommand | undefined {
  return parseCurrent(line, registered) ?? parseLegacy(line, registered);
}

function parseCurrent(line: string, registered: ReadonlySet<string>): WorkflowCommand | undefined {
  const message = line.trimStart();
  if (!message.startsWith('::')) return undefined;
  const end = message.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = message.slice(2, end);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (!isRegistered(name, registered)) return undefined;
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const pair of info
      .slice(space + 1)
      .trim()
      .split(',')
      .filter(Boolean)) {
      const eq = pair.indexOf('=');
      if (eq > 0 && eq < pair.length - 1) properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
    }
  }
  return { command: name.toLowerCase(), properties, message: unescapeData(message.slice(end + 2)) };
}

function parseLegacy(line: string, registered: ReadonlySet<string>): WorkflowCommand | undefined {
  const prefix = line.indexOf('##[');
  if (prefix < 0) return undefined;
  const close = line.indexOf(']', prefix);
  if (close < 0) return undefined;
  const info = line.slice(prefix + 3, close);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (!isRegistered(name, registered)) return undefined;
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const pair of info
      .slice(space + 1)
      .split(';')
      .filter(Boolean)) {
      const eq = pair.indexOf('=');
      if (eq > 0 && eq < pair.length - 1) properties[pair.slice(0, eq)] = unescapeLegacy(pair.slice(eq + 1));
    }
  }
  return { command: name.toLowerCase(), properties, message: unescapeLegacy(line.slice(close + 1)) };
}

export function toAnnotation(cmd: WorkflowCommand): Annotation | undefined {
  if (cmd.command !== 'error' && cmd.command !== 'warning' && cmd.command !== 'notice') return undefined;
  const p = cmd.properties;
  const num = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);
  const annotation: Annotation = { level: cmd.command, message: cmd.message };
  if (p.file) annotation.file = p.file;
  const line = num(p.line);
  if (line !== undefined) annotation.line = line;
  const endLine = num(p.endLine);
  if (endLine !== undefined) annotation.endLine = endLine;
  const col = num(p.col);
  if (col !== undefined) annotation.col = col;
  if (p.title) annotation.title = p.title;
  return annotation;
}

/** Parses a GITHUB_OUTPUT/GITHUB_STATE/GITHUB_ENV file; a later value for a name wins. */
export function parseFileCommands(content: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = content.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line === '') continue;
    const heredoc = /^([^=]+?)<<(.+)$/.exec(line);
    const eq = line.indexOf('=');
    if (heredoc && (eq === -1 || eq > line.indexOf('<<'))) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      i++;
      while (i < lines.length && lines[i]!.replace(/\r$/, '') !== delimiter) value.push(lines[i++]!.replace(/\r$/, ''));
      if (i >= lines.length) throw new Error(`file command for '${name}': delimiter '${delimiter}' not found`);
      result[name!] = value.join('\n');
    } else if (eq > 0) {
      result[line.slice(0, eq)] = line.slice(eq + 1);
    } else {
      throw new Error(`invalid file command line: ${JSON.stringify(line)}`);
    }
  }
  return result;
}
