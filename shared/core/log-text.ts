/** Line breaks as the runner splits a step's output (and the Unicode ones, for good measure). */
export const LINE_BREAK = /\r\n|[\r\n\u0085\u2028\u2029]/g;

/**
 * The one function that makes text safe for the job log: the runner reads a line as a command
 * when, after leading white space, it starts with `::` (the current syntax), or when `##[` appears
 * anywhere in it (the legacy syntax the runner still parses). So line breaks become `⏎` (one
 * message is one line), a leading `::` becomes `%3A:` and every `##[` becomes `#%23[` (the
 * percent-escapes GitHub's own command syntax uses). Text with none of those is unchanged.
 */
export function neutraliseLogText(text: string): string {
  const oneLine = text.replace(LINE_BREAK, '⏎').replace(/##\[/g, '#%23[');
  return oneLine.replace(/^(\s*)::/, '$1%3A:');
}
