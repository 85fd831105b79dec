/**
 * No file of the repository holds a URL with an inline password: credentials are generated,
 * ephemeral, or (in tests) generated per run, and URLs carrying them are assembled with
 * `withCredentials`. The pattern is assembled from parts so that this file passes its own scan.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { withCredentials } from '../constructs/database/pg-url';
import { FAKE_PASSWORD } from './support/samples';
import { sourceFiles } from './support/root-imports';

const ROOT = join(__dirname, '..');
const CREDENTIAL_URL = new RegExp(['[a-z][a-z0-9+.-]*', ':', '//', '[^/\\s@]*', ':', '[^/\\s]*', '@'].join(''), 'i');

function literalCredentialUrls(text: string, file: string): string[] {
  return text.split('\n').flatMap((line, i) => (CREDENTIAL_URL.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : []));
}

test('no source file holds a URL with an inline password', () => {
  const hits = [...sourceFiles(ROOT), 'README.md'].flatMap((f) =>
    literalCredentialUrls(readFileSync(join(ROOT, f), 'utf8'), f),
  );
  expect(hits).toEqual([]);
});

test('the scan catches one, in any scheme and quoting', () => {
  const url = withCredentials('postgresql', 'twenty', FAKE_PASSWORD, '/twenty?host=/cloudsql/p:r:i');
  expect(literalCredentialUrls(`const a = '${url}';\nconst b = 1;`, 'x.ts')).toEqual([`x.ts:1: const a = '${url}';`]);
  const redis = withCredentials('rediss', 'default', '${var.pw}', 'eu1-x.upstash.io:6379');
  expect(literalCredentialUrls(`  url: \`${redis}\``, 'y.ts')).toHaveLength(1);
  expect(literalCredentialUrls('const u = "https://crm.example.com/auth@x";', 'z.ts')).toEqual([]);
});
