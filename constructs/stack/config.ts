import { FRONT_DOORS, frontDoorOf, TwentyFrontDoor } from '../front-door/front-doors';
import type { CloudSqlSocketDatabaseProps } from '../database/cloud-sql-socket-database';
import { omitShape, partialShape, PropShape } from '../core/props-shape';
import { BACKEND_SHAPE, DATABASE_SHAPE, MONITORING_SHAPE, REDIS_SHAPE } from '../core/shapes';
import type { TwentyBackendServiceProps } from '../backend/twenty-backend-service';
import type { TwentyMonitoringProps } from '../monitoring/twenty-monitoring';
import type { UpstashRedisConfigProps } from '../redis/upstash-redis-config';

/** The database's props the stack does not set itself. */
export type TwentyDatabaseConfig = Partial<Omit<CloudSqlSocketDatabaseProps, 'twentyVersion' | 'project' | 'region'>>;
/** Redis props the stack does not set itself. */
export type TwentyRedisConfig = Omit<UpstashRedisConfigProps, 'project' | 'region'>;
/** The server's props the stack does not set itself (version, URL, database, Redis, project, region, ingress, providers). */
export type TwentyServiceConfig = Partial<
  Omit<
    TwentyBackendServiceProps,
    'twentyVersion' | 'serverUrl' | 'database' | 'redis' | 'project' | 'region' | 'betaProvider' | 'ingress'
  >
>;

/** TwentyMonitoring's own props, less what the stack wires in. */
export type TwentyMonitoringConfig = Omit<TwentyMonitoringProps, 'backend' | 'database' | 'publicUrl'> & {
  /**
   * Turn monitoring on or off. Turning it off in production is allowed, with a warning.
   * @default on in production; elsewhere on when `monitoring` is given, otherwise off
   */
  readonly enabled?: boolean;
};

/** One environment of Twenty: one project and region, one stack, one state prefix. */
export interface TwentyStackConfig {
  /** Short name (up to 20 lowercase letters, digits and hyphens); the stack is `twenty-<name>`. */
  readonly name: string;
  /**
   * Production: guardrail rules at full severity, the database REGIONAL, the server warm
   * (1 instance) and monitoring on unless set otherwise; monitoring then needs a notification
   * channel (`monitoring.notificationEmails` or `monitoring.notificationChannelIds`).
   */
  readonly production: boolean;
  /** Google Cloud project id. */
  readonly projectId: string;
  /** The one region every resource of the environment lives in, e.g. `us-east1`. */
  readonly region: string;
  /** Twenty release (Docker tag), e.g. `v2.45.0`. */
  readonly twentyVersion: string;
  /** GCS bucket holding Terraform state (created beforehand, versioned); the prefix is `twenty/<name>`. */
  readonly stateBucket: string;
  /** What users reach Twenty through. */
  readonly frontDoor: TwentyFrontDoor;
  /**
   * The public https URL users open; becomes `SERVER_URL`. Must be the front door's URL.
   * @default the front door's URL: `https://<domain>` (load balancer), `https://<customDomain>`
   * or `https://<siteId>.web.app` (Firebase); required with front door `none`
   */
  readonly publicUrl?: string;
  /**
   * Labels on every resource (the providers' default labels).
   * @default none
   */
  readonly labels?: Record<string, string>;
  /**
   * The Cloud SQL database.
   * @default instance `twenty-<name>`, URL secret `twenty-<name>-pg-database-url`, REGIONAL in production
   */
  readonly database?: TwentyDatabaseConfig;
  /**
   * `REDIS_URL` from Upstash.
   * @default secret `twenty-<name>-redis-url`, read from `TF_VAR_upstash_redis_url`
   */
  readonly redis?: TwentyRedisConfig;
  /**
   * The Twenty server, worker and migration job.
   * @default service `twenty-<name>`, 1 minimum instance in production
   */
  readonly service?: TwentyServiceConfig;
  /**
   * Uptime checks, alerts, log-based metrics, dashboard and an optional budget (TwentyMonitoring).
   * In production monitoring is on by default and every alert must notify someone (guardrail
   * PROD-ALERT-CHANNEL): give `notificationEmails` or `notificationChannelIds`, or opt out with
   * `enabled: false`.
   * @default in production: monitoring on, which needs a notification channel (synth fails
   * without one); elsewhere: no monitoring
   */
  readonly monitoring?: TwentyMonitoringConfig;
  /**
   * Data Access audit logs for Secret Manager (`SecretAccessAuditLogs`: who read which secret).
   * The audit config is project-wide and authoritative for `secretmanager.googleapis.com`, so a
   * project whose audit configs are managed elsewhere should set `false` here: two owners of one
   * audit config undo each other's changes. Turning it off in production is allowed, with a warning.
   * @default true in production, false elsewhere
   */
  readonly secretAccessAuditLogs?: boolean;
}

/** The runtime key list of `TwentyStackConfig`; the front door is checked per kind. */
export const TWENTY_STACK_CONFIG_SHAPE: PropShape<TwentyStackConfig> = {
  name: 'string',
  production: 'boolean',
  projectId: 'string',
  region: 'string',
  twentyVersion: 'string',
  stateBucket: 'string',
  frontDoor: 'object',
  publicUrl: 'string?',
  labels: 'object?',
  database: { optional: true, shape: partialShape(DATABASE_SHAPE, ['twentyVersion', 'project', 'region']) },
  redis: { optional: true, shape: omitShape(REDIS_SHAPE, ['project', 'region']) },
  service: {
    optional: true,
    shape: partialShape(BACKEND_SHAPE, [
      'twentyVersion',
      'serverUrl',
      'database',
      'redis',
      'project',
      'region',
      'betaProvider',
      'ingress',
    ]),
  },
  monitoring: {
    optional: true,
    shape: { ...omitShape(MONITORING_SHAPE, ['backend', 'database', 'publicUrl']), enabled: 'boolean?' },
  },
  secretAccessAuditLogs: 'boolean?',
};

/**
 * Whether the environment gets TwentyMonitoring: `monitoring.enabled` when set; otherwise always
 * in production, and elsewhere when `monitoring` is given.
 */
export function monitoringEnabled(config: Pick<TwentyStackConfig, 'monitoring' | 'production'>): boolean {
  return config.monitoring?.enabled ?? (config.production === true || config.monitoring !== undefined);
}

/** The URL users open: `publicUrl`, else the front door's. Undefined with front door `none` and no `publicUrl`. */
export function publicUrlOf(config: Pick<TwentyStackConfig, 'frontDoor' | 'publicUrl'>): string | undefined {
  if (config.publicUrl !== undefined) return config.publicUrl;
  const door = config.frontDoor;
  return door && door.kind in FRONT_DOORS ? frontDoorOf(door).publicUrl(door) : undefined;
}
