/**
 * RENDER_VERSION (render-version.ts) is a hash of the files a prepared view is made by: a stored view made by other
 * code must be stale. This walks prepared.ts's own imports, and theirs, inside renderer/reading/, and checks that
 * each file is in RENDER_VERSION_SOURCES, so a new module that takes part in the document cannot be left out of it.
 * Type-only imports make no code and are not followed.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RENDER_VERSION_SOURCES } from '../../../renderer/reading/render-version.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const READING = 'renderer/reading';

/**
 * The relative modules a file imports for their code (`import x from './a.ts'`, `import './a.ts'`,
 * `export { x } from './a.ts'`, across lines), not `import type` / `export type`.
 */
function valueImports(source: string): string[] {
  const found: string[] = [];
  const statement = /^\s*(import|export)\s+(?:(type)\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
  for (const match of source.matchAll(statement)) {
    const [, , typeOnly, specifier] = match;
    if (typeOnly === 'type' || specifier === undefined) continue;
    found.push(specifier);
  }
  return found;
}

/** prepared.ts and every module under renderer/reading/ it reaches through value imports, relative to the repo. */
function preparedModules(): string[] {
  const seen = new Set<string>();
  const pending = [`${READING}/prepared.ts`];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of valueImports(readFileSync(join(ROOT, file), 'utf8'))) {
      if (!specifier.startsWith('.') || !/\.tsx?$/.test(specifier)) continue;
      const target = relative(ROOT, join(ROOT, dirname(file), specifier)).split('\\').join('/');
      if (target.startsWith(`${READING}/`)) pending.push(target);
    }
  }
  return [...seen].sort();
}

describe('RENDER_VERSION_SOURCES', () => {
  it('reads value imports, not type imports, across lines', () => {
    const source = [
      "import { a } from './a.ts';",
      "import type { B } from './b.ts';",
      'import {',
      '  c,',
      '  d,',
      "} from './c.ts';",
      "import './side-effect.ts';",
      "export { e } from './e.ts';",
      "export type { F } from './f.ts';",
      "import { type G, h } from './h.ts';",
      "import DOMPurify from 'dompurify';",
    ].join('\n');
    expect(valueImports(source)).toEqual(['./a.ts', './c.ts', './side-effect.ts', './e.ts', './h.ts', 'dompurify']);
  });

  it('lists every module prepared.ts makes a view with', () => {
    const modules = preparedModules();
    // The walk itself must work: the sanitizer and the frame document are always part of a view.
    expect(modules).toEqual(
      expect.arrayContaining([
        `${READING}/prepared.ts`,
        `${READING}/sanitize.ts`,
        `${READING}/frame-document.ts`,
        `${READING}/render-text.ts`,
      ]),
    );
    expect(modules.filter((file) => !RENDER_VERSION_SOURCES.includes(file))).toEqual([]);
  });

  it('names only files that exist', () => {
    for (const file of RENDER_VERSION_SOURCES) {
      expect(() => readFileSync(join(ROOT, file), 'utf8'), file).not.toThrow();
    }
  });
});
