/**
 * actions/upload-artifact@v4 and actions/download-artifact@v4, locally: the run's artifacts are
 * kept in a directory of the run (gone when it ends; retention-days has no meaning here) and are
 * the only way files pass from one job's workspace to another's, as on GitHub. Their rules are
 * the actions' own: an artifact's files are stored relative to the least common ancestor of the
 * search paths (the directory itself for one directory, its parent for one file); a name already
 * uploaded in the run is refused unless `overwrite: true`; hidden files are left out unless
 * `include-hidden-files: true`; no file found warns (`if-no-files-found`: warn, error, ignore);
 * downloading a name that was never uploaded fails; no name downloads every artifact, each into
 * `path/<name>` unless `merge-multiple: true`.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { findPathFiles, pathLines, segmentPattern } from './path-files.js';

export interface ArtifactResult {
  outputs: Record<string, string>;
  /** Lines for the step's log. */
  log: string[];
}

/** A run's artifacts: one directory per name under `root`. */
export class ArtifactStore {
  private readonly ids = new Map<string, number>();
  private nextId = 1;

  constructor(private readonly root: string) {}

  names(): string[] {
    return [...this.ids.keys()];
  }

  async upload(inputs: Record<string, string>, workspace: string): Promise<ArtifactResult> {
    const name = inputs.name || 'artifact';
    if (/["\\:<>|*?/\r\n]/.test(name))
      throw new Error(`upload-artifact: the artifact name '${name}' is not valid: it must not contain " : < > | * ? \\ / or a line break`);
    if (!inputs.path) throw new Error('upload-artifact: Input required and not supplied: path');
    const ifNone = inputs['if-no-files-found'] || 'warn';
    if (!['warn', 'error', 'ignore'].includes(ifNone))
      throw new Error(`upload-artifact: Unexpected input '${ifNone}' for if-no-files-found; provide one of: warn, error, ignore`);
    const { files, searchPaths } = await findPathFiles(inputs.path, workspace, { includeHidden: inputs['include-hidden-files'] === 'true' });
    const log: string[] = [];
    if (files.length === 0) {
      const text = `No files were found with the provided path: ${pathLines(inputs.path).join('\n')}. No artifacts will be uploaded.`;
      if (ifNone === 'error') throw new Error(`upload-artifact: ${text}`);
      if (ifNone === 'warn') log.push(`::warning::${text}`);
      else log.push(text);
      return { outputs: {}, log };
    }
    if (this.ids.has(name) && inputs.overwrite !== 'true')
      throw new Error(
        `upload-artifact: Failed to CreateArtifact: an artifact with this name already exists on the workflow run (name '${name}'; set overwrite: true to replace it)`,
      );
    const root = artifactRoot(searchPaths, files);
    const target = path.join(this.root, name);
    rmSync(target, { recursive: true, force: true });
    mkdirSync(target, { recursive: true });
    for (const file of files) {
      const rel = path.relative(root, file);
      cpSync(file, path.join(target, rel), { dereference: true });
    }
    const id = this.nextId++;
    this.ids.set(name, id);
    log.push(`With the provided path, there will be ${files.length} file(s) uploaded`, `Artifact ${name} has been successfully uploaded (local id ${id})`);
    return { outputs: { 'artifact-id': String(id), 'artifact-url': '', 'artifact-digest': '' }, log };
  }

  async download(inputs: Record<string, string>, workspace: string): Promise<ArtifactResult> {
    if (inputs.repository || inputs['run-id'])
      throw new Error('download-artifact: artifacts of another repository or run cannot be provided locally (only this run’s)');
    const destination = path.resolve(workspace, pathLines(inputs.path || '.')[0] ?? '.');
    const log: string[] = [];
    if (inputs.name) {
      if (!this.ids.has(inputs.name))
        throw new Error(
          `download-artifact: Unable to download artifact(s): Artifact not found for name: ${inputs.name}\n        Please ensure that your artifact is not expired and the artifact was uploaded using a compatible version of toolkit/upload-artifact.\n        For more information, visit the GitHub Artifacts FAQ: https://github.com/actions/toolkit/blob/main/packages/artifact/docs/faq.md (uploaded in this run: ${this.names().join(', ') || 'none'})`,
        );
      copyTree(path.join(this.root, inputs.name), destination);
      log.push(`Artifact download completed successfully: ${inputs.name} into ${destination}`);
      return { outputs: { 'download-path': destination }, log };
    }
    const names = this.names().filter((n) => !inputs.pattern || segmentPattern(inputs.pattern).test(n));
    if (names.length === 0) log.push('No artifacts found to download');
    const merge = inputs['merge-multiple'] === 'true';
    for (const n of names) copyTree(path.join(this.root, n), merge ? destination : path.join(destination, n));
    if (names.length) log.push(`Total of ${names.length} artifact(s) downloaded into ${destination}: ${names.join(', ')}`);
    return { outputs: { 'download-path': destination }, log };
  }
}

function copyTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  if (!existsSync(from)) return;
  for (const entry of readdirSync(from)) cpSync(path.join(from, entry), path.join(to, entry), { recursive: true });
}

/**
 * Where an artifact's paths start, as upload-artifact computes it: one search path that is a file
 * is stored under its own name; otherwise the least common ancestor of the search paths.
 */
function artifactRoot(searchPaths: string[], files: string[]): string {
  if (searchPaths.length === 1) {
    const only = searchPaths[0]!;
    return files.length === 1 && files[0] === only ? path.dirname(only) : only;
  }
  const split = searchPaths.map((p) => p.split(path.sep));
  const common: string[] = [];
  for (let i = 0; split.every((s) => i < s.length && s[i] === split[0]![i]); i++) common.push(split[0]![i]!);
  return common.join(path.sep) || path.sep;
}
