/** docs/api is what typedoc (the real program, run from node_modules) generates from the types now. */
import { spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';

jest.setTimeout(180_000);

const ROOT = join(__dirname, '..', '..');

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? listFiles(p).map((f) => join(name, f)) : [name];
  });
}

test('docs/api is what `npm run docs:api` generates from the types now', () => {
  const out = mkdtempSync(join(tmpdir(), 'api-'));
  try {
    const typedoc = join(dirname(require.resolve('typedoc/package.json')), 'bin', 'typedoc');
    const r = spawnSync(process.execPath, [typedoc, '--out', out, '--logLevel', 'Warn'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect({ status: r.status, output: r.status === 0 ? '' : `${r.stdout}${r.stderr}` }).toEqual({
      status: 0,
      output: '',
    });
    const committed = join(ROOT, 'docs/api');
    const generated = listFiles(out).sort();
    expect(listFiles(committed).sort()).toEqual(generated);
    const stale = generated.filter(
      (f) => readFileSync(join(out, f), 'utf8') !== readFileSync(join(committed, f), 'utf8'),
    );
    if (stale.length)
      throw new Error(`docs/api is out of date (${stale.join(', ')}); run \`npm run docs:api\` and commit docs/api`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
