/**
 * The runtime key list of every props type, declared once. `PropShape<T>` makes the compiler
 * refuse a list that misses a key of T, names one T does not have, or gives a key the wrong
 * kind, so adding a prop without listing it here fails `npm test` (type-check).
 */
import type { CloudSqlSocketDatabaseProps } from '../database/cloud-sql-socket-database';
import type { FirebaseProxyHostingProps } from '../front-door/firebase-proxy-hosting';
import type { HttpsLoadBalancerProps } from '../front-door/https-load-balancer';
import type { TwentyBackendServiceProps, TwentySecretRef } from '../backend/twenty-backend-service';
import type { TwentyMonitoringProps } from '../monitoring/twenty-monitoring';
import type { UpstashRedisConfigProps } from '../redis/upstash-redis-config';
import { PropShape } from './props-shape';

export const DATABASE_SHAPE: PropShape<CloudSqlSocketDatabaseProps> = {
  instanceName: 'string',
  twentyVersion: 'string',
  project: 'string?',
  region: 'string?',
  postgresVersion: 'number?',
  edition: 'string?',
  tier: 'string?',
  highAvailability: 'boolean?',
  deletionProtection: 'boolean?',
  queryInsights: 'boolean?',
  diskSizeGb: 'number?',
  retainedBackups: 'number?',
  pitrDays: 'number?',
  maxConnections: 'number?',
  requireConnectors: 'boolean?',
  auditDdl: 'boolean?',
  retainBackupsOnDelete: 'boolean?',
  limitClientToInstance: 'boolean?',
  databaseName: 'string?',
  userName: 'string?',
  passwordVersion: 'number?',
  urlSecretId: 'string?',
  labels: 'object?',
};

export const REDIS_SHAPE: PropShape<UpstashRedisConfigProps> = {
  variableName: 'string?',
  url: 'string?',
  existingSecretId: 'string?',
  secretId: 'string?',
  valueVersion: 'number?',
  project: 'string?',
  region: 'string?',
};

const SECRET_REF_SHAPE: PropShape<TwentySecretRef> = { secretId: 'string', version: 'string?' };

export const BACKEND_SHAPE: PropShape<TwentyBackendServiceProps> = {
  serviceName: 'string',
  twentyVersion: 'string',
  serverUrl: 'string',
  database: 'object',
  redis: 'object',
  project: 'string?',
  region: 'string?',
  imageRepository: 'string?',
  imageDigest: 'string?',
  imageMirror: 'boolean?',
  imageMirrorRepositoryId: 'string?',
  keyVersionDestroyTtl: 'string|false?',
  cpu: 'string?',
  memory: 'string?',
  minInstances: 'number?',
  maxInstances: 'number?',
  concurrency: 'number?',
  requestTimeoutSeconds: 'number?',
  migrationTimeoutSeconds: 'number?',
  migrationQueryTimeoutSeconds: 'number?',
  serviceAccountId: 'string?',
  deletionProtection: 'boolean?',
  extraEnv: 'object?',
  extraSecrets: { optional: true, values: SECRET_REF_SHAPE },
  secretPrefix: 'string?',
  betaProvider: 'object?',
  ingress: 'string?',
  labels: 'object?',
  workerInstances: 'number?',
  workerResources: { optional: true, shape: { cpu: 'string', memory: 'string' } },
  disableWorker: 'boolean?',
  dbPoolSize: 'number?',
  filesBucketName: 'string?',
  noncurrentFileRetentionDays: 'number?',
  iamPropagationSeconds: 'number?',
  allowLocalState: 'boolean?',
};

export const FIREBASE_SHAPE: PropShape<FirebaseProxyHostingProps> = {
  backend: 'object',
  siteId: 'string',
  customDomain: 'string?',
  rewrites: 'string?',
  apiOnly: 'boolean?',
  createFirebaseProject: 'boolean?',
  project: 'string?',
  betaProvider: 'object?',
};

export const LOAD_BALANCER_SHAPE: PropShape<HttpsLoadBalancerProps> = {
  backend: 'object',
  domain: 'string',
  securityPolicy: 'string?',
  cloudArmor: {
    optional: true,
    orFalse: true,
    shape: { wafPreview: 'boolean?', authRequestsPerMinute: 'number?', wafSensitivity: 'number?' },
  },
  minTlsVersion: 'string|false?',
  requestLogSampleRate: 'number?',
  enableCdn: 'boolean?',
  namePrefix: 'string?',
  project: 'string?',
};

export const MONITORING_SHAPE: PropShape<TwentyMonitoringProps> = {
  backend: 'object',
  database: 'object',
  publicUrl: 'string',
  notificationEmails: 'array?',
  notificationChannelIds: 'array?',
  healthIndicators: 'array?',
  serverErrorRatio: 'number?',
  latencyP95Ms: 'number?',
  workerErrorsPer10Minutes: 'number?',
  connectionsRatio: 'number?',
  billingBudget: {
    optional: true,
    shape: { billingAccountId: 'string', monthlyAmount: 'number', currency: 'string?', thresholds: 'array?' },
  },
  logMetricPropagationSeconds: 'number?',
  namePrefix: 'string?',
};
