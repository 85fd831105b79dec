import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { GoogleBetaProvider } from '@cdktf/provider-google-beta/lib/provider';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';

/** The stack's default (un-aliased) `google` provider, if any. */
export function findGoogleProvider(scope: IConstruct): GoogleProvider | undefined {
  return TerraformStack.of(scope)
    .node.findAll()
    .find((c): c is GoogleProvider => c instanceof GoogleProvider && !c.alias);
}

/** The stack's default `google-beta` provider, if any. */
export function findGoogleBetaProvider(scope: IConstruct): GoogleBetaProvider | undefined {
  return TerraformStack.of(scope)
    .node.findAll()
    .find((c): c is GoogleBetaProvider => c instanceof GoogleBetaProvider && !c.alias);
}

/** Region and project as set on the stack's `google` provider. */
export function providerDefaults(scope: IConstruct): { region?: string; project?: string } {
  const p = findGoogleProvider(scope);
  return { region: p?.region, project: p?.project };
}

/** The stack's default `time` provider; added to the stack as `time` when there is none. */
export function findOrAddTimeProvider(scope: IConstruct): TimeProvider {
  const stack = TerraformStack.of(scope);
  const found = stack.node.findAll().find((c): c is TimeProvider => c instanceof TimeProvider && !c.alias);
  return found ?? new TimeProvider(stack, 'time');
}
