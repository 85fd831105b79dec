/**
 * The package's layout stays readable: no source file of constructs/ over 400 lines (issue 12).
 * A long file is a sign that a concern wants its own module.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';

const ROOT = join(__dirname, '..');
export const MAX_LINES = 400;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Files longer than `max` lines, as `path: N lines`. */
export function overLong(files: readonly string[], max = MAX_LINES): string[] {
  return files
    .map((f) => ({ f, n: readFileSync(f, 'utf8').split('\n').length - 1 }))
    .filter(({ n }) => n > max)
    .map(({ f, n }) => `${relative(ROOT, f)}: ${n} lines`);
}

test(`no source file under constructs/ is over ${MAX_LINES} lines`, () => {
  const files = sources(join(ROOT, 'constructs'));
  expect(files.length).toBeGreaterThan(30);
  expect(overLong(files)).toEqual([]);
});

test('control: the check finds a file over the limit', () => {
  const files = sources(join(ROOT, 'constructs'));
  const longest = Math.max(...files.map((f) => readFileSync(f, 'utf8').split('\n').length - 1));
  expect(overLong(files, longest - 1).length).toBeGreaterThan(0);
});
