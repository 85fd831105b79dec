import { SqlEdition } from '../constructs/internal/sql-tiers';

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
  /** The public https URL users open; becomes `SERVER_URL`. */
  readonly publicUrl: string;
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
    readonly deletionProtection: boolean;
  };
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
    twentyVersion: 'v2.45.0',
    publicUrl: 'https://crm-dev.example.com',
    stateBucket: 'acme-twenty-tfstate',
    database: {
      instanceName: 'twenty-dev',
      tier: 'db-custom-1-3840',
      highAvailability: false,
      deletionProtection: false,
    },
    service: { minInstances: 0, maxInstances: 3, deletionProtection: false },
    labels: { env: 'dev', app: 'twenty' },
  },
  {
    name: 'prod',
    production: true,
    projectId: 'acme-twenty-prod',
    region: 'us-east1',
    twentyVersion: 'v2.45.0',
    publicUrl: 'https://crm.example.com',
    stateBucket: 'acme-twenty-tfstate',
    database: {
      instanceName: 'twenty-prod',
      tier: 'db-custom-2-7680',
      highAvailability: true,
      deletionProtection: true,
    },
    service: { minInstances: 1, maxInstances: 8, deletionProtection: true },
    labels: { env: 'prod', app: 'twenty' },
  },
];
