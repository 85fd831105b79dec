import { readdirSync, readFileSync } from 'fs';
import { join, relative } from 'path';
import * as ts from 'typescript';

/**
 * Module specifiers that load a whole Google provider (about 1,500 resource modules: 2.4 s and
 * 450 MB per process instead of 0.2 s): the package root and its barrel files.
 */
export const ROOT_PROVIDER_IMPORT = /^@cdktf\/provider-google(-beta)?(\/lib(\/(index|lazy-index)(\.js)?)?)?\/?$/;

/** Directories never scanned: dependencies, build output and tool state. */
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'cdktf.out', 'coverage']);
const SOURCE_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const JEST_LOADERS = new Set(['mock', 'doMock', 'requireActual', 'requireMock', 'createMockFromModule']);

export interface RootImport {
  readonly file: string;
  readonly line: number;
  readonly specifier: string;
}

/**
 * Every root provider import in one file's text: `import`/`export ... from`, `import x = require()`,
 * `require()`, `import()`, `import('...')` types and `jest.mock()`-style loaders. Parsed, not
 * grepped, so comments and strings that merely mention the package do not count.
 */
export function findRootImports(text: string, file: string): RootImport[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: RootImport[] = [];
  const check = (node: ts.Node | undefined): void => {
    if (node && ts.isStringLiteralLike(node) && ROOT_PROVIDER_IMPORT.test(node.text)) {
      found.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, specifier: node.text });
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) check(node.moduleSpecifier);
    else if (ts.isExternalModuleReference(node)) check(node.expression);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) check(node.argument.literal);
    else if (ts.isCallExpression(node) && isModuleLoader(node.expression)) check(node.arguments[0]);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function isModuleLoader(callee: ts.Expression): boolean {
  if (callee.kind === ts.SyntaxKind.ImportKeyword) return true;
  if (ts.isIdentifier(callee)) return callee.text === 'require';
  return (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'jest' &&
    JEST_LOADERS.has(callee.name.text)
  );
}

/** The repository's own TS/JS files (paths relative to `root`), skipping dependencies and output. */
export function sourceFiles(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      return SKIPPED_DIRS.has(entry.name) || entry.name.startsWith('.') ? [] : sourceFiles(root, full);
    }
    return entry.isFile() && SOURCE_FILE.test(entry.name) ? [relative(root, full)] : [];
  });
}

/** One line per root import in the repository, as `file:line: message`. */
export function rootImportViolations(root: string): string[] {
  return sourceFiles(root)
    .flatMap((file) => findRootImports(readFileSync(join(root, file), 'utf8'), file))
    .map(formatViolation);
}

// The package roots, assembled so that no file holds a root specifier even as text.
export const GOOGLE = ['@cdktf', 'provider-google'].join('/');
export const GOOGLE_BETA = `${GOOGLE}-beta`;

export function formatViolation(v: RootImport): string {
  const pkg = v.specifier.startsWith(GOOGLE_BETA) ? GOOGLE_BETA : GOOGLE;
  return `${v.file}:${v.line}: "${v.specifier}" loads every resource of ${pkg}; import the one you use, e.g. "${pkg}/lib/<resource>"`;
}
