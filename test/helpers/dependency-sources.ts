/**
 * The JavaScript of every package the bundles can include (package.json's dependencies and
 * theirs, as npm installed them), and what a file takes from a module it imports: for the tests
 * that check who uses a module the bundles swap for an on-demand one (actions/tsconfig.json).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '../..');

/** Every installed dependency directory, transitively, as Node's lookup finds them. */
export function dependencyDirs(): string[] {
  const seen = new Set<string>();
  const visit = (fromDir: string, name: string) => {
    // Node's lookup: the nearest node_modules/<name> from the requiring package up to the root.
    for (let dir = fromDir; ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'node_modules', name);
      if (existsSync(path.join(candidate, 'package.json'))) {
        if (seen.has(candidate)) return;
        seen.add(candidate);
        const pkg = JSON.parse(readFileSync(path.join(candidate, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
        for (const dep of Object.keys(pkg.dependencies ?? {})) visit(candidate, dep);
        return;
      }
      if (dir === root || dir === path.dirname(dir)) return;
    }
  };
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const dep of Object.keys(pkg.dependencies)) visit(root, dep);
  return [...seen];
}

export function jsFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') jsFiles(full, out);
    } else if (/\.(c|m)?js$/.test(entry.name)) out.push(full);
  }
  return out;
}

const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The names a file takes from `module` (the bare name): named ESM imports, and members of a namespace or require()d binding. */
export function namesTaken(source: string, module: string): string[] {
  const m = escaped(module);
  const names: string[] = [];
  for (const hit of source.matchAll(new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*['"]${m}['"]`, 'g'))) {
    for (const part of hit[1]!.split(',')) {
      const name = part
        .trim()
        .split(/\s+as\s+/)[0]!
        .trim();
      if (name) names.push(name);
    }
  }
  const bindings = [
    ...[...source.matchAll(new RegExp(`import\\s+\\*\\s+as\\s+(\\w+)\\s+from\\s*['"]${m}['"]`, 'g'))].map((hit) => hit[1]!),
    ...[...source.matchAll(new RegExp(`(\\w+)\\s*=\\s*(?:__importStar\\()?require\\(\\s*['"]${m}['"]\\s*\\)`, 'g'))].map((hit) => hit[1]!),
  ];
  for (const binding of bindings) for (const hit of source.matchAll(new RegExp(`\\b${binding}\\.(\\w+)`, 'g'))) names.push(hit[1]!);
  if (new RegExp(`import\\s+\\w+\\s+from\\s*['"]${m}['"]`).test(source)) names.push('(default import)');
  return names;
}

/** Every dependency file that imports `module` by its bare name, with the names it takes. */
export function importersOf(module: string): Record<string, string[]> {
  const importers: Record<string, string[]> = {};
  const quoted = new RegExp(`['"]${escaped(module)}['"]`);
  for (const dir of dependencyDirs()) {
    if (dir.endsWith(path.join('node_modules', module))) continue;
    for (const file of jsFiles(dir)) {
      const source = readFileSync(file, 'utf8');
      if (!quoted.test(source)) continue;
      const names = namesTaken(source, module);
      if (names.length > 0) importers[path.relative(root, file)] = [...new Set(names)].sort();
    }
  }
  return importers;
}
