import { SecretManagerSecretIamMember } from '@cdktf/provider-google/lib/secret-manager-secret-iam-member';
import { Fn, ITerraformDependable, ref, TerraformVariable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { checkRegion, checkSameRegion } from './internal/regions';
import { providerDefaults } from './internal/stack-context';
import { checkShape } from './internal/props-shape';
import { REDIS_SHAPE } from './internal/shapes';
import { Problems, reportProblems } from './internal/validation';
import { SECRET_ACCESSOR_ROLE, WriteOnlySecret } from './internal/write-only-secret';

const USERINFO_PATTERN = '[^:@/\\s]*:[^@/\\s]+';
/** A `rediss://` URL with user and password, an `*.upstash.io` endpoint and a port (TLS is always on at Upstash). */
export const UPSTASH_URL_PATTERN = ['^rediss://', USERINFO_PATTERN, '@[a-z0-9-]+(\\.[a-z0-9-]+)*\\.upstash\\.io:[0-9]{1,5}/?$'].join('');

export interface UpstashRedisConfigProps {
  /**
   * Name of the sensitive, ephemeral Terraform variable that carries the URL.
   * The operator sets it as `TF_VAR_<name>`; it reaches Secret Manager write-only and
   * is never stored in state or in `cdktf.out`.
   * @default 'upstash_redis_url'
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
   * @default 'twenty-redis-url'
   */
  readonly secretId?: string;
  /**
   * Bump to write a new URL (after rotating the Upstash password).
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
  public readonly project: string;
  private readonly existingSecretId?: string;

  constructor(scope: Construct, id: string, given: UpstashRedisConfigProps = {}) {
    super(scope, id);
    const problems = new Problems(`UpstashRedisConfig ${this.node.path}`);
    const props = checkShape(problems, given, REDIS_SHAPE);
    const defaults = providerDefaults(this);
    const project = props.project ?? defaults.project;
    const region = props.region ?? defaults.region;
    const variableName = props.variableName ?? 'upstash_redis_url';

    if (!project) problems.add('no project: set `project` or configure the stack\'s google provider with one');
    if (!region) problems.add('no region: set `region` or configure the stack\'s google provider with one');
    problems.whenKnown(region, checkRegion);
    if (region && defaults.region) problems.whenKnown(region, (r) => checkSameRegion('Redis URL secret', r, defaults.region!));
    if (props.url !== undefined && props.existingSecretId !== undefined) {
      problems.add('give either `url` or `existingSecretId`, not both');
    }
    if (props.url !== undefined) for (const m of checkUpstashUrl(props.url)) problems.add(m);
    problems.whenKnown(variableName, (n) =>
      /^[a-z_][a-z0-9_]*$/.test(n) ? undefined : `variable name "${n}" is invalid; use lowercase letters, digits and underscores`,
    );
    problems.whenKnown(props.existingSecretId, (s) =>
      /^[A-Za-z0-9_-]{1,255}$/.test(s) ? undefined : `secret id "${s}" is invalid; give the id (not the full name) of a secret in ${project}`,
    );
    reportProblems(this, problems);
    this.project = project!;

    if (props.existingSecretId !== undefined) {
      this.existingSecretId = props.existingSecretId;
      return;
    }

    let value = props.url;
    if (value === undefined) {
      this.variable = new TerraformVariable(this, 'Url', {
        type: 'string',
        sensitive: true,
        nullable: false,
        description: `Upstash Redis URL: rediss:// with the user "default", its password, the *.upstash.io endpoint and port 6379 (set TF_VAR_${variableName})`,
        validation: [
          {
            condition: Fn.can(Fn.regex(hclString(UPSTASH_URL_PATTERN), Token.asString(ref(`var.${variableName}`)))),
            errorMessage: 'The Upstash Redis URL must use rediss:// (Upstash only accepts TLS connections), with a user and password, an *.upstash.io endpoint and a port.',
          },
        ],
      });
      this.variable.overrideLogicalId(variableName);
      // Ephemeral: usable only in write-only arguments, never persisted.
      this.variable.addOverride('ephemeral', true);
      value = this.variable.stringValue;
    }

    this.secret = new WriteOnlySecret(this, 'Secret', {
      project: this.project,
      region: region!,
      secretId: props.secretId ?? 'twenty-redis-url',
      value,
      valueVersion: props.valueVersion ?? 1,
    });
  }

  /** The secret reference for `secret_key_ref.secret`. */
  get secretName(): string {
    return this.secret ? this.secret.secretName : `projects/${this.project}/secrets/${this.existingSecretId}`;
  }

  /** What a consumer waits for before it starts. */
  get dependables(): ITerraformDependable[] {
    return this.secret ? [this.secret.version] : [];
  }

  /** Grants `member` read access to this secret only. */
  grantRead(scope: Construct, id: string, member: string): SecretManagerSecretIamMember {
    if (this.secret) return this.secret.grantRead(id, scope, member);
    return new SecretManagerSecretIamMember(scope, id, {
      project: this.project,
      secretId: this.existingSecretId!,
      role: SECRET_ACCESSOR_ROLE,
      member,
    });
  }
}

/**
 * Checks what is known at synth time of a Redis URL. Parts that are tokens are
 * skipped; a fully literal URL is refused because it would carry the password.
 */
export function checkUpstashUrl(url: string): string[] {
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
      'REDIS_URL was given as a literal; it carries the Redis password and would land in cdktf.out and the plan. Leave `url` unset and provide TF_VAR_upstash_redis_url, or use `existingSecretId`',
    );
  }
  return problems;
}

/** cdktf writes string arguments into HCL templates unescaped; HCL needs `\\` for `\`. */
function hclString(s: string): string {
  return s.replace(/\\/g, '\\\\');
}
