import { SecretManagerSecret } from '@cdktf/provider-google/lib/secret-manager-secret';
import { SecretManagerSecretIamMember } from '@cdktf/provider-google/lib/secret-manager-secret-iam-member';
import { SecretManagerSecretVersion } from '@cdktf/provider-google/lib/secret-manager-secret-version';
import { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { markGuard } from '../guardrails/rule';
import type { IGrantee } from './grantee';

export const SECRET_ACCESSOR_ROLE = 'roles/secretmanager.secretAccessor';

export interface WriteOnlySecretProps {
  readonly project: string;
  readonly secretId: string;
  /** Replicas stay in the environment's region. */
  readonly region: string;
  /** The value, usually a Terraform expression over ephemeral values. Sent write-only. */
  readonly value: string;
  /** Bump to write a new value. */
  readonly valueVersion: number;
  readonly labels?: Record<string, string>;
  /** Refuse `terraform destroy` of the value (keys that encrypt data). */
  readonly preventDestroy?: boolean;
  /** Write a new version whenever one of these is replaced (keeps secret and source in step). */
  readonly replaceWith?: TerraformResource[];
  /** The secret's `deletion_protection`: kept in state, so a destroy fails even after the code is gone. */
  readonly deletionProtection?: boolean;
  /** The secret's `version_destroy_ttl` (e.g. `604800s`): a destroyed version stays disabled, and recoverable, that long. */
  readonly versionDestroyTtl?: string;
}

/** A Secret Manager secret whose value is written with `secret_data_wo`: never in state or plan. */
export class WriteOnlySecret extends Construct {
  public readonly secret: SecretManagerSecret;
  public readonly version: SecretManagerSecretVersion;

  constructor(scope: Construct, id: string, props: WriteOnlySecretProps) {
    super(scope, id);
    const lifecycle = (replaceWith?: TerraformResource[]) =>
      props.preventDestroy || replaceWith?.length
        ? {
            preventDestroy: props.preventDestroy || undefined,
            // Terraform reads JSON `replace_triggered_by` entries as bare references, without `${}`.
            replaceTriggeredBy: replaceWith?.map((r) => `${r.terraformResourceType}.${r.friendlyUniqueId}`),
          }
        : undefined;
    this.secret = new SecretManagerSecret(this, 'Secret', {
      project: props.project,
      secretId: props.secretId,
      labels: props.labels,
      replication: { userManaged: { replicas: [{ location: props.region }] } },
      deletionProtection: props.deletionProtection,
      versionDestroyTtl: props.versionDestroyTtl,
      lifecycle: lifecycle(),
    });
    this.version = new SecretManagerSecretVersion(this, 'Version', {
      secret: this.secret.id,
      secretDataWo: props.value,
      secretDataWoVersion: props.valueVersion,
      lifecycle: lifecycle(props.replaceWith),
    });
    // The production guardrail checks the final JSON still has what was set here.
    if (props.deletionProtection !== undefined) markGuard(this.secret, 'deletion_protection');
    if (props.preventDestroy) {
      markGuard(this.secret, 'lifecycle.prevent_destroy');
      markGuard(this.version, 'lifecycle.prevent_destroy');
    }
  }

  /** `projects/P/secrets/ID`, the form `secret_key_ref.secret` takes. */
  get secretName(): string {
    return this.secret.id;
  }

  /** Grants the grantee read access to this secret only (created in `grantee.scope`). */
  grantRead(grantee: IGrantee): SecretManagerSecretIamMember {
    return new SecretManagerSecretIamMember(grantee.scope, grantee.grantId(this), {
      project: this.secret.project,
      secretId: this.secret.secretId,
      role: SECRET_ACCESSOR_ROLE,
      member: grantee.member,
    });
  }
}
