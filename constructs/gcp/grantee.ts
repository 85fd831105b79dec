import { Construct, IConstruct } from 'constructs';

/**
 * Who receives a grant, in the style of aws-cdk's `IGrantable`: every construct that hands out
 * access has `grantRead(grantee)` (or `grantConnect(grantee)`), with this one argument.
 *
 * Construct ids are Terraform addresses, so the grantee also says where its grants live:
 * a grant the grantee owns (e.g. a secret accessor binding) is created in `scope` under
 * `grantId(resource)`; a grant the resource owns (the database's `cloudsql.client` binding) is
 * created in the resource under an id built from `grantId(resource)`. The ids come from the
 * grantee's table, never from the resource's guess, so two grantees or two resources cannot
 * collide and renaming nothing keeps every address.
 */
export interface IGrantee {
  /** IAM member that receives the role, e.g. `serviceAccount:run@p.iam.gserviceaccount.com`. */
  readonly member: string;
  /** The construct the grantee's own grant resources are created in. */
  readonly scope: Construct;
  /** The id of this grantee's grant on `resource` (a Terraform address: keep it stable). */
  grantId(resource: IConstruct): string;
}

/**
 * A grantee whose grant ids come from a table keyed by the resource construct; a resource
 * missing from the table gets `fallback(resource)`, or the resource's own id.
 */
export class Grantee implements IGrantee {
  private readonly ids = new Map<IConstruct, string>();

  constructor(
    public readonly scope: Construct,
    public readonly member: string,
    private readonly fallback: (resource: IConstruct) => string = (r) => r.node.id,
  ) {}

  /** Records the id of the grant on `resource`; returns this grantee. */
  withId(resource: IConstruct, id: string): this {
    this.ids.set(resource, id);
    return this;
  }

  grantId(resource: IConstruct): string {
    return this.ids.get(resource) ?? this.fallback(resource);
  }
}
