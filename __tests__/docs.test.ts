/**
 * The documentation a user reads: code fences balance (an unclosed fence once swallowed a whole
 * section), links stay inside the repository and resolve, the install line names every peer
 * dependency (docs/api against typedoc: integration/api-docs.test.ts).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { DEPLOYER_ROLES, deployerRoleRow } from '../constructs/bootstrap/deployer-roles';
import { dirname, join, relative, resolve } from 'path';

jest.setTimeout(180_000);

const ROOT = join(__dirname, '..');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (['node_modules', 'dist', 'cdktf.out', '.cache', '.git'].includes(name)) return [];
    if (statSync(p).isDirectory()) return markdownFiles(p);
    return name.endsWith('.md') ? [p] : [];
  });
}

const DOCS = markdownFiles(ROOT).filter((f) => !relative(ROOT, f).startsWith('__tests__'));

/** Unclosed or mismatched fences (CommonMark: a fence closes with the same character, at least as long, no info string). */
export function fenceProblems(text: string): string[] {
  const problems: string[] = [];
  let open: { char: string; length: number; line: number } | undefined;
  text.split('\n').forEach((line, i) => {
    const m = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (!m) return;
    const [char, length, rest] = [m[1][0], m[1].length, m[2]];
    if (!open) {
      if (char === '`' && rest.includes('`')) return; // inline code, not a fence
      open = { char, length, line: i + 1 };
    } else if (char === open.char && length >= open.length && rest.trim() === '') {
      open = undefined;
    } else if (char === open.char && length >= open.length) {
      // ```sh inside a ``` fence is text to CommonMark, but in practice an earlier fence was left open.
      problems.push(`line ${i + 1} opens a fence inside the fence opened on line ${open.line}; close that one first`);
    }
  });
  if (open) problems.push(`the fence opened on line ${open.line} is never closed`);
  return problems;
}

test('the fence check catches an unclosed fence (negative control) and accepts nesting', () => {
  expect(fenceProblems('a\n```sh\nnpm test\n')).toEqual(['the fence opened on line 2 is never closed']);
  expect(fenceProblems('````md\n```ts\nx\n```\n````\n')).toEqual([]);
  expect(fenceProblems('text\n```\nx\n```\n')).toEqual([]);
  // The README's old failure: a stray fence pairs with the next block's close and swallows the text between.
  expect(fenceProblems('x\n```\n## Review\n```sh\nnpm run review\n```\n')).toEqual([
    'line 4 opens a fence inside the fence opened on line 2; close that one first',
  ]);
});

test('every code fence in the Markdown files is closed', () => {
  expect(DOCS.length).toBeGreaterThan(5);
  const problems = DOCS.flatMap((f) => fenceProblems(readFileSync(f, 'utf8')).map((p) => `${relative(ROOT, f)}: ${p}`));
  expect(problems).toEqual([]);
});

/** GitHub's heading anchors: lowercase, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(text: string): Set<string> {
  const prose = text.replace(/^ {0,3}(`{3,}|~{3,})[\s\S]*?^ {0,3}\1[ \t]*$/gm, '');
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of prose.matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
    const base = m[1]
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

test('anchor links point at headings that exist', () => {
  const broken = DOCS.filter((f) => !relative(ROOT, f).startsWith('docs/api')).flatMap((f) => {
    const text = readFileSync(f, 'utf8');
    const prose = text.replace(/^ {0,3}(`{3,}|~{3,})[\s\S]*?^ {0,3}\1[ \t]*$/gm, '').replace(/`[^`\n]*`/g, '');
    return [...prose.matchAll(/\]\(([^)\s#]*)#([^)\s]+)\)/g)]
      .filter(([, file]) => !/^[a-z][a-z0-9+.-]*:/i.test(file))
      .filter(([, file, anchor]) => {
        const target = file ? resolve(dirname(f), file) : f;
        return existsSync(target) && target.endsWith('.md') && !anchors(readFileSync(target, 'utf8')).has(anchor);
      })
      .map(([link]) => `${relative(ROOT, f)}: ${link}`);
  });
  expect(broken).toEqual([]);
});

/** Markdown link targets outside code, without external URLs and anchors. */
function localLinks(text: string): string[] {
  const prose = text.replace(/^ {0,3}(`{3,}|~{3,})[\s\S]*?^ {0,3}\1[ \t]*$/gm, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((m) => m[1])
    .filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith('#'))
    .map((t) => decodeURIComponent(t.split('#')[0]));
}

test('links in the Markdown files resolve inside the repository', () => {
  const broken = DOCS.flatMap((f) => {
    const text = readFileSync(f, 'utf8');
    const outside = localLinks(text).filter((t) => {
      const target = resolve(dirname(f), t);
      return relative(ROOT, target).startsWith('..') || !existsSync(target);
    });
    // No pointers to files that exist only on the maintainers' machines.
    const private_ = /shared\/(FIELD-NOTES|FACTS)\.md|\/work\//.test(text) ? ['a path outside the repository'] : [];
    return [...outside, ...private_].map((t) => `${relative(ROOT, f)}: ${t}`);
  });
  expect(broken).toEqual([]);
});

test('the README installs the package with every peer dependency', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const install = /npm install cdktf-twenty-gcp [^\n`]+/.exec(readme)?.[0];
  expect(install).toBeDefined();
  for (const [name, range] of Object.entries(pkg.peerDependencies as Record<string, string>)) {
    expect({
      name,
      inInstall: install!.includes(`${name}@`) || install!.includes(` ${name} `) || install!.endsWith(` ${name}`),
    }).toEqual({ name, inInstall: true });
    void range;
  }
});

test('the README lists every deployer role, with what it is for and the resource types, and no other', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const table = /<!-- deployer-roles:start -->\n([\s\S]*?)<!-- deployer-roles:end -->/.exec(readme)?.[1];
  expect(table).toBeDefined();
  const rows = table!.split('\n').filter((l) => l.startsWith('| `'));
  expect(rows).toEqual(DEPLOYER_ROLES.map(deployerRoleRow));
});

test("the README's first example is examples/minimal/main.ts, which the package test builds from the tarball", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const example = /```ts\n([\s\S]*?)```/.exec(readme)![1];
  const code = (t: string) =>
    t
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '')
      .replace(/'\.\.\/\.\.\/constructs'/g, "'cdktf-twenty-gcp'")
      .replace(/\s+/g, ' ')
      .trim();
  expect(code(example)).toBe(code(readFileSync(join(ROOT, 'examples/minimal/main.ts'), 'utf8')));
  expect(example.split('\n').filter((l) => l.trim()).length).toBeLessThanOrEqual(15);
});
