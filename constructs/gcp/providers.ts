import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { GoogleBetaProvider } from '@cdktf/provider-google-beta/lib/provider';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { Problems } from '../core/validation';
import { checkProjectId, checkRegion, checkSameRegion } from './regions';

/** The stack's default (un-aliased) `google` provider, if any. */
function findGoogleProvider(scope: IConstruct): GoogleProvider | undefined {
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
function providerDefaults(scope: IConstruct): { region?: string; project?: string } {
  const p = findGoogleProvider(scope);
  return { region: p?.region, project: p?.project };
}

/** The stack's default `time` provider; added to the stack as `time` when there is none. */
export function findOrAddTimeProvider(scope: IConstruct): TimeProvider {
  const stack = TerraformStack.of(scope);
  const found = stack.node.findAll().find((c): c is TimeProvider => c instanceof TimeProvider && !c.alias);
  return found ?? new TimeProvider(stack, 'time');
}

/** A construct's project and region: its own props, else the stack's `google` provider's. */
export interface ResolvedLocation {
  /** '' when unknown (the problem is reported). */
  readonly project: string;
  /** '' when unknown (the problem is reported). */
  readonly region: string;
  /** The region of the stack's `google` provider, if set. */
  readonly providerRegion?: string;
}

/**
 * The one project/region resolver every construct uses: props first, then the stack's google
 * provider; reports a missing project or region, a region Google does not have, and a region
 * other than the provider's (one region per environment), `what` naming the resource.
 */
export function resolveLocation(
  scope: IConstruct,
  given: { readonly project?: string; readonly region?: string },
  problems: Problems,
  what: string,
  options: { checkProject?: boolean } = {},
): ResolvedLocation {
  const defaults = providerDefaults(scope);
  const project = given.project ?? defaults.project;
  const region = given.region ?? defaults.region;
  if (!project) problems.add("no project: set `project` or configure the stack's google provider with one");
  if (!region) problems.add("no region: set `region` or configure the stack's google provider with one");
  if (options.checkProject) problems.whenKnown(project, checkProjectId);
  problems.whenKnown(region, checkRegion);
  if (region && defaults.region) problems.whenKnown(region, (r) => checkSameRegion(what, r, defaults.region!));
  return { project: project ?? '', region: region ?? '', providerRegion: defaults.region };
}
