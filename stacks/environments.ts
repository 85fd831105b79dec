import type { FirebaseRewriteMode } from '../constructs/internal/front-door';
import { SqlEdition } from '../constructs/internal/sql-tiers';
import type { TwentyMonitoringProps } from '../constructs/twenty-monitoring';

/**
 * What users reach Twenty through. `publicUrl` must be this front door's URL.
 * - `firebase`: Firebase Hosting rewrites. Cheap, but only the `__session` cookie passes,
 *   so browser login works only on Twenty versions before v2.32.0 (or set `apiOnly`), and
 *   requests end after 60 s.
 * - `load-balancer`: a global external HTTPS load balancer; works with every version.
 * - `none`: nothing in front; `publicUrl` is whatever you point at the service yourself.
 */
export type FrontDoorConfig =
  | {
      readonly kind: 'firebase';
      /** Hosting site id; the default URL is `https://<siteId>.web.app`. */
      readonly siteId: string;
      /** Custom domain, e.g. `crm.example.com`. */
      readonly customDomain?: string;
      /** `everything` (default) or `server-routes`. */
      readonly rewrites?: FirebaseRewriteMode;
      /** Accept that browser login does not work (API clients only). */
      readonly apiOnly?: boolean;
      /** False when the project is already a Firebase project. */
      readonly createFirebaseProject?: boolean;
    }
  | {
      readonly kind: 'load-balancer';
      /** The domain users open; the managed certificate is issued for it. */
      readonly domain: string;
      /** Cloud Armor policy name or self link. */
      readonly securityPolicy?: string;
      readonly enableCdn?: boolean;
    }
  | { readonly kind: 'none' };

/** TwentyMonitoring's own props, less what the stack wires in. */
export type MonitoringConfig = Omit<TwentyMonitoringProps, 'backend' | 'database' | 'publicUrl'> & {
  /**
   * Turn monitoring on or off.
   * @default the environment's `production` flag
   */
  readonly enabled?: boolean;
};

/** One deployment of Twenty: one project region, one stack, one state prefix. */
export interface EnvironmentConfig {
  /** Short name; the stack is `twenty-<name>`. */
  readonly name: string;
  /** Production: guardrail rules at full severity (REGIONAL database, deletion protection, ...). */
  readonly production: boolean;
  /** Google Cloud project id. */
  readonly projectId: string;
  /** The one region every resource of the environment lives in. */
  readonly region: string;
  /** Twenty release (Docker tag), e.g. `v2.45.0`. */
  readonly twentyVersion: string;
  /**
   * The image digest (`sha256:...`) of that tag, read from the registry you deploy from; pins
   * the image. Production warns without one (PROD-IMAGE-DIGEST).
   */
  readonly imageDigest?: string;
  /** The public https URL users open; becomes `SERVER_URL`. Must be the front door's URL. */
  readonly publicUrl: string;
  /** What users reach Twenty through. */
  readonly frontDoor: FrontDoorConfig;
  /** GCS bucket holding Terraform state (created beforehand, versioned). */
  readonly stateBucket: string;
  readonly database: {
    readonly instanceName: string;
    readonly tier: string;
    readonly edition?: SqlEdition;
    readonly postgresVersion?: number;
    readonly highAvailability: boolean;
    readonly deletionProtection: boolean;
    readonly maxConnections?: number;
  };
  readonly service: {
    readonly minInstances: number;
    readonly maxInstances: number;
    readonly cpu?: string;
    readonly memory?: string;
    /** Request timeout in seconds (default 600). */
    readonly requestTimeoutSeconds?: number;
    /** `PG_POOL_MAX_CONNECTIONS` of every Twenty process (default 10); see README "Connection budget". */
    readonly dbPoolSize?: number;
    readonly deletionProtection: boolean;
  };
  /**
   * Uptime checks, alerts, dashboard and an optional budget (TwentyMonitoring). On by default
   * in production, where alerts must notify someone (guardrail PROD-ALERT-CHANNEL).
   */
  readonly monitoring?: MonitoringConfig;
  /** Non-secret Twenty settings (e.g. `IS_MULTIWORKSPACE_ENABLED`). */
  readonly extraEnv?: Record<string, string>;
  readonly labels?: Record<string, string>;
}

/** Example environments. Replace project ids, URLs and buckets with your own. */
export const ENVIRONMENTS: readonly EnvironmentConfig[] = [
  {
    name: 'dev',
    production: false,
    projectId: 'acme-twenty-dev',
    region: 'us-east1',
    // dev shows the Firebase front door, where browser login works only before v2.32.0
    // (Firebase passes no cookie but `__session`). So dev pins the last release before
    // that line, v2.31.1 (a published image tag in use by other deployments). To rehearse
    // prod's version in dev, give dev prod's frontDoor kind.
    twentyVersion: 'v2.31.1',
    publicUrl: 'https://crm-dev.example.com',
    frontDoor: { kind: 'firebase', siteId: 'acme-twenty-dev-crm', customDomain: 'crm-dev.example.com' },
    stateBucket: 'acme-twenty-tfstate',
    database: {
      instanceName: 'twenty-dev',
      tier: 'db-custom-1-3840',
      highAvailability: false,
      deletionProtection: false,
    },
    // Firebase Hosting ends requests after 60 s; a longer service timeout would only mislead.
    // Pools of 4: (3 server + 1 worker + 1 job) x 3 pools x 4 + 10 headroom = 70 <= 100
    // max_connections of db-custom-1-3840, with room to scale to 5 (README "Connection budget").
    service: { minInstances: 0, maxInstances: 3, requestTimeoutSeconds: 60, dbPoolSize: 4, deletionProtection: false },
    labels: { env: 'dev', app: 'twenty' },
  },
  {
    name: 'prod',
    production: true,
    projectId: 'acme-twenty-prod',
    region: 'us-east1',
    // v2.45.0 logs browsers in with its session cookie only: the load balancer passes it.
    twentyVersion: 'v2.45.0',
    publicUrl: 'https://crm.example.com',
    frontDoor: { kind: 'load-balancer', domain: 'crm.example.com' },
    stateBucket: 'acme-twenty-tfstate',
    database: {
      instanceName: 'twenty-prod',
      tier: 'db-custom-2-7680',
      highAvailability: true,
      deletionProtection: true,
    },
    // (8 server + 1 worker + 1 job) x 3 pools x 10 + 10 headroom = 310 <= 400 (db-custom-2-7680).
    service: { minInstances: 1, maxInstances: 8, deletionProtection: true },
    monitoring: { notificationEmails: ['oncall@example.com'] },
    labels: { env: 'prod', app: 'twenty' },
  },
];
