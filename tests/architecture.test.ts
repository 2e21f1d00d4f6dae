/**
 * The layering rules of docs/architecture.md, checked on the source itself: which folder may import
 * which, that only store files reach the query builder and the drivers, that modules stay small, and
 * that every document the code cites exists in the project.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

function files(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts')) out.push(path);
    }
  };
  walk(join(ROOT, folder));
  return out;
}

/** The module specifiers a file imports or re-exports (static and type-only alike). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'/gms)].map((m) => m[1] ?? '');
}

/** The top-level folder of the project an import lands in, or 'package' for an npm package. */
function targetFolder(file: string, specifier: string): string {
  if (!specifier.startsWith('.')) return 'package';
  return relative(ROOT, resolve(dirname(file), specifier)).split('/')[0] ?? '';
}

const ALLOWED: Record<string, readonly string[]> = {
  schemas: ['schemas'],
  mappings: ['mappings', 'schemas'],
  adapters: ['adapters', 'mappings', 'schemas'],
};

describe('layering', () => {
  for (const [folder, allowed] of Object.entries(ALLOWED)) {
    it(`${folder}/ imports only ${allowed.join(', ')} of the project`, () => {
      const wrong = files(folder).flatMap((file) =>
        importsOf(file)
          .map((s) => targetFolder(file, s))
          .filter((t) => t !== 'package' && !allowed.includes(t))
          .map((t) => `${relative(ROOT, file)} → ${t}/`),
      );
      expect(wrong).toEqual([]);
    });
  }

  it('only *.store.ts files and src/store/ import the query builder or a database driver', () => {
    const restricted = new Set(['kysely', 'kysely-d1', 'better-sqlite3']);
    const wrong = files('src')
      .filter((f) => !f.endsWith('.store.ts') && !relative(ROOT, f).startsWith('src/store/'))
      .filter((f) => importsOf(f).some((s) => restricted.has(s)))
      .map((f) => relative(ROOT, f));
    expect(wrong).toEqual([]);
  });

  it('keeps every module in src/ under 400 lines', () => {
    const long = files('src')
      .map((f) => ({ file: relative(ROOT, f), lines: readFileSync(f, 'utf8').split('\n').length }))
      .filter((m) => m.lines > 400);
    expect(long).toEqual([]);
  });

  it('cites in comments only documents the project has', () => {
    const cited = ['src', 'schemas', 'mappings', 'adapters', 'scripts'].flatMap((folder) =>
      files(folder).flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(/\bdocs\/[\w./-]+\.md\b/g)].map((m) => ({
          file: relative(ROOT, f),
          doc: m[0],
        })),
      ),
    );
    expect(cited.length).toBeGreaterThan(0);
    expect(cited.filter((c) => !existsSync(join(ROOT, c.doc)))).toEqual([]);
  });
});
