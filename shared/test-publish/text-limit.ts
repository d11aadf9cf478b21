/**
 * GitHub refuses a check run's summary or text over 65,535 bytes (it counts bytes, not
 * characters: "summary exceeds a maximum bytesize of 65535") and a comment over 65,536
 * characters, and a refused request publishes nothing. Text is therefore cut to a byte budget,
 * at a line break where there is one, never inside a character, with a note saying where the
 * rest is.
 */

export const CHECK_RUN_TEXT_BYTES = 65_535;
/** Bytes are at least characters, so a byte budget under the character limit is always safe. */
export const COMMENT_BYTES = 65_536;

export function fitToBytes(text: string, maxBytes: number, note: (cutBytes: number) => string): string {
  const bytes = Buffer.byteLength(text);
  if (bytes <= maxBytes) return text;
  const tail = `\n\n${note(bytes - maxBytes)}\n`;
  const room = maxBytes - Buffer.byteLength(tail);
  // Decoding a byte-cut prefix drops a split character as U+FFFD; remove that.
  let head = Buffer.from(text)
    .subarray(0, Math.max(0, room))
    .toString('utf8')
    .replace(/\uFFFD$/, '');
  while (Buffer.byteLength(head) > room) head = head.slice(0, -1);
  const lastBreak = head.lastIndexOf('\n');
  if (lastBreak > room / 2) head = head.slice(0, lastBreak);
  return `${head}${tail}`;
}
