import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join, relative, resolve } from 'path';
import {
  findRootImports,
  formatViolation,
  GOOGLE,
  GOOGLE_BETA,
  rootImportViolations,
  sourceFiles,
} from './support/root-imports';

const ROOT = join(__dirname, '..');
const G = GOOGLE;
const B = GOOGLE_BETA;

describe('root imports of the Google providers (2.4 s and 450 MB each, FACTS.md section 1)', () => {
  test('no file of the repository imports a provider package root', () => {
    expect(rootImportViolations(ROOT)).toEqual([]);
  });

  test('the scan covers the app, constructs, stacks, tests and scripts', () => {
    const files = sourceFiles(ROOT);
    for (const f of [
      'main.ts',
      'constructs/index.ts',
      'examples/environments/main.ts',
      '__tests__/imports.test.ts',
      'scripts/bench-app.ts',
      'scripts/bench.mjs',
      'scripts/app.js',
    ]) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => /^(node_modules|dist|cdktf\.out)\//.test(f))).toEqual([]);
  });

  test('every way of loading a module is caught, with file and line', () => {
    const sample = [
      `import * as google from '${G}';`,
      `import { provider } from "${B}";`,
      `import '${G}/lib';`,
      `export * from '${G}/lib/index';`,
      `import g = require('${B}/lib/lazy-index.js');`,
      `const a = require('${G}');`,
      `const b = import('${B}');`,
      `type P = import('${G}').provider.GoogleProvider;`,
      `jest.mock('${G}');`,
    ].join('\n');
    expect(findRootImports(sample, 'stacks/bad.ts').map((v) => `${v.line} ${v.specifier}`)).toEqual([
      `1 ${G}`,
      `2 ${B}`,
      `3 ${G}/lib`,
      `4 ${G}/lib/index`,
      `5 ${B}/lib/lazy-index.js`,
      `6 ${G}`,
      `7 ${B}`,
      `8 ${G}`,
      `9 ${G}`,
    ]);
  });

  test('deep imports, comments and strings that mention the package are allowed', () => {
    const sample = [
      `import { CloudRunV2Service } from '@cdktf/provider-google/lib/cloud-run-v2-service';`,
      `const { GoogleBetaProvider } = require('@cdktf/provider-google-beta/lib/provider');`,
      `// never: import * as google from '${G}';`,
      `/* require('${G}') */`,
      `const hint = "import from '${G}' loads everything";`,
      `const other = require('${G}-betamax');`,
    ].join('\n');
    expect(findRootImports(sample, 'constructs/ok.ts')).toEqual([]);
  });

  test('the failure message names the file, the line and what to import instead', () => {
    const [v] = findRootImports(`\nimport { x } from '${B}';\n`, 'constructs/front-door.ts');
    expect(formatViolation(v)).toBe(
      `constructs/front-door.ts:2: "${B}" loads every resource of ${B}; import the one you use, e.g. "${B}/lib/<resource>"`,
    );
  });

  test('a violation in a file on disk fails the repository check; dependencies are not scanned', () => {
    const dir = mkdtempSync(join(tmpdir(), 'root-imports-'));
    try {
      for (const sub of ['stacks', 'node_modules/x', 'dist']) mkdirSync(join(dir, sub), { recursive: true });
      writeFileSync(join(dir, 'stacks/ok.ts'), `import { App } from 'cdktf';\n`);
      writeFileSync(join(dir, 'stacks/bad.ts'), `import { App } from 'cdktf';\nimport * as google from '${G}';\n`);
      writeFileSync(join(dir, 'node_modules/x/index.js'), `require('${G}');\n`);
      writeFileSync(join(dir, 'dist/main.js'), `require('${G}');\n`);
      expect(rootImportViolations(dir)).toEqual([
        `stacks/bad.ts:2: "${G}" loads every resource of ${G}; import the one you use, e.g. "${G}/lib/<resource>"`,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("examples use only the package's public API", () => {
  const EXAMPLES = join(ROOT, 'examples');
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
    );

  /** Each import that reaches into the repository other than the package entry point or examples/. */
  function internalImports(file: string, source: string): string[] {
    const specifiers = [
      ...source.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)['"]([^'"]+)['"]/g),
    ].map((m) => m[1]);
    return specifiers.filter((s) => {
      if (!s.startsWith('.')) return false; // a package: cdktf, constructs, the providers
      const target = resolve(dirname(file), s);
      const entry = join(ROOT, 'constructs');
      return target !== entry && target !== join(entry, 'index') && !target.startsWith(`${EXAMPLES}/`);
    });
  }

  test('every example imports the package root (constructs/index.ts) or other examples, nothing internal', () => {
    const found = files(EXAMPLES).flatMap((f) =>
      internalImports(f, readFileSync(f, 'utf8')).map((s) => `${relative(ROOT, f)}: ${s}`),
    );
    expect(files(EXAMPLES).map((f) => relative(ROOT, f))).toEqual(
      expect.arrayContaining(['examples/minimal/main.ts', 'examples/environments/environments.ts']),
    );
    expect(found).toEqual([]);
  });

  test('the check catches an internal import (negative control)', () => {
    const file = join(EXAMPLES, 'x/main.ts');
    expect(
      internalImports(
        file,
        "import { TwentyStack } from '../../constructs/stack/twenty-stack';\nimport { App } from 'cdktf';",
      ),
    ).toEqual(['../../constructs/stack/twenty-stack']);
    expect(internalImports(file, "import { Problems } from '../../constructs/core/validation';")).toEqual([
      '../../constructs/core/validation',
    ]);
    expect(internalImports(file, "import { TwentyStack } from '../../constructs';")).toEqual([]);
  });
});
