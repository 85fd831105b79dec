import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { findRootImports, formatViolation, rootImportViolations, sourceFiles } from './support/root-imports';

const ROOT = join(__dirname, '..');

describe('root imports of the Google providers (2.4 s and 450 MB each, FACTS.md section 1)', () => {
  test('no file of the repository imports a provider package root', () => {
    expect(rootImportViolations(ROOT)).toEqual([]);
  });

  test('the scan covers the app, constructs, stacks, tests and scripts', () => {
    const files = sourceFiles(ROOT);
    for (const f of ['main.ts', 'constructs/index.ts', 'stacks/twenty-stack.ts', '__tests__/imports.test.ts', 'scripts/bench-app.ts', 'scripts/bench.mjs', 'scripts/app.js']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => /^(node_modules|dist|cdktf\.out)\//.test(f))).toEqual([]);
  });

  test('every way of loading a module is caught, with file and line', () => {
    const sample = [
      `import * as google from '@cdktf/provider-google';`,
      `import { provider } from "@cdktf/provider-google-beta";`,
      `import '@cdktf/provider-google/lib';`,
      `export * from '@cdktf/provider-google/lib/index';`,
      `import g = require('@cdktf/provider-google-beta/lib/lazy-index.js');`,
      `const a = require('@cdktf/provider-google');`,
      `const b = import('@cdktf/provider-google-beta');`,
      `type P = import('@cdktf/provider-google').provider.GoogleProvider;`,
      `jest.mock('@cdktf/provider-google');`,
    ].join('\n');
    expect(findRootImports(sample, 'stacks/bad.ts').map((v) => `${v.line} ${v.specifier}`)).toEqual([
      '1 @cdktf/provider-google',
      '2 @cdktf/provider-google-beta',
      '3 @cdktf/provider-google/lib',
      '4 @cdktf/provider-google/lib/index',
      '5 @cdktf/provider-google-beta/lib/lazy-index.js',
      '6 @cdktf/provider-google',
      '7 @cdktf/provider-google-beta',
      '8 @cdktf/provider-google',
      '9 @cdktf/provider-google',
    ]);
  });

  test('deep imports, comments and strings that mention the package are allowed', () => {
    const sample = [
      `import { CloudRunV2Service } from '@cdktf/provider-google/lib/cloud-run-v2-service';`,
      `const { GoogleBetaProvider } = require('@cdktf/provider-google-beta/lib/provider');`,
      `// never: import * as google from '@cdktf/provider-google';`,
      `/* require('@cdktf/provider-google') */`,
      `const hint = "import from '@cdktf/provider-google' loads everything";`,
      `const other = require('@cdktf/provider-google-betamax');`,
    ].join('\n');
    expect(findRootImports(sample, 'constructs/ok.ts')).toEqual([]);
  });

  test('the failure message names the file, the line and what to import instead', () => {
    const [v] = findRootImports(`\nimport { x } from '@cdktf/provider-google-beta';\n`, 'constructs/front-door.ts');
    expect(formatViolation(v)).toBe(
      'constructs/front-door.ts:2: "@cdktf/provider-google-beta" loads every resource of @cdktf/provider-google-beta; import the one you use, e.g. "@cdktf/provider-google-beta/lib/<resource>"',
    );
  });

  test('a violation in a file on disk fails the repository check; dependencies are not scanned', () => {
    const dir = mkdtempSync(join(tmpdir(), 'root-imports-'));
    try {
      for (const sub of ['stacks', 'node_modules/x', 'dist']) mkdirSync(join(dir, sub), { recursive: true });
      writeFileSync(join(dir, 'stacks/ok.ts'), `import { App } from 'cdktf';\n`);
      writeFileSync(join(dir, 'stacks/bad.ts'), `import { App } from 'cdktf';\nimport * as google from '@cdktf/provider-google';\n`);
      writeFileSync(join(dir, 'node_modules/x/index.js'), `require('@cdktf/provider-google');\n`);
      writeFileSync(join(dir, 'dist/main.js'), `require('@cdktf/provider-google');\n`);
      expect(rootImportViolations(dir)).toEqual([
        'stacks/bad.ts:2: "@cdktf/provider-google" loads every resource of @cdktf/provider-google; import the one you use, e.g. "@cdktf/provider-google/lib/<resource>"',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
