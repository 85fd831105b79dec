/** What a review reports: per stack, the flags, changes and suppressions. */
import type { Json } from '../core/json';

/** Stack name → parsed `cdk.tf.json`. */
export type SynthesizedApp = Readonly<Record<string, Json>>;

/** One attribute that differs; `undefined` means absent on that side. */
export interface AttributeChange {
  readonly path: string;
  readonly from?: Json;
  readonly to?: Json;
}

export type FlagKind = 'destroy' | 'rename' | 'replace' | 'protection-off' | 'iam-move' | 'suppression' | 'state';

export interface Flag {
  readonly kind: FlagKind;
  /** Terraform address (or `terraform.backend` for `state`). */
  readonly address: string;
  readonly message: string;
  /** What will stop the apply (deletion protection, prevent_destroy) and how to proceed. */
  readonly note?: string;
}

/** A guardrail finding accepted with `Guardrails.suppress`, as recorded in `cdk.tf.json`. */
export interface ReviewedSuppression {
  readonly ruleId: string;
  readonly address: string;
  readonly reason: string;
  readonly finding: string;
  /** Not in the base: added by this change. */
  readonly isNew: boolean;
}

export interface ResourceChange {
  readonly address: string;
  readonly changes: readonly AttributeChange[];
}

export interface StackReview {
  readonly stack: string;
  /** `added` / `removed` when the whole stack appears or disappears. */
  readonly status: 'added' | 'removed' | 'present';
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Addresses moved with a `moved` block (state follows, nothing is destroyed). */
  readonly moved: readonly { from: string; to: string }[];
  readonly changed: readonly ResourceChange[];
  /** Changes outside resources: backend, providers, variables, outputs. */
  readonly other: readonly AttributeChange[];
  readonly flags: readonly Flag[];
  /** Guardrail suppressions in the new config. */
  readonly suppressions: readonly ReviewedSuppression[];
  /** Replacements that lose nothing listed in the catalogue and that nothing will stop (not flags). */
  readonly replaced: readonly Flag[];
}
