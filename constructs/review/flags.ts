/**
 * Flags beside the per-attribute ones: IAM grants that change hands, deletion guards that stop a
 * replacement, which replacements are worth flagging at all, and the suppressions a change adds.
 */
import { Json, SUPPRESSIONS_KEY } from '../core/json';
import { CATALOGUE, lossOf } from './catalogue';
import { deletionBlocked } from './danger';
import { typeOf } from './addresses';

import type { Flag, ReviewedSuppression } from './types';

/**
 * Replacements of catalogue types that lose nothing (an IAM member, a URL map, a time_sleep)
 * and that no deletion guard stops are listed, not flagged; with `unknownFlagged`, a type
 * the catalogue does not know stays flagged.
 */
export function splitReplacements(flags: readonly Flag[], unknownFlagged: boolean): [Flag[], Flag[]] {
  const harmless = (f: Flag) => {
    if (f.kind !== 'replace' || f.note) return false;
    const type = typeOf(f.address);
    if (lossOf(type)) return false;
    return !(unknownFlagged && !CATALOGUE[type]);
  };
  return [flags.filter((f) => !harmless(f)), flags.filter(harmless)];
}

/** The end of a REPLACE message: what is lost. */
export function replacedText(type: string): string {
  const loss = lossOf(type);
  return loss ? `the resource is destroyed and recreated, losing ${loss}.` : 'the resource is destroyed and recreated.';
}

export function noteOf(type: string, old: Json, now: Json | undefined): { note?: string } {
  const note = deletionBlocked(type, old, now);
  return note ? { note } : {};
}

/**
 * What an IAM member grants: its replacement-forcing arguments (role, member, condition and the
 * parent: project, secret_id, bucket), which are also what names the binding. Computed
 * attributes in a plan (`id`, `etag`) are left out.
 */
function grantKey(type: string, config: Json): string {
  const keys = CATALOGUE[type]?.forceNew ?? ['role', 'member', 'condition', 'project'];
  return JSON.stringify(keys.map((k) => config?.[k] ?? null));
}

/** IAM members that leave one address for another with the same grant: two resources manage one binding. */
export function iamMoves(
  removed: string[],
  added: string[],
  before: Map<string, Json>,
  after: Map<string, Json>,
): Flag[] {
  const flags: Flag[] = [];
  for (const address of removed) {
    const type = typeOf(address);
    if (!/_iam_member$/.test(type)) continue;
    const key = grantKey(type, before.get(address));
    const twin = added.find((a) => typeOf(a) === type && grantKey(type, after.get(a)) === key);
    if (!twin) continue;
    flags.push({
      kind: 'iam-move',
      address,
      message: `the same grant moves to \`${twin}\` without a \`moved\` block: for one apply two resources manage one binding, and destroying \`${address}\` removes the member that \`${twin}\` has just granted, until the next apply. Keep the construct id, or add a \`moved\` block (\`moveFromId('${address}')\`).`,
    });
  }
  return flags;
}

/** The suppressions recorded in the new config, each marked new unless the base has it too. */
export function suppressionsIn(toJson: Json | undefined, fromJson: Json | undefined): ReviewedSuppression[] {
  type Recorded = { ruleId: string; address: string; reason: string; finding: string };
  const list = (json: Json | undefined): Recorded[] => json?.['//']?.[SUPPRESSIONS_KEY]?.suppressions ?? [];
  const base = new Set(list(fromJson).map((x) => `${x.ruleId} ${x.address} ${x.reason}`));
  return list(toJson).map((x) => ({
    ruleId: x.ruleId,
    address: x.address,
    reason: x.reason,
    finding: x.finding,
    isNew: !!fromJson && !base.has(`${x.ruleId} ${x.address} ${x.reason}`),
  }));
}
