/** Replacements that follow from another resource's replacement. */
import { Json, walkJson } from '../core/json';
import { lossOf } from './catalogue';
import { FORCES_REPLACEMENT, forcingAttribute, isStateful } from './danger';
import { typeOf } from './addresses';
import { noteOf } from './flags';

import type { Flag } from './types';

/**
 * Stateful resources replaced because a resource they point at is: a replacement-forcing
 * attribute that references a changing or computed attribute of a replaced resource (unknown
 * until apply), or a `replace_triggered_by` naming it. Repeats until nothing new is found.
 */
export function cascade(
  replaced: Map<string, Set<string>>,
  pairs: [string, string][],
  before: Map<string, Json>,
  after: Map<string, Json>,
): Flag[] {
  const flags: Flag[] = [];
  let grew = true;
  while (grew) {
    grew = false;
    for (const [oldAddress, address] of pairs) {
      const type = typeOf(address);
      if (replaced.has(address) || address.startsWith('data.') || (!isStateful(type) && !FORCES_REPLACEMENT[type]))
        continue;
      const config = after.get(address);
      const reason = [...replaced].flatMap(([target, changedAttrs]) => {
        const triggers: Json[] = config.lifecycle?.replace_triggered_by ?? [];
        if (triggers.some((t) => t === target || String(t).startsWith(`${target}.`))) {
          return [
            `replaced along with \`${target}\`: its \`lifecycle.replace_triggered_by\` names it${lossOf(type) ? `, losing ${lossOf(type)}` : ''}.`,
          ];
        }
        const targetConfig = after.get(target) ?? {};
        const ref = new RegExp(`\\$\\{${target.replace(/\./g, '\\.')}\\.([a-z0-9_]+)[^}]*\\}`, 'g');
        const found: string[] = [];
        for (const [path, value] of walkJson(config)) {
          if (typeof value !== 'string' || path.length === 0) continue;
          const attr = forcingAttribute(type, path.join('.'));
          if (!attr) continue;
          for (const m of value.matchAll(ref)) {
            // A config value kept through the replacement stays known; changed and computed ones do not.
            if (changedAttrs.has(m[1]) || !(m[1] in targetConfig)) {
              found.push(
                `replaced along with \`${target}\`: its \`${attr}\` is \`${m[0]}\`, which forces replacement${lossOf(type) ? `, losing ${lossOf(type)}` : ''}.`,
              );
            }
          }
        }
        return found;
      });
      if (!reason.length) continue;
      replaced.set(address, new Set());
      grew = true;
      flags.push({ kind: 'replace', address, message: reason[0], ...noteOf(type, before.get(oldAddress), config) });
    }
  }
  return flags;
}
