import { SecretManagerSecretIamMember } from '@cdktf/provider-google/lib/secret-manager-secret-iam-member';
import { DataResource, dependable, ITerraformDependable, TerraformStack, TerraformVariable, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import type { IGrantee } from '../gcp/grantee';
import { resolveLocation } from '../gcp/providers';
import { checkShape } from '../core/props-shape';
import { REDIS_SHAPE } from '../core/shapes';
import { skipTerraformVersionCheck } from '../gcp/terraform-data';
import { Problems, reportProblems } from '../core/validation';
import { SECRET_ACCESSOR_ROLE, WriteOnlySecret } from '../gcp/write-only-secret';

const USERINFO_PATTERN = '[^:@/\\s]*:[^@/\\s]+';
/** A `rediss://` URL with user and password, an `*.upstash.io` endpoint and a port (TLS is always on at Upstash). */
export const UPSTASH_URL_PATTERN = [
  '^rediss://',
  USERINFO_PATTERN,
  '@[a-z0-9-]+(\\.[a-z0-9-]+)*\\.upstash\\.io:[0-9]{1,5}/?$',
].join('');

export interface UpstashRedisConfigProps {
  /**
   * Name of the sensitive, ephemeral Terraform variable that carries the URL.
   * The operator sets it as `TF_VAR_<name>` on the first deploy and whenever `valueVersion`
   * is bumped; other plans need no value. It reaches Secret Manager write-only and is never
   * stored in state or in `cdktf.out`.
   * @default `upstash_<path>_url`, from this construct's path below its stack (`upstash_redis_url` for the id `redis`)
   */
  readonly variableName?: string;
  /**
   * The URL as a Terraform value (for example built from an Upstash provider resource).
   * A literal is refused: it would put the Redis password in `cdktf.out` and the plan.
   * @default the variable above
   */
  readonly url?: string;
  /**
   * Use an existing Secret Manager secret (its id) that already holds the URL, instead of
   * creating one. Nothing about the URL is then in this configuration.
   * @default a new secret
   */
  readonly existingSecretId?: string;
  /**
   * Id of the secret created for the URL.
   * @default `twenty-<path>-url`, from this construct's path below its stack (`twenty-redis-url` for the id `redis`)
   */
  readonly secretId?: string;
  /**
   * Version of the stored URL. Bump it, in the same run that sets `TF_VAR_<variableName>`,
   * to write a new URL (after rotating the Upstash password). While it stays the same, plans
   * without the URL change nothing: Terraform never compares write-only values.
   * @default 1
   */
  readonly valueVersion?: number;
  /**
   * Project id.
   * @default the stack's `google` provider project
   */
  readonly project?: string;
  /**
   * Region of the secret's replica; must equal the environment's region.
   * @default the stack's `google` provider region
   */
  readonly region?: string;
}

/**
 * `REDIS_URL` for Twenty from an Upstash database, kept in Secret Manager.
 * TLS (`rediss://`) is mandatory on Upstash; anything else is refused.
 */
export class UpstashRedisConfig extends Construct {
  /** The secret created for the URL, unless an existing one was given. */
  public readonly secret?: WriteOnlySecret;
  /** The variable the operator sets, unless `url` or an existing secret was given. */
  public readonly variable?: TerraformVariable;
  /**
   * With the variable: a `terraform_data` replaced (before the secret version) whenever a
   * version is written. Its `local-exec` fails the apply when the variable is unset, so a
   * missing URL never becomes an empty secret version.
   */
  public readonly urlGuard?: DataResource;
  public readonly project: string;
  /** Name of the Terraform variable (`TF_VAR_<name>`), or undefined when `url` or an existing secret was given. */
  public readonly variableName?: string;
  /** Id of the secret created for the URL, or undefined when an existing secret was given. */
  public readonly secretId?: string;
  private readonly existingSecretId?: string;

  constructor(scope: Construct, id: string, given: UpstashRedisConfigProps = {}) {
    super(scope, id);
    const problems = new Problems(`UpstashRedisConfig ${this.node.path}`);
    const props = checkShape(problems, given, REDIS_SHAPE);
    const { project, region } = resolveLocation(this, props, problems, 'Redis URL secret');
    const path = pathBelowStack(this);
    const variableName = props.variableName ?? `upstash_${path.join('_').replace(/[^a-z0-9_]/g, '_')}_url`;
    const secretId = props.secretId ?? `twenty-${path.join('-').replace(/[^a-z0-9-]/g, '-')}-url`;

    if (props.url !== undefined && props.existingSecretId !== undefined) {
      problems.add('give either `url` or `existingSecretId`, not both');
    }
    if (props.url !== undefined) for (const m of checkUpstashUrl(props.url, variableName)) problems.add(m);
    problems.whenKnown(variableName, (n) =>
      /^[a-z_][a-z0-9_]*$/.test(n)
        ? undefined
        : `variable name "${n}" is invalid; use lowercase letters, digits and underscores`,
    );
    if (props.existingSecretId === undefined) {
      for (const other of siblingsInStack(this)) {
        if (props.url === undefined && other.variableName === variableName) {
          problems.add(
            `variable name "${variableName}" is already used by ${other.node.path}; give each UpstashRedisConfig its own \`variableName\``,
          );
        }
        if (other.secretId === secretId) {
          problems.add(
            `secret id "${secretId}" is already used by ${other.node.path}; give each UpstashRedisConfig its own \`secretId\``,
          );
        }
      }
    }
    problems.whenKnown(props.existingSecretId, (s) =>
      /^[A-Za-z0-9_-]{1,255}$/.test(s)
        ? undefined
        : `secret id "${s}" is invalid; give the id (not the full name) of a secret in ${project}`,
    );
    reportProblems(this, problems);
    this.project = project!;

    if (props.existingSecretId !== undefined) {
      this.existingSecretId = props.existingSecretId;
      return;
    }

    this.secretId = secretId;
    let value = props.url;
    if (value === undefined) {
      this.variableName = variableName;
      this.variable = new TerraformVariable(this, 'Url', {
        type: 'string',
        sensitive: true,
        // Optional: needed only when the secret version is written (first deploy, bumped
        // valueVersion). Unset, `secret_data_wo` is null and Terraform compares nothing.
        nullable: true,
        description: `Upstash Redis URL: rediss:// with the user "default", its password, the *.upstash.io endpoint and port 6379. Set TF_VAR_${variableName} on the first deploy and when the URL's version is bumped; other plans need no value`,
        validation: [
          {
            // `can()` also keeps null from erroring: Terraform 1.11 evaluates both sides of `||`.
            condition: `\${var.${variableName} == null || can(regex("${hclString(UPSTASH_URL_PATTERN)}", var.${variableName}))}`,
            errorMessage:
              'The Upstash Redis URL must use rediss:// (Upstash only accepts TLS connections), with a user and password, an *.upstash.io endpoint and a port.',
          },
        ],
      });
      this.variable.overrideLogicalId(variableName);
      this.variable.addOverride('default', null);
      // Ephemeral: usable only in write-only arguments, never persisted.
      this.variable.addOverride('ephemeral', true);
      value = this.variable.stringValue;
    }

    const valueVersion = props.valueVersion ?? 1;
    this.secret = new WriteOnlySecret(this, 'Secret', {
      project: this.project,
      region: region!,
      secretId,
      value,
      valueVersion,
    });
    if (this.variable) {
      this.urlGuard = urlGuard(this, variableName, valueVersion);
      this.secret.version.dependsOn = [...(this.secret.version.dependsOn ?? []), dependable(this.urlGuard)];
      // A new version exists before the old one goes: a failed write leaves the old one serving.
      this.secret.version.addOverride('lifecycle.create_before_destroy', true);
    }
  }

  /** The secret reference for `secret_key_ref.secret`. */
  get secretName(): string {
    return this.secret ? this.secret.secretName : `projects/${this.project}/secrets/${this.existingSecretId}`;
  }

  /** What a consumer waits for before it starts. */
  get dependables(): ITerraformDependable[] {
    return this.secret ? [this.secret.version] : [];
  }

  /** Grants the grantee read access to this secret only (created in `grantee.scope`, id from the grantee for this construct). */
  grantRead(grantee: IGrantee): SecretManagerSecretIamMember {
    if (this.secret)
      return this.secret.grantRead({
        member: grantee.member,
        scope: grantee.scope,
        grantId: () => grantee.grantId(this),
      });
    return new SecretManagerSecretIamMember(grantee.scope, grantee.grantId(this), {
      project: this.project,
      secretId: this.existingSecretId!,
      role: SECRET_ACCESSOR_ROLE,
      member: grantee.member,
    });
  }
}

/**
 * Terraform compares no write-only value, so it cannot refuse at plan time a version bump
 * without the URL. Provisioners run only when their resource is created: this one is
 * replaced exactly when the secret version is (same `valueVersion`), before it (the version
 * depends on it, both create-before-destroy), and exits 1 when the variable is unset. The
 * command is `exit 0` or `echo ... 1>&2 && exit 1`, valid in sh and cmd alike.
 */
function urlGuard(scope: Construct, variableName: string, valueVersion: number): DataResource {
  const refusal =
    `echo TF_VAR_${variableName} is not set, but this apply writes version ${valueVersion} of the Upstash Redis URL secret` +
    ` - the first deploy and every valueVersion change need the URL: set TF_VAR_${variableName} and apply again 1>&2 && exit 1`;
  const guard = new DataResource(scope, 'UrlGuard', {
    triggersReplace: { value_version: valueVersion },
    lifecycle: { createBeforeDestroy: true },
    provisioners: [
      { type: 'local-exec', command: `\${nonsensitive(var.${variableName} == null) ? "${refusal}" : "exit 0"}` },
    ],
  });
  skipTerraformVersionCheck(guard);
  return guard;
}

/** Ids from the stack down to `c`, lowercased: the stable part of the default names. */
function pathBelowStack(c: IConstruct): string[] {
  const scopes = c.node.scopes;
  const stackIndex = scopes.findIndex((s) => TerraformStack.isStack(s));
  return scopes.slice(stackIndex + 1).map((s) => s.node.id.toLowerCase());
}

/** The UpstashRedisConfigs made before `c` in the same stack. */
function siblingsInStack(c: UpstashRedisConfig): UpstashRedisConfig[] {
  const stack = c.node.scopes.find((s) => TerraformStack.isStack(s));
  if (!stack) return [];
  return stack.node.findAll().filter((o): o is UpstashRedisConfig => o instanceof UpstashRedisConfig && o !== c);
}

/**
 * Checks what is known at synth time of a Redis URL. Parts that are tokens are
 * skipped; a fully literal URL is refused because it would carry the password.
 */
export function checkUpstashUrl(url: string, variableName = 'upstash_redis_url'): string[] {
  const problems: string[] = [];
  const placeholder = 'TOKEN';
  const known = url.replace(/\$\{TfToken\[[^\]]+\]\}/g, placeholder);
  const startsKnown = !url.startsWith('${TfToken[');
  if (startsKnown && !known.startsWith('rediss://')) {
    const scheme = known.split('://')[0];
    problems.push(
      `REDIS_URL scheme "${scheme}://" is refused; Upstash only accepts TLS, so the URL must start with "rediss://"`,
    );
  }
  const host = /^[a-z]+:\/\/[^@]*@([^:/]+)/.exec(known)?.[1];
  if (host && !host.includes(placeholder) && !/\.upstash\.io$/.test(host)) {
    problems.push(`REDIS_URL host "${host}" is not an Upstash endpoint (*.upstash.io)`);
  }
  if (!Token.isUnresolved(url)) {
    problems.push(
      `REDIS_URL was given as a literal; it carries the Redis password and would land in cdktf.out and the plan. Leave \`url\` unset and provide TF_VAR_${variableName}, or use \`existingSecretId\``,
    );
  }
  return problems;
}

/** cdktf writes string arguments into HCL templates unescaped; HCL needs `\\` for `\`. */
function hclString(s: string): string {
  return s.replace(/\\/g, '\\\\');
}
