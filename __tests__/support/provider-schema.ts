/**
 * Validates synthesized Terraform JSON against the schema the provider packages were generated
 * from. Each `@cdktf/provider-<name>/lib/<resource>/index.js` is generated from the provider's
 * schema (google / google-beta 6.50.0, time 0.13.1): its `synthesizeAttributes()` and the
 * `<struct>ToTerraform()` functions list every argument by its Terraform name, and say which are
 * nested blocks (`fooToTerraform(...)`: at most once; `listMapper(fooToTerraform, true)`:
 * repeatable); `index.d.ts` marks the optional ones (`readonly x?:`) and lists the computed
 * attributes as getters. Only the files of the types a stack uses are read (a few MB, well under
 * a second), so nothing is cached.
 *
 * Ephemeral resources are not in any binding package (cdktf 0.21 generates none, and
 * hashicorp/random has no binding package here), so the `ephemeral` block is checked against
 * schemas recorded from the provider's source: see EPHEMERAL_SCHEMAS.
 */
import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';
import { Json } from './synth';

/** Arguments of one block: Terraform name -> what it is. */
export interface BlockSchema {
  readonly args: Map<string, ArgSchema>;
}
export interface ArgSchema {
  readonly required: boolean;
  /** A nested block (or list of objects) and whether it may repeat. */
  readonly nested?: { readonly schema: BlockSchema; readonly repeated: boolean; readonly isBlock: boolean };
}
export interface TypeSchema {
  readonly type: string;
  readonly file: string;
  readonly root: BlockSchema;
  /** Attributes a reference may read (every getter of the class, snake_case). */
  readonly attributes: ReadonlySet<string>;
}

const META = new Set(['depends_on', 'count', 'for_each', 'provider', 'lifecycle', 'provisioner', 'connection', '//']);
/** Provider name in the JSON -> its prebuilt binding package. */
const PACKAGES: Record<string, string> = Object.fromEntries(
  ['google', 'google-beta', 'time'].map((name) => [
    name,
    dirname(require.resolve(`@cdktf/provider-${name}/package.json`)),
  ]),
);

/** `hashicorp/google 6.50.0`: the provider release a binding package was generated from. */
export function providerRelease(provider: string): string {
  const root = PACKAGES[provider];
  if (!root) return `${provider} (no binding package)`;
  const p = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).cdktf.provider;
  return `${String(p.name).replace('registry.terraform.io/', '')} ${p.version}`;
}
const CDKTF = dirname(require.resolve('cdktf/package.json'));

const snake = (camel: string) => camel.replace(/([A-Z])/g, '_$1').toLowerCase();
const pascal = (camel: string) => camel.charAt(0).toUpperCase() + camel.slice(1);

/** The binding files of a resource or data source type, or undefined when the package has none. */
export function bindingFiles(
  kind: 'resource' | 'data',
  type: string,
  provider: string,
): { js: string; dts: string } | undefined {
  if (type === 'terraform_data' && kind === 'resource') {
    return { js: join(CDKTF, 'lib/terraform-data-resource.js'), dts: join(CDKTF, 'lib/terraform-data-resource.d.ts') };
  }
  const root = PACKAGES[provider];
  if (!root) return undefined;
  // cdktf's generator names the folder after the type without the provider's own prefix.
  const name =
    kind === 'data' ? `data_${type}` : type.startsWith(`${provider}_`) ? type.slice(provider.length + 1) : type;
  const dir = join(root, 'lib', name.replace(/_/g, '-'));
  const js = join(dir, 'index.js');
  if (!existsSync(js)) return undefined;
  const dts = join(dir, 'index.d.ts');
  // The folder must really hold this type.
  if (!readFileSync(dts, 'utf8').includes(`tfResourceType = "${type}"`)) return undefined;
  return { js, dts };
}

/**
 * The ephemeral resource types the library emits, as their provider's source defines them:
 * Terraform name -> required, optional and computed-only attributes. `random_password`:
 * hashicorp/terraform-provider-random internal/provider/ephemeral_password.go, the same at
 * v3.7.0 (commit 61f625a46022a0bb4c956fdf9428928ee1c33b3c; the lowest RANDOM_PROVIDER allows)
 * and v3.9.0 (commit f8d869dc98d90785f6c8f7131081fa5ef88f9d95).
 */
export const EPHEMERAL_SCHEMAS: Readonly<
  Record<string, { provider: string; required: string[]; optional: string[]; computed: string[] }>
> = {
  random_password: {
    provider: 'hashicorp/random v3.7.0-v3.9.0 (recorded)',
    required: ['length'],
    optional: [
      'special',
      'upper',
      'lower',
      'numeric',
      'min_numeric',
      'min_upper',
      'min_lower',
      'min_special',
      'override_special',
    ],
    computed: ['result', 'bcrypt_hash'],
  },
};

export type SchemaKind = 'resource' | 'data' | 'ephemeral';

const cache = new Map<string, TypeSchema | undefined>();

export function schemaOf(kind: SchemaKind, type: string, provider: string): TypeSchema | undefined {
  const key = `${kind}:${provider}:${type}`;
  if (!cache.has(key)) cache.set(key, kind === 'ephemeral' ? recordedEphemeral(type) : load(kind, type, provider));
  return cache.get(key);
}

function recordedEphemeral(type: string): TypeSchema | undefined {
  const recorded = EPHEMERAL_SCHEMAS[type];
  if (!recorded) return undefined;
  const args = new Map<string, ArgSchema>([
    ...recorded.required.map((a): [string, ArgSchema] => [a, { required: true }]),
    ...recorded.optional.map((a): [string, ArgSchema] => [a, { required: false }]),
  ]);
  return {
    type,
    file: 'EPHEMERAL_SCHEMAS',
    root: { args },
    attributes: new Set([...recorded.required, ...recorded.optional, ...recorded.computed]),
  };
}

function load(kind: 'resource' | 'data', type: string, provider: string): TypeSchema | undefined {
  const files = bindingFiles(kind, type, provider);
  if (!files) return undefined;
  const js = readFileSync(files.js, 'utf8');
  const dts = readFileSync(files.dts, 'utf8');
  const cls =
    new RegExp(
      `export declare class (\\w+) extends cdktf\\.(?:TerraformResource|TerraformDataSource) \\{[\\s\\S]*?tfResourceType = "${type}"`,
    ).exec(dts) ?? /export declare class (DataResource) extends TerraformResource/.exec(dts);
  if (!cls) throw new Error(`no class for ${type} in ${files.dts}`);
  const className = cls[1];
  const body = new RegExp(`synthesizeAttributes\\(\\) \\{\\s*return \\{([\\s\\S]*?)\\n\\s*\\};`).exec(js);
  if (!body) throw new Error(`no synthesizeAttributes in ${files.js}`);
  const optional = interfaceMembers(dts, className === 'DataResource' ? 'DataConfig' : `${className}Config`);
  const root = parseBlock(body[1], optional, js, dts, new Map());
  const classBody = sectionAfter(dts, `export declare class ${className} `);
  const attributes = new Set([...classBody.matchAll(/^\s+get (\w+)\(\)/gm)].map((m) => snake(m[1])));
  return { type, file: files.js, root, attributes };
}

/** `readonly name?:` members of an interface: name -> optional. */
function interfaceMembers(dts: string, name: string): Map<string, boolean> {
  const section = sectionAfter(dts, `export interface ${name} `);
  return new Map([...section.matchAll(/^\s+readonly (\w+)(\??):/gm)].map((m) => [m[1], m[2] === '?']));
}

/** Text from `start` to the next line that is only `}`. */
function sectionAfter(text: string, start: string): string {
  const i = text.indexOf(start);
  if (i < 0) return '';
  const end = text.indexOf('\n}', i);
  return text.slice(i, end < 0 ? undefined : end);
}

function parseBlock(
  body: string,
  optional: Map<string, boolean>,
  js: string,
  dts: string,
  seen: Map<string, BlockSchema>,
): BlockSchema {
  const args = new Map<string, ArgSchema>();
  for (const line of body.split('\n')) {
    const m = /^\s*['"]?([A-Za-z0-9_-]+)['"]?: (.*),?$/.exec(line);
    if (!m) continue;
    const [, key, expr] = m;
    const prop = /(?:this\._|struct\.)(\w+)/.exec(expr.replace(/\.internalValue/, ''))?.[1];
    const required = prop !== undefined && optional.get(prop) === false;
    const list = /listMapper\((\w+)ToTerraform, (true|false)\)/.exec(expr);
    const single = /^(\w+)ToTerraform\(/.exec(expr);
    const fn = list && !list[1].startsWith('cdktf') ? list[1] : single ? single[1] : undefined;
    if (!fn || ['string', 'number', 'boolean', 'any'].includes(fn)) {
      args.set(key, { required });
      continue;
    }
    args.set(key, {
      required,
      nested: { schema: structSchema(fn, js, dts, seen), repeated: !!list, isBlock: list ? list[2] === 'true' : true },
    });
  }
  return { args };
}

function structSchema(fn: string, js: string, dts: string, seen: Map<string, BlockSchema>): BlockSchema {
  const known = seen.get(fn);
  if (known) return known;
  const placeholder: BlockSchema = { args: new Map() };
  seen.set(fn, placeholder);
  const start = js.indexOf(`function ${fn}ToTerraform(struct) {`);
  if (start < 0) throw new Error(`no ${fn}ToTerraform`);
  const ret = js.indexOf('return {', start);
  const end = js.indexOf('\n    };', ret);
  const parsed = parseBlock(js.slice(ret + 'return {'.length, end), interfaceMembers(dts, pascal(fn)), js, dts, seen);
  for (const [k, v] of parsed.args) placeholder.args.set(k, v);
  return placeholder;
}

export interface SchemaProblem {
  readonly address: string;
  readonly message: string;
}

/** Every schema problem of a synthesized stack (`cdk.tf.json` content). */
export function validateStack(json: Json): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const declared = new Set<string>();
  for (const [kind, prefix] of [
    ['resource', ''],
    ['data', 'data.'],
    ['ephemeral', 'ephemeral.'],
  ] as const) {
    for (const [type, byName] of Object.entries(json[kind] ?? {})) {
      for (const name of Object.keys(byName as Json)) declared.add(`${prefix}${type}.${name}`);
    }
  }
  // Without a `provider` meta-argument Terraform takes the provider named by the type's prefix.
  const providerOf = (type: string, config: Json) => String(config.provider ?? type.split('_')[0]).split('.')[0];
  const schemas = new Map<string, TypeSchema | undefined>();

  const noun = { resource: 'resource', data: 'data source', ephemeral: 'ephemeral resource' } as const;
  for (const kind of ['resource', 'data', 'ephemeral'] as const) {
    for (const [type, byName] of Object.entries(json[kind] ?? {})) {
      for (const [name, config] of Object.entries(byName as Json)) {
        const address = `${kind === 'resource' ? '' : `${kind}.`}${type}.${name}`;
        const add = (message: string) => problems.push({ address, message });
        const provider = providerOf(type, config);
        const schema = schemaOf(kind, type, provider);
        schemas.set(address, schema);
        if (!schema) {
          const release =
            kind === 'ephemeral' ? 'the recorded ephemeral schemas' : `provider ${providerRelease(provider)}`;
          add(`unknown ${noun[kind]} type "${type}" in ${release}`);
          continue;
        }
        checkBlock(config as Json, schema.root, '', add, true);
      }
    }
  }

  // References, ephemeral values.
  for (const [path, value] of walkStrings(json)) {
    const depth = path[0] === 'resource' || path[0] === 'data' || path[0] === 'ephemeral' ? 3 : 2;
    const address = [path[0] === 'resource' ? [] : [path[0]], path.slice(1, depth)].flat().join('.');
    const where = path.slice(depth).join('.');
    const add = (message: string) => problems.push({ address, message });
    const key = String(path[path.length - 1]);
    const inLifecycleOrDeps = path.includes('depends_on') || path.includes('replace_triggered_by');
    const refs = inLifecycleOrDeps ? [value] : [...value.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]);
    for (const expr of refs) {
      for (const m of expr.matchAll(
        /(?<![\w.])((?:data\.|ephemeral\.)?(?:google[\w-]*|terraform_data|random_\w+|time_\w+)\.[\w-]+)(?:\.(\w+))?/g,
      )) {
        const [, target, attr] = m;
        if (!declared.has(target)) {
          add(`${where} refers to ${target}, which is not declared`);
          continue;
        }
        if (attr) {
          const schema = schemas.get(target);
          if (schema && !schema.attributes.has(attr))
            add(`${where} reads ${target}.${attr}, which ${schema.type} does not have`);
        }
      }
      if (/(?<![\w.])ephemeral\./.test(expr) && path[0] !== 'ephemeral' && !key.endsWith('_wo')) {
        add(`${where} holds an ephemeral value; only write-only (*_wo) arguments may`);
      }
    }
  }
  return problems;
}

function checkBlock(config: Json, schema: BlockSchema, at: string, add: (m: string) => void, top: boolean): void {
  if (typeof config !== 'object' || config === null) return;
  for (const [key, value] of Object.entries(config)) {
    if (top && META.has(key)) continue;
    if (key === '//') continue;
    const arg = schema.args.get(key);
    const here = at ? `${at}.${key}` : key;
    if (!arg) {
      add(`unknown argument "${here}"`);
      continue;
    }
    if (!arg.nested || typeof value === 'string') continue;
    const items = Array.isArray(value) ? value : [value];
    if (arg.nested.isBlock && !arg.nested.repeated && items.length > 1)
      add(`block "${here}" is given ${items.length} times; it is allowed at most once`);
    items.forEach((item, i) =>
      checkBlock(item, arg.nested!.schema, Array.isArray(value) ? `${here}[${i}]` : here, add, false),
    );
  }
  for (const [key, arg] of schema.args) {
    if (arg.required && (config as Json)[key] === undefined)
      add(`required argument "${at ? `${at}.${key}` : key}" is missing`);
  }
}

function* walkStrings(node: Json, path: (string | number)[] = []): Generator<[(string | number)[], string]> {
  if (typeof node === 'string') yield [path, node];
  else if (Array.isArray(node)) for (let i = 0; i < node.length; i++) yield* walkStrings(node[i], [...path, i]);
  else if (node && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) if (k !== '//') yield* walkStrings(v, [...path, k]);
}
