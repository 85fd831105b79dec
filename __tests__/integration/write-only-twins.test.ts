/**
 * PREBUILT_WRITE_ONLY, the lists SECRET-IN-STATE trusts instead of walking a binding's getters,
 * derived from the binding packages themselves: every `get <name>WoInput()` in their
 * `lib/<type>/index.js` (what the rule asks for), mapped to its Terraform name through the
 * `<name>_wo: cdktf.…ToTerraform(this._<name>Wo)` line that synthesizes it. A provider upgrade
 * that adds a write-only argument, or a new binding package, fails here. It reads both Google
 * packages whole (about 430 MB), so it runs with the integration tests.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { camel, PREBUILT_WRITE_ONLY } from '../../constructs/guardrails/rules/secret-in-state';

interface Derived {
  /** `providerName` in the bindings' terraformGeneratorMetadata. */
  provider: string;
  /** `providerVersion` there: the provider release the package was generated from. */
  version: string;
  /** Terraform names with a `<name>_wo` twin, sorted. */
  arguments: string[];
  /** The `<getter>WoInput` names, sorted: what the rule asks a binding for. */
  getters: string[];
}

const root = (pkg: string) => dirname(require.resolve(`${pkg}/package.json`));
const PACKAGES = ['@cdktf/provider-google', '@cdktf/provider-google-beta', '@cdktf/provider-time'];

function derive(packageRoot: string): Derived {
  const metadata = new Set<string>();
  const args = new Set<string>();
  const getters = new Set<string>();
  for (const type of readdirSync(join(packageRoot, 'lib'))) {
    const file = join(packageRoot, 'lib', type, 'index.js');
    if (!existsSync(file)) continue; // lib/index.js, lib/lazy-index.js: not binding folders
    const js = readFileSync(file, 'utf8');
    for (const m of js.matchAll(
      /terraformGeneratorMetadata: \{\s*providerName: '([^']+)',\s*providerVersion: '([^']+)'/g,
    ))
      metadata.add(`${m[1]} ${m[2]}`);
    const terraformName = new Map(
      [...js.matchAll(/^\s+'?(\w+)_wo'?: cdktf\.\w+ToTerraform\((?:this\._|struct\.)(\w+)Wo\)/gm)].map((m) => [
        m[2],
        m[1],
      ]),
    );
    const found = [...js.matchAll(/^\s+get (\w+)WoInput\(\) \{/gm)];
    if (found.length !== (js.match(/WoInput\b/g) ?? []).length)
      throw new Error(`${type}: a WoInput the pattern missed`);
    for (const [, getter] of found) {
      const name = terraformName.get(getter);
      if (!name) throw new Error(`${type}: no <name>_wo line for the getter ${getter}WoInput`);
      args.add(name);
      getters.add(getter);
    }
  }
  if (metadata.size !== 1) throw new Error(`${packageRoot}: generator metadata ${[...metadata].join(', ')}`);
  const [provider, version] = [...metadata][0].split(' ');
  return { provider, version, arguments: [...args].sort(), getters: [...getters].sort() };
}

/** PREBUILT_WRITE_ONLY's entry for a derived provider, in the same shape. */
function listed(d: Derived): Derived {
  const args = [...(PREBUILT_WRITE_ONLY[d.provider]?.arguments ?? [])].sort();
  // The getters the rule asks for: one the generator named otherwise fails the comparison.
  const getters = args.map(camel).sort();
  return { provider: d.provider, version: PREBUILT_WRITE_ONLY[d.provider]?.version, arguments: args, getters };
}

describe('PREBUILT_WRITE_ONLY', () => {
  const derived = PACKAGES.map((pkg) => derive(root(pkg)));

  test.each(PACKAGES.map((pkg, i) => [pkg, derived[i]] as const))('%s: the list is what its bindings offer', (_, d) => {
    expect(listed(d)).toEqual(d);
  });

  test('lists only those packages, and google 6.50.0 has password, secret_access_key and secret_data', () => {
    expect(Object.keys(PREBUILT_WRITE_ONLY).sort()).toEqual(derived.map((d) => d.provider).sort());
    expect(derived.map((d) => `${d.provider} ${d.version}: ${d.arguments.join(', ')}`)).toEqual([
      'google 6.50.0: password, secret_access_key, secret_data',
      'google-beta 6.50.0: password, secret_access_key, secret_data',
      'time 0.13.1: ',
    ]);
  });

  describe('negative controls', () => {
    let planted: string;
    beforeAll(() => {
      // A copy of provider-google's sql_user binding, plus the same binding with its password
      // renamed api_token: a write-only argument the list does not have.
      planted = mkdtempSync(join(tmpdir(), 'wo-twins-'));
      const google = root('@cdktf/provider-google');
      cpSync(join(google, 'lib', 'sql-user'), join(planted, 'lib', 'sql-user'), { recursive: true });
      const sqlUser = readFileSync(join(google, 'lib', 'sql-user', 'index.js'), 'utf8');
      mkdirSync(join(planted, 'lib', 'planted-token'));
      writeFileSync(
        join(planted, 'lib', 'planted-token', 'index.js'),
        sqlUser.replace(/passwordWo/g, 'apiTokenWo').replace(/password_wo/g, 'api_token_wo'),
      );
    });
    afterAll(() => rmSync(planted, { recursive: true, force: true }));

    test('a planted write-only argument is derived, and the comparison then fails', () => {
      const d = derive(planted);
      expect(d).toEqual({
        provider: 'google',
        version: '6.50.0',
        arguments: ['api_token', 'password'],
        getters: ['apiToken', 'password'],
      });
      expect(() => expect(listed(d)).toEqual(d)).toThrow();
    });

    test('a list missing one argument fails the comparison', () => {
      const d = derived[0];
      const short = { ...listed(d), arguments: listed(d).arguments.filter((a) => a !== 'secret_data') };
      expect(() => expect(short).toEqual(d)).toThrow();
    });

    test('a WoInput getter whose Terraform name cannot be read fails the derivation', () => {
      const js = join(planted, 'lib', 'planted-token', 'index.js');
      writeFileSync(js, readFileSync(js, 'utf8').replace(/api_token_wo:/g, 'apitoken:'));
      expect(() => derive(planted)).toThrow(/planted-token: no <name>_wo line for the getter apiTokenWoInput/);
    });
  });
});
