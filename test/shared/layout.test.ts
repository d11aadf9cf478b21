import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../local/runner/run-bundle.js';

/**
 * shared/ is grouped by domain, and dependencies point one way: core at the bottom, the
 * domains on it, rollback on top of ecs. An import that runs the wrong way (or out of shared/
 * into actions/, local/ or test/) fails here, naming the file and the import.
 */
const ALLOWED: Record<string, readonly string[]> = {
  core: [],
  github: ['core'],
  docker: ['core'],
  image: ['core', 'docker', 'github'],
  container: ['core', 'docker', 'image'],
  compose: ['core'],
  'test-report': ['core'],
  'test-tier': ['core', 'compose', 'container', 'test-report'],
  'test-publish': ['core', 'github', 'test-report', 'test-tier'],
  release: ['core', 'github'],
  ecs: ['core', 'github', 'release'],
  rollback: ['core', 'github', 'ecs', 'release'],
  metrics: ['core', 'github', 'release'],
};

const sharedDir = path.join(repoRoot, 'shared');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

/** Every relative module a file imports: static imports, re-exports and dynamic import(). */
function relativeImports(text: string): string[] {
  const found = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(['"])(\.{1,2}\/[^'"]+)\1/gm)].map((m) => m[2]!);
  return [...new Set(found)];
}

/** The arrows in shared/ that run the wrong way, as `file: import (why)`. */
function wrongArrows(files: readonly { file: string; text: string }[]): string[] {
  const wrong: string[] = [];
  for (const { file, text } of files) {
    const rel = path.relative(sharedDir, file);
    const domain = rel.split(path.sep)[0]!;
    for (const spec of relativeImports(text)) {
      const target = path.relative(sharedDir, path.resolve(path.dirname(file), spec));
      if (target.startsWith('..')) {
        wrong.push(`shared/${rel}: ${spec} (leaves shared/ for ${path.relative(repoRoot, path.resolve(path.dirname(file), spec))})`);
        continue;
      }
      const to = target.split(path.sep)[0]!;
      if (to === domain) continue;
      if (!(ALLOWED[domain] ?? []).includes(to)) {
        wrong.push(
          `shared/${rel}: ${spec} (${domain}/ may import ${ALLOWED[domain]?.length ? ALLOWED[domain]!.join(', ') : 'nothing outside itself'}, not ${to}/)`,
        );
      }
    }
  }
  return wrong;
}

describe('shared/ layout', () => {
  const entries = readdirSync(sharedDir, { withFileTypes: true });

  it('is one folder per domain, each with a README, and no loose source files', () => {
    expect(
      entries
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort(),
    ).toEqual(Object.keys(ALLOWED).sort());
    expect(entries.filter((e) => e.isFile()).map((e) => e.name)).toEqual(['README.md']);
    for (const domain of Object.keys(ALLOWED)) {
      const readme = readFileSync(path.join(sharedDir, domain, 'README.md'), 'utf8');
      expect(readme, `shared/${domain}/README.md`).toMatch(/may import/i);
    }
  });

  it('has every import point down the dependency order', () => {
    const files = sourceFiles(sharedDir).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
    expect(files.length).toBeGreaterThan(50);
    expect(wrongArrows(files)).toEqual([]);
  });

  it('catches an arrow the wrong way, and one out of shared/', () => {
    const file = path.join(sharedDir, 'core', 'example.ts');
    expect(
      wrongArrows([
        { file, text: "import { deploy } from '../ecs/deploy.js';\nconst x = await import('../../local/ecs/index.js');\n" },
        { file: path.join(sharedDir, 'ecs', 'x.ts'), text: "import type { A } from '../core/errors.js';\nexport { b } from '../rollback/plan.js';\n" },
      ]),
    ).toEqual([
      'shared/core/example.ts: ../ecs/deploy.js (core/ may import nothing outside itself, not ecs/)',
      'shared/core/example.ts: ../../local/ecs/index.js (leaves shared/ for local/ecs/index.js)',
      'shared/ecs/x.ts: ../rollback/plan.js (ecs/ may import core, github, release, not rollback/)',
    ]);
  });
});
