import { TerraformStack } from 'cdktf';
import { ref } from 'cdktf/lib/tfExpression';
import { cdktfInternalsPinned } from './cdktf-internals';

/**
 * cdktf's App.synth resolves every resource twice: once "preparing", only to find references
 * from one stack to another (it then adds an output to one stack and a remote state to the
 * other), once to write the JSON. When no stack references another, the preparing pass changes
 * nothing; skipping it saves about a third of the synth time per environment.
 *
 * `synthApp` skips it and watches the writing pass instead: a reference resolved in a stack
 * other than its own, with no cross-stack identifier (which only the preparing pass sets), stops
 * the synth, and synthApp starts over with the preparing pass. Set CDKTF_PREPARE_PASS=1 to always
 * run it. This reads a private class of cdktf 0.21.0 (pinned; the project is archived); under
 * any other version the pass always runs.
 */

interface ReferenceLike {
  readonly originStack?: TerraformStack;
  readonly crossStackIdentifier: Record<string, string>;
  resolve(context: { readonly preparing: boolean; readonly scope: unknown }): unknown;
}

/** Whether synthApp may try the synth without the preparing pass. */
export function preparePassSkippable(): boolean {
  return !process.env.CDKTF_PREPARE_PASS && cdktfInternalsPinned();
}

/** Thrown out of the writing pass at the first cross-stack reference it meets unprepared. */
export class UnpreparedCrossStackReference extends Error {
  constructor(identifier: string) {
    super(`cross-stack reference ${identifier} needs cdktf's preparing pass`);
  }
}

/**
 * Runs `fn` (a synth without the preparing pass) and returns whether it met no cross-stack
 * reference; when it returns false, the output of `fn` is incomplete and must be made again with
 * the preparing pass.
 */
export function withoutPreparePass(fn: () => void): boolean {
  const proto = Object.getPrototypeOf(ref('cdktf-twenty-probe')) as ReferenceLike;
  const original = proto.resolve;
  let missed = false;
  proto.resolve = function resolve(this: ReferenceLike & { identifier: string }, context) {
    if (!context.preparing && this.originStack) {
      const here = TerraformStack.of(context.scope as TerraformStack);
      if (here !== this.originStack && this.crossStackIdentifier[here.toString()] === undefined) {
        missed = true;
        throw new UnpreparedCrossStackReference(this.identifier);
      }
    }
    return original.call(this, context);
  };
  try {
    fn();
  } catch (e) {
    // Wrapped or not, a missed reference means "start over"; anything else is the synth's own.
    if (!missed) throw e;
  } finally {
    proto.resolve = original;
  }
  return !missed;
}
