/**
 * actions/cache@v4 (and its restore/save halves), locally: entries are kept under the runner's
 * state directory, so they outlive the run as GitHub's do. The action's rules: an entry is found
 * by its exact key first, then by each restore-key as a prefix (the newest entry wins); an entry
 * is only found with the same `path:` (its version); it is restored only for the same branch or
 * the default branch; `cache-hit` is `true` on an exact hit, `false` on a restore-key hit and empty
 * on a miss; the post step saves unless the key hit exactly, and an existing key is never
 * overwritten (entries are immutable). Paths are kept relative to the workspace (absolute outside
 * it), and put back at the same place in the next job's workspace.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findPathFiles, pathLines } from './path-files.js';

interface CacheEntry {
  key: string;
  version: string;
  /** The branch (ref) that saved it. */
  ref: string;
  createdAt: number;
}

export interface CacheScope {
  ref: string;
  defaultBranch: string;
}

export interface RestoreResult {
  /** The key of the entry restored, or undefined on a miss. */
  matchedKey?: string;
  outputs: Record<string, string>;
  log: string[];
}

/** Where an entry keeps the files from outside the workspace, by their absolute path. */
const OUTSIDE = '..outside-workspace';

/** GitHub's limit on a key. */
const MAX_KEY_LENGTH = 512;

export class CacheStore {
  constructor(private readonly root: string) {}

  private entries(): (CacheEntry & { dir: string })[] {
    if (!existsSync(this.root)) return [];
    const found: (CacheEntry & { dir: string })[] = [];
    for (const name of readdirSync(this.root)) {
      const meta = path.join(this.root, name, 'entry.json');
      if (existsSync(meta)) found.push({ ...(JSON.parse(readFileSync(meta, 'utf8')) as CacheEntry), dir: path.join(this.root, name) });
    }
    return found;
  }

  async restore(inputs: Record<string, string>, workspace: string, scope: CacheScope, options: { lookupOnly?: boolean } = {}): Promise<RestoreResult> {
    const key = checkKey(inputs.key);
    if (!inputs.path) throw new Error('actions/cache: Input required and not supplied: path');
    const restoreKeys = (inputs['restore-keys'] ?? '')
      .split('\n')
      .map((k) => k.trim())
      .filter(Boolean);
    const version = cacheVersion(inputs.path);
    const refs = new Set([scope.ref, `refs/heads/${scope.defaultBranch}`]);
    const usable = this.entries()
      .filter((e) => e.version === version && refs.has(e.ref))
      // This branch's entries before the default branch's, then the newest first.
      .sort((a, b) => Number(b.ref === scope.ref) - Number(a.ref === scope.ref) || b.createdAt - a.createdAt);
    const found = usable.find((e) => e.key === key) ?? restoreKeys.map((prefix) => usable.find((e) => e.key.startsWith(prefix))).find(Boolean);
    const log: string[] = [];
    const outputs: Record<string, string> = { 'cache-primary-key': key };
    if (!found) {
      if (inputs['fail-on-cache-miss'] === 'true')
        throw new Error(`actions/cache: Failed to restore cache entry. Exiting as fail-on-cache-miss is set. Input key: ${key}`);
      log.push(`Cache not found for input keys: ${[key, ...restoreKeys].join(', ')}`);
      return { outputs: { ...outputs, 'cache-hit': '' }, log };
    }
    outputs['cache-hit'] = String(found.key === key);
    outputs['cache-matched-key'] = found.key;
    if (options.lookupOnly) {
      log.push(`Cache found and can be restored from key: ${found.key}`);
      return { matchedKey: found.key, outputs, log };
    }
    const files = path.join(found.dir, 'files');
    for (const entry of readdirSync(files)) {
      const stored = path.join(files, entry);
      cpSync(stored, entry === OUTSIDE ? path.sep : path.join(workspace, entry), { recursive: true, force: true });
    }
    log.push(`Cache restored from key: ${found.key}`);
    return { matchedKey: found.key, outputs, log };
  }

  async save(inputs: Record<string, string>, workspace: string, scope: CacheScope): Promise<string[]> {
    const key = checkKey(inputs.key);
    if (!inputs.path) throw new Error('actions/cache: Input required and not supplied: path');
    const version = cacheVersion(inputs.path);
    if (this.entries().some((e) => e.key === key && e.version === version && e.ref === scope.ref))
      return [`::warning::Failed to save: Unable to reserve cache with key ${key}, another job may be creating this cache.`];
    const { files } = await findPathFiles(inputs.path, workspace, { includeHidden: true });
    if (files.length === 0)
      return [`::warning::Path Validation Error: Path(s) specified in the action for caching do(es) not exist, hence no cache is being saved.`];
    const dir = path.join(this.root, createHash('sha256').update(`${scope.ref}\n${version}\n${key}`).digest('hex').slice(0, 32));
    const staging = `${dir}.saving-${process.pid}-${Date.now()}`;
    for (const file of files) {
      const rel = path.relative(workspace, file);
      const inside = !rel.startsWith('..') && !path.isAbsolute(rel);
      cpSync(file, path.join(staging, 'files', inside ? rel : path.join(OUTSIDE, file)), { dereference: true });
    }
    const entry: CacheEntry = { key, version, ref: scope.ref, createdAt: Date.now() };
    writeFileSync(path.join(staging, 'entry.json'), JSON.stringify(entry));
    mkdirSync(this.root, { recursive: true });
    rmSync(dir, { recursive: true, force: true });
    // Whole or not at all: a reader never sees half an entry.
    renameSync(staging, dir);
    return [`Cache saved with key: ${key} (${files.length} file(s))`];
  }
}

function checkKey(key: string | undefined): string {
  if (!key) throw new Error('actions/cache: Input required and not supplied: key');
  if (key.length > MAX_KEY_LENGTH) throw new Error(`actions/cache: Key Validation Error: ${key} cannot be larger than ${MAX_KEY_LENGTH} characters.`);
  if (key.includes(',')) throw new Error(`actions/cache: Key Validation Error: ${key} cannot contain commas.`);
  return key;
}

/** The version the cache service keys an entry by besides its key: the paths it holds. */
function cacheVersion(paths: string): string {
  return createHash('sha256').update(pathLines(paths).join('|')).digest('hex');
}
