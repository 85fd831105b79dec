export * from './stack/twenty-stack';
export * from './stack/synth-app';
export * from './database/cloud-sql-socket-database';
export * from './front-door/firebase-proxy-hosting';
export * from './front-door/https-load-balancer';
export * from './backend/image-mirror';
export * from './gcp/secret-access-audit-logs';
export * from './backend/twenty-backend-service';
export * from './monitoring/twenty-monitoring';
export * from './redis/upstash-redis-config';
export * from './guardrails';
export { ValidationError } from './core/validation';
export { Grantee } from './gcp/grantee';
export type { IGrantee } from './gcp/grantee';
export type { ITwentyServiceTarget, ServiceTarget, ServiceTargetInfo } from './front-door/service-target';
export type { PropShape, NestedShape } from './core/props-shape';
export { TWENTY_SERVER_ROUTES } from './twenty/catalogue';
export type { FirebaseJsonRewrite, FirebaseRewriteMode } from './front-door/service-target';
export {
  COOKIE_SESSION_ONLY_SINCE,
  checkTwentyVersion,
  parseTwentyVersion,
  requirementsFor,
  MIN_SUPPORTED_VERSION,
  NEWEST_VERIFIED_VERSION,
} from './twenty/versions';
export type { TwentyRequirements, TwentyVersion } from './twenty/versions';
export { IMAGE_CONTRACTS } from './twenty/contract';
export type { ImageContract } from './twenty/contract';
export { setSynthWarningPrinter } from './core/synth-warnings';
export type { WarningPrinter } from './core/synth-warnings';
export { GCP_REGIONS } from './gcp/regions';
export {
  computeConnectionBudget,
  connectionBudgetProblems,
  twentyPools,
  ORM_V2_POOLS_SINCE,
} from './backend/connection-budget';
export type { ConnectionBudget, ConnectionBudgetInput, TwentyPool } from './backend/connection-budget';
export * from './bootstrap/twenty-bootstrap-stack';
export { DEPLOYER_ROLES, RUNTIME_PROJECT_ROLES, deployerRoles } from './bootstrap/deployer-roles';
export type { DeployerRole, DeployerFrontDoor } from './bootstrap/deployer-roles';
