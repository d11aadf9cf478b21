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

const COMMAND = /^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/;

function unescapeData(text: string): string {
  return text.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
}

function unescapeProperty(text: string): string {
  return unescapeData(text).replace(/%3A/gi, ':').replace(/%2C/gi, ',');
}

export function parseCommandLine(line: string): WorkflowCommand | undefined {
  const match = COMMAND.exec(line.trimStart());
  if (!match) return undefined;
  const [, command, props = '', message = ''] = match;
  const properties: Record<string, string> = {};
  for (const pair of props.split(',')) {
    const eq = pair.indexOf('=');
    if (eq > 0) properties[pair.slice(0, eq).trim()] = unescapeProperty(pair.slice(eq + 1));
  }
  return { command: command!.toLowerCase(), properties, message: unescapeData(message) };
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
