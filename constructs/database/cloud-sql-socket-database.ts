import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { SecretManagerSecretVersion } from '@cdktf/provider-google/lib/secret-manager-secret-version';
import { SqlDatabase } from '@cdktf/provider-google/lib/sql-database';
import { SqlDatabaseInstance } from '@cdktf/provider-google/lib/sql-database-instance';
import { SqlUser } from '@cdktf/provider-google/lib/sql-user';
import { DataResource, Fn, ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';
import type { IGrantee } from '../gcp/grantee';
import { EphemeralPassword } from '../gcp/ephemeral';
import {
  CLOUDSQL_MOUNT_PATH,
  MAX_SOCKET_PATH_BYTES,
  PG_SOCKET_FILE,
  pgDatabaseUrlExpression,
  socketDirectory,
} from './pg-url';
import { resolveLocation } from '../gcp/providers';
import { skipTerraformVersionCheck } from '../gcp/terraform-data';
import { checkTier, defaultMaxConnections, tierMemoryMb } from './sql-tiers';
import { checkTwentyVersion, parseTwentyVersion, requirementsFor } from '../twenty/versions';
import { checkLabels } from '../gcp/values';
import { checkShape } from '../core/props-shape';
import { DATABASE_SHAPE } from '../core/shapes';
import { Problems, reportProblems } from '../core/validation';
import { WriteOnlySecret } from '../gcp/write-only-secret';
import {
  CLOUDSQL_CLIENT_ROLE,
  CloudSqlMount,
  CloudSqlSocketDatabaseProps,
  PGAUDIT_FLAGS,
  SUPPORTED_POSTGRES_VERSIONS,
} from './props';

export { CLOUDSQL_CLIENT_ROLE, PGAUDIT_FLAGS, SUPPORTED_POSTGRES_VERSIONS } from './props';
export type { CloudSqlMount, CloudSqlSocketDatabaseProps } from './props';

const PG_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const RESERVED_USERS = ['postgres', 'cloudsqlsuperuser', 'cloudsqladmin', 'cloudsqliamuser'];

/**
 * Cloud SQL for PostgreSQL reached only through the Cloud Run socket
 * `/cloudsql/PROJECT:REGION:INSTANCE`. Generates the user's password ephemerally,
 * writes it with `password_wo`, and stores the complete socket-form
 * `PG_DATABASE_URL` in Secret Manager with `secret_data_wo`.
 */
export class CloudSqlSocketDatabase extends Construct {
  public readonly instance: SqlDatabaseInstance;
  public readonly database: SqlDatabase;
  public readonly user: SqlUser;
  /** The `PG_DATABASE_URL` secret. */
  public readonly urlSecret: WriteOnlySecret;
  /**
   * `terraform_data` holding every input of the URL but the password (project, instance,
   * user, database, scheme); a change replaces it, which writes a new URL and password.
   */
  public readonly urlInputs: DataResource;
  public readonly region: string;
  public readonly project: string;
  /** The machine tier. */
  public readonly tier: string;
  /**
   * The instance's `max_connections`: the explicit flag, else Cloud SQL's default for the
   * tier's memory; undefined when the tier is a token.
   */
  public readonly maxConnections?: number;
  /**
   * Whether the instance has pgAudit on (`auditDdl`): the migration job then creates the
   * `pgaudit` extension in the database, as Google's pgAudit steps require.
   */
  public readonly auditDdl: boolean;
  private readonly grants = new Map<string, ProjectIamMember>();
  private readonly limitClientToInstance: boolean;
  private readonly instanceName: string;

  /** The Twenty release the database was built for. */
  public readonly twentyVersion: string;

  constructor(scope: Construct, id: string, given: CloudSqlSocketDatabaseProps) {
    super(scope, id);
    const problems = new Problems(`CloudSqlSocketDatabase ${this.node.path}`);
    const props = checkShape(problems, given, DATABASE_SHAPE);
    const { project, region } = resolveLocation(this, props, problems, 'Cloud SQL instance', { checkProject: true });
    const edition = props.edition ?? 'ENTERPRISE';
    const tier = props.tier ?? 'db-custom-1-3840';
    const postgresVersion = props.postgresVersion ?? 16;
    const databaseName = props.databaseName ?? 'twenty';
    const userName = props.userName ?? 'twenty';
    const deletionProtection = props.deletionProtection ?? true;
    const passwordVersion = props.passwordVersion ?? 1;
    const urlSecretId = props.urlSecretId ?? `${props.instanceName}-pg-database-url`;

    problems.whenKnown(props.instanceName, (n) =>
      /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(n)
        ? undefined
        : `instance name "${n}" is invalid; Cloud SQL takes lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen`,
    );
    problems.whenKnown(project && `${project}:${props.instanceName}`, (s) =>
      s.length > 98
        ? `"${s}" is ${s.length} characters; Cloud SQL allows at most 98 for project id + ":" + instance name`
        : undefined,
    );
    problems.whenKnown(project && region && `${project}:${region}:${props.instanceName}`, (conn) => {
      const path = `${socketDirectory(conn)}/${PG_SOCKET_FILE}`;
      const bytes = Buffer.byteLength(path);
      return bytes > MAX_SOCKET_PATH_BYTES
        ? `socket path "${path}" is ${bytes} bytes; Linux allows ${MAX_SOCKET_PATH_BYTES}, so Twenty could not connect. Shorten the instance name by ${bytes - MAX_SOCKET_PATH_BYTES} characters or more`
        : undefined;
    });
    for (const msg of checkTier(edition, tier)) problems.add(msg);
    const versionProblem = checkTwentyVersion(props.twentyVersion);
    if (versionProblem) problems.add(versionProblem);
    const twenty = parseTwentyVersion(props.twentyVersion);
    const needs = twenty && !versionProblem ? requirementsFor(twenty) : undefined;
    if (!(SUPPORTED_POSTGRES_VERSIONS as readonly number[]).includes(postgresVersion)) {
      problems.add(`PostgreSQL ${postgresVersion} is not offered; allowed: ${SUPPORTED_POSTGRES_VERSIONS.join(', ')}`);
    } else if (needs && postgresVersion < needs.minPostgresMajor) {
      problems.add(
        `PostgreSQL ${postgresVersion} is too old for Twenty ${props.twentyVersion}, which needs PostgreSQL ${needs.minPostgresMajor} or newer`,
      );
    }
    for (const [what, name] of [
      ['database name', databaseName],
      ['user name', userName],
    ] as const) {
      problems.whenKnown(name, (n) =>
        PG_NAME.test(n)
          ? undefined
          : `${what} "${n}" is invalid; use lowercase letters, digits and underscores, starting with a letter or underscore, at most 63 characters`,
      );
    }
    problems.whenKnown(userName, (n) =>
      RESERVED_USERS.includes(n) ? `user name "${n}" is reserved by Cloud SQL; choose another` : undefined,
    );
    problems.whenKnown(urlSecretId, (s) =>
      /^[A-Za-z0-9_-]{1,255}$/.test(s) ? undefined : `secret id "${s}" is invalid; use letters, digits, "-" and "_"`,
    );
    problems.whenKnown(props.pitrDays, (d) =>
      d >= 1 && d <= (edition === 'ENTERPRISE_PLUS' ? 35 : 7)
        ? undefined
        : `pitrDays ${d} is out of range; allowed: 1-${edition === 'ENTERPRISE_PLUS' ? 35 : 7} for ${edition}`,
    );
    problems.whenKnown(props.retainedBackups, (n) =>
      n >= 1 && n <= 365 ? undefined : `retainedBackups ${n} is out of range; allowed: 1-365`,
    );
    problems.whenKnown(props.diskSizeGb, (n) =>
      Number.isInteger(n) && n >= 10 && n <= 65536
        ? undefined
        : `diskSizeGb ${n} is out of range; Cloud SQL takes a whole number of GB from 10 to 65536`,
    );
    problems.whenKnown(props.labels, (l) => checkLabels(l, 'labels'));
    problems.whenKnown(props.maxConnections, (n) =>
      Number.isInteger(n) && n >= 14 && n <= 262143
        ? undefined
        : `maxConnections ${n} is out of range; allowed: 14-262143`,
    );
    reportProblems(this, problems);

    this.project = project!;
    this.region = region!;
    this.tier = tier;
    this.instanceName = props.instanceName;
    this.twentyVersion = props.twentyVersion;
    const memory = tierMemoryMb(tier);
    this.maxConnections = props.maxConnections ?? (memory !== undefined ? defaultMaxConnections(memory) : undefined);

    const flags: { name: string; value: string }[] = [];
    if (props.maxConnections !== undefined)
      flags.push({ name: 'max_connections', value: String(props.maxConnections) });
    this.auditDdl = props.auditDdl ?? true;
    if (this.auditDdl) flags.push(...PGAUDIT_FLAGS);
    this.limitClientToInstance = props.limitClientToInstance ?? true;

    this.instance = new SqlDatabaseInstance(this, 'Instance', {
      project,
      region,
      name: props.instanceName,
      databaseVersion: `POSTGRES_${postgresVersion}`,
      deletionProtection,
      settings: {
        edition,
        tier,
        availabilityType: props.highAvailability ? 'REGIONAL' : 'ZONAL',
        deletionProtectionEnabled: deletionProtection,
        diskAutoresize: true,
        diskSize: props.diskSizeGb ?? 10,
        diskType: 'PD_SSD',
        userLabels: props.labels,
        backupConfiguration: {
          enabled: true,
          pointInTimeRecoveryEnabled: true,
          startTime: '03:00',
          transactionLogRetentionDays: props.pitrDays ?? 7,
          backupRetentionSettings: { retainedBackups: props.retainedBackups ?? 14, retentionUnit: 'COUNT' },
        },
        // Cloud Run's socket connects through the connector over the public IP path;
        // no authorized networks, and the server refuses unencrypted TCP.
        ipConfiguration: {
          ipv4Enabled: true,
          sslMode: 'ENCRYPTED_ONLY',
          serverCaMode: 'GOOGLE_MANAGED_INTERNAL_CA',
        },
        insightsConfig: { queryInsightsEnabled: props.queryInsights ?? true },
        maintenanceWindow: { day: 7, hour: 3, updateTrack: 'stable' },
        connectorEnforcement: props.requireConnectors === false ? 'NOT_REQUIRED' : 'REQUIRED',
        retainBackupsOnDelete: props.retainBackupsOnDelete ?? true,
        databaseFlags: flags.length ? flags : undefined,
      },
    });

    this.database = new SqlDatabase(this, 'Database', {
      project,
      instance: this.instance.name,
      name: databaseName,
      // Twenty owns the schema; dropping the instance is the only way to lose it.
      deletionPolicy: 'ABANDON',
    });

    const password = new EphemeralPassword(this, 'Password', { length: 32 });
    const scheme = needs?.pgUrlScheme ?? 'postgresql';
    // The URL's value is write-only, so Terraform cannot see it change: every input of it but
    // the password sits here, and a change replaces this, which rewrites the URL (and so the password).
    this.urlInputs = new DataResource(this, 'UrlInputs', {
      triggersReplace: {
        project: this.project,
        instance: props.instanceName,
        user: userName,
        database: databaseName,
        scheme,
      },
    });
    skipTerraformVersionCheck(this.urlInputs);
    this.urlSecret = new WriteOnlySecret(this, 'UrlSecret', {
      project: this.project,
      region: this.region,
      secretId: urlSecretId,
      labels: props.labels,
      value: pgDatabaseUrlExpression({
        scheme,
        user: userName,
        password: Token.asString(password.result),
        database: databaseName,
        connectionName: this.instance.connectionName,
      }),
      valueVersion: passwordVersion,
      replaceWith: [this.urlInputs],
    });
    this.user = new SqlUser(this, 'User', {
      project,
      instance: this.instance.name,
      name: userName,
      passwordWo: Token.asString(password.result),
      // Follows the URL secret version: whatever writes a new one (a passwordVersion bump, a
      // replaced secret, `-replace`, a version deleted out of band) rewrites the password in the
      // same apply, from the same ephemeral value. See docs/password-rotation.md.
      passwordWoVersion: passwordVersionOf(this.urlSecret.version),
      deletionPolicy: 'ABANDON',
    });
  }

  /** `PROJECT:REGION:INSTANCE`. */
  get connectionName(): string {
    return this.instance.connectionName;
  }

  /** `/cloudsql/PROJECT:REGION:INSTANCE`, the directory node-postgres takes as host. */
  get socketDirectory(): string {
    return socketDirectory(this.instance.connectionName);
  }

  /** Everything a consumer must wait for before it connects. */
  get dependables(): ITerraformDependable[] {
    return [this.instance, this.database, this.user, this.urlSecret.version];
  }

  /** The `/cloudsql` volume and mount to put on a Cloud Run service, job or worker pool. */
  get mount(): CloudSqlMount {
    return {
      volume: { name: 'cloudsql', cloudSqlInstance: { instances: [this.instance.connectionName] } },
      volumeMount: { name: 'cloudsql', mountPath: CLOUDSQL_MOUNT_PATH },
    };
  }

  /**
   * Grants `roles/cloudsql.client` to the grantee. Cloud SQL has no instance-level IAM, so the
   * grant is on the project, limited to this instance by an IAM condition unless
   * `limitClientToInstance` is false. It is created in this construct as
   * `Client-<grantee.grantId(this)>`. Idempotent per grantee.
   */
  grantConnect(grantee: IGrantee): ProjectIamMember {
    const gid = grantee.grantId(this);
    const key = `${grantee.scope.node.path}/${gid}`;
    let grant = this.grants.get(key);
    if (!grant) {
      // The first grantee keeps `Client-<id>` (an existing address); another with the same id
      // (a second TwentyBackendService) gets its path into the id.
      const plain = `Client-${gid}`;
      const cid = this.node.tryFindChild(plain) ? `Client-${key.replace(/\//g, '-')}` : plain;
      grant = new ProjectIamMember(this, cid, {
        project: this.project,
        role: CLOUDSQL_CLIENT_ROLE,
        member: grantee.member,
        condition: this.limitClientToInstance ? clientCondition(this.project, this.instanceName) : undefined,
        // The condition is part of the binding's identity: the new grant comes first.
        lifecycle: this.limitClientToInstance ? { createBeforeDestroy: true } : undefined,
      });
      this.grants.set(key, grant);
    }
    return grant;
  }
}

/**
 * The user's `password_wo_version`, from the URL secret version's `create_time`: unknown in the
 * plan whenever a new version is made, so the user's password is written in that same apply.
 * (The version number restarts at 1 when the secret is replaced, so it would not always change.)
 * Seven hex digits stay below 2^31 for 32-bit builds.
 */
export function passwordVersionOf(version: SecretManagerSecretVersion): number {
  return Token.asNumber(Fn.parseint(Fn.substr(Fn.sha256(version.createTime), 0, 7), 16));
}

/**
 * The IAM condition that limits `roles/cloudsql.client` to one instance, in the form of Google's
 * own sample (terraform-google-modules/terraform-docs-samples cloud_sql/instance_iam_condition).
 */
export function clientCondition(
  project: string,
  instanceName: string,
): { title: string; description: string; expression: string } {
  return {
    title: `cloudsql-client-${instanceName}`.slice(0, 100),
    description: `Connect to the Cloud SQL instance ${instanceName} only`,
    expression: `resource.name == 'projects/${project}/instances/${instanceName}' && resource.type == 'sqladmin.googleapis.com/Instance'`,
  };
}
