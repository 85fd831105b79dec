export * from './twenty-stack';
export * from './synth-app';
export * from './cloud-sql-socket-database';
export * from './firebase-proxy-hosting';
export * from './https-load-balancer';
export * from './image-mirror';
export * from './secret-access-audit-logs';
export * from './twenty-backend-service';
export * from './twenty-monitoring';
export * from './upstash-redis-config';
export * from './guardrails';
export * from './review';
export { ValidationError } from './internal/validation';
export type { PropShape, NestedShape } from './internal/props-shape';
export { TWENTY_SERVER_ROUTES } from './internal/twenty-catalogue';
export type { FirebaseJsonRewrite, FirebaseRewriteMode } from './internal/front-door';
export {
  COOKIE_SESSION_ONLY_SINCE,
  checkTwentyVersion,
  parseTwentyVersion,
  requirementsFor,
  MIN_SUPPORTED_VERSION,
  NEWEST_VERIFIED_VERSION,
} from './internal/twenty-versions';
export type { TwentyRequirements, TwentyVersion } from './internal/twenty-versions';
export { IMAGE_CONTRACTS } from './internal/twenty-contract';
export type { ImageContract } from './internal/twenty-contract';
export { setSynthWarningPrinter } from './internal/synth-warnings';
export type { WarningPrinter } from './internal/synth-warnings';
export { GCP_REGIONS } from './internal/regions';
export { computeConnectionBudget, connectionBudgetProblems, twentyPools, ORM_V2_POOLS_SINCE } from './internal/connection-budget';
export type { ConnectionBudget, ConnectionBudgetInput, TwentyPool } from './internal/connection-budget';
export * from './bootstrap/twenty-bootstrap-stack';
export { DEPLOYER_ROLES, RUNTIME_PROJECT_ROLES, deployerRoles } from './bootstrap/deployer-roles';
export type { DeployerRole, DeployerFrontDoor } from './bootstrap/deployer-roles';
