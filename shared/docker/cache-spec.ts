/**
 * `cache-from` / `cache-to` entries, as buildx writes them: `type=registry,ref=<image>[,mode=max]`,
 * `type=inline`, a bare image reference (cache-from only: short for type=registry), or another
 * type (`gha`, `local`, `s3`, …) that only buildx knows. buildx gets each line as given; the
 * CLI's built-in BuildKit takes image references to import from (`--cache-from <ref>`) and
 * exports only inline (BUILDKIT_INLINE_CACHE=1), so anything else there is refused up front.
 */
export type CacheEntry = { type: 'registry'; ref: string; given: string } | { type: 'inline'; given: string } | { type: 'other'; kind: string; given: string };

export function parseCacheEntry(line: string, direction: 'from' | 'to'): CacheEntry {
  if (!line.includes('=')) {
    if (direction === 'to') throw new Error(`${JSON.stringify(line)} has no type= (e.g. type=registry,ref=…,mode=max or type=inline)`);
    return { type: 'registry', ref: line, given: line };
  }
  const fields = new Map(
    line.split(',').map((part) => {
      const eq = part.indexOf('=');
      return [eq === -1 ? part : part.slice(0, eq), eq === -1 ? '' : part.slice(eq + 1)] as const;
    }),
  );
  const type = fields.get('type');
  if (!type) throw new Error(`${JSON.stringify(line)} has no type=`);
  if (type === 'inline') return { type: 'inline', given: line };
  if (type === 'registry') {
    const ref = fields.get('ref');
    if (!ref) throw new Error(`${JSON.stringify(line)}: type=registry needs ref=<image>`);
    return { type: 'registry', ref, given: line };
  }
  return { type: 'other', kind: type, given: line };
}

/** Why the built-in BuildKit client cannot do `entry`, or undefined when it can. */
export function unsupportedWithoutBuildx(entry: CacheEntry, direction: 'from' | 'to'): string | undefined {
  if (entry.type === 'other') return `type=${entry.kind}`;
  if (direction === 'from' && entry.type === 'inline') return 'type=inline as a source (name the image with type=registry,ref=…)';
  if (direction === 'to' && entry.type === 'registry') return 'type=registry export (a separate cache manifest; type=inline works)';
  return undefined;
}
