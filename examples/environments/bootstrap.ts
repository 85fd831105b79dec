import type { DeployerFrontDoor, TwentyBootstrapStackProps } from '../../constructs';

/**
 * The example app's bootstrap (stack `twenty-bootstrap`), derived from its environments: the
 * state bucket they share, the deployer's roles in each of their projects and only for the
 * front doors they use, and GitHub federation for this repository's workflows.
 */
/** What the bootstrap reads of an environment's config (any TwentyStack config has it). */
export interface BootstrapEnvironment {
  readonly projectId: string;
  readonly region: string;
  readonly stateBucket: string;
  readonly production: boolean;
  readonly frontDoor: { readonly kind: string };
}

export function bootstrapFor(environments: readonly BootstrapEnvironment[]): TwentyBootstrapStackProps {
  const [first] = environments;
  const buckets = [...new Set(environments.map((e) => e.stateBucket))];
  if (buckets.length !== 1)
    throw new Error(`the example bootstrap makes one state bucket; the environments use ${buckets.join(', ')}`);
  const doors = new Set(environments.map((e) => e.frontDoor.kind).filter((k): k is DeployerFrontDoor => k !== 'none'));
  return {
    // The state bucket lives with production, where access is the most restricted.
    projectId: (environments.find((e) => e.production) ?? first).projectId,
    region: first.region,
    stateBucket: buckets[0],
    deployProjects: [...new Set(environments.map((e) => e.projectId))],
    frontDoors: [...doors],
    github: { repository: 'acme/crm-infra' },
  };
}
