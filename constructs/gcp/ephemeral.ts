import { IResolvable, ref, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

export const RANDOM_PROVIDER = { source: 'hashicorp/random', version: '>= 3.7.0' } as const;

export interface EphemeralPasswordProps {
  /** Length in characters. */
  readonly length: number;
}

/**
 * An `ephemeral "random_password"`: generated at every plan/apply, never stored in
 * state. cdktf 0.21 has no ephemeral blocks, so it is written as a raw override.
 * Only alphanumerics are drawn so that the value needs no URL encoding, and no
 * shell or `awk` parser can split it.
 */
export class EphemeralPassword extends Construct {
  /** A reference to `result`, usable only in write-only arguments. */
  public readonly result: IResolvable;

  constructor(scope: Construct, id: string, props: EphemeralPasswordProps) {
    super(scope, id);
    const stack = TerraformStack.of(this);
    const name = ephemeralName(this);
    stack.addOverride('terraform.required_providers.random', RANDOM_PROVIDER);
    stack.addOverride(`ephemeral.random_password.${name}`, {
      length: props.length,
      special: false,
      min_lower: 1,
      min_upper: 1,
      min_numeric: 1,
    });
    this.result = ref(`ephemeral.random_password.${name}.result`, stack);
  }
}

/** A readable name from the construct path below the stack (stable while ids are stable). */
function ephemeralName(c: Construct): string {
  const stack = TerraformStack.of(c);
  const parts = c.node.scopes.slice(c.node.scopes.indexOf(stack) + 1).map((s) => s.node.id);
  return parts
    .join('_')
    .replace(/[^A-Za-z0-9_]/g, '_')
    .replace(/^([^A-Za-z_])/, '_$1')
    .toLowerCase();
}
