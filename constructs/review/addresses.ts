/** Terraform addresses in a synthesized `cdk.tf.json`: which blocks have them, and how to read them. */
import { isObject, Json, stripMetadata } from '../core/json';

/** Blocks whose entries have Terraform addresses. */
const ADDRESSED: Readonly<Record<string, (type: string, name?: string) => string>> = {
  resource: (t, n) => `${t}.${n}`,
  data: (t, n) => `data.${t}.${n}`,
  ephemeral: (t, n) => `ephemeral.${t}.${n}`,
  module: (n) => `module.${n}`,
};
const SKIPPED = ['//', 'moved'];

/** Address → config for every resource, data source, ephemeral resource and module. */
export function addressed(json: Json): Map<string, Json> {
  const map = new Map<string, Json>();
  for (const [block, address] of Object.entries(ADDRESSED)) {
    const entries = json[block];
    if (!isObject(entries)) continue;
    if (block === 'module') {
      for (const [name, cfg] of Object.entries(entries)) map.set(address(name), cfg);
      continue;
    }
    for (const [type, byName] of Object.entries(entries)) {
      if (!isObject(byName)) continue;
      for (const [name, cfg] of Object.entries(byName)) map.set(address(type, name), cfg);
    }
  }
  return map;
}

export function otherBlocks(json: Json): Json {
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(stripMetadata(json) as Record<string, Json>)) {
    if (!(k in ADDRESSED) && !SKIPPED.includes(k)) out[k] = v;
  }
  return out;
}

export function typeOf(address: string): string {
  const parts = address.split('.');
  return parts[0] === 'data' || parts[0] === 'ephemeral' ? parts[1] : parts[0];
}

/** The old config with references to moved addresses rewritten, so that they do not show as changes. */
export function withRenames(config: Json, renames: Map<string, string>): Json {
  if (renames.size === 0) return config;
  let text = JSON.stringify(config);
  for (const [from, to] of renames) text = text.split(`${from}.`).join(`${to}.`).split(`"${from}"`).join(`"${to}"`);
  return JSON.parse(text);
}

export function withoutDependsOn(config: Json): Json {
  if (!isObject(config)) return config;
  const { depends_on: _ignored, ...rest } = config;
  return rest;
}
