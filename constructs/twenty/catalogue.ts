/**
 * Twenty's env vars and server routes, kept in one place (FACTS.md §2).
 */

/** The port the server listens on (`NODE_PORT`); Twenty ignores `PORT`. */
export const TWENTY_PORT = 3000;
/** Liveness of the process; the port opens only after the entrypoint finishes. */
export const HEALTH_PATH = '/healthz';

/** The env vars the backend sets itself are its table: constructs/backend/env.ts. */

/** Connections each Twenty process opens at most (`PG_POOL_MAX_CONNECTIONS` default). */
export const DEFAULT_PG_POOL_SIZE = 10;
/** Connections kept free for admins, Cloud SQL's own agents and migrations by hand. */
export const ADMIN_CONNECTION_HEADROOM = 10;
/** Cloud Storage's S3-compatible (interoperability) endpoint. */
export const GCS_S3_ENDPOINT = 'https://storage.googleapis.com';
/** The worker command: same image, no HTTP listener. */
export const WORKER_ARGS: readonly string[] = ['yarn', 'worker:prod'];

/** Names Cloud Run reserves or Twenty does not have, with the reason. */
export const REFUSED_ENV_VARS: Readonly<Record<string, string>> = {
  PORT: 'Cloud Run reserves PORT, and Twenty listens on NODE_PORT (3000) instead',
  DATABASE_MIGRATION:
    'Twenty has no such variable; migrations run in the migration job before each new revision serves',
  K_SERVICE: 'Cloud Run reserves K_SERVICE',
  K_REVISION: 'Cloud Run reserves K_REVISION',
  K_CONFIGURATION: 'Cloud Run reserves K_CONFIGURATION',
};

/** A name that says "secret": such a value goes through Secret Manager, not plain env. */
const SECRET_LOOKING_NAME =
  /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|CREDENTIAL|_KEY$|DATABASE_URL|REDIS_URL|DSN)/;
/** Settings about secrets, not secrets (`ACCESS_TOKEN_EXPIRES_IN`, `..._CLIENT_ID`). */
const NOT_A_SECRET = /(_EXPIRES_IN|_ENABLED|_ID|_TTL|_TYPE|_DRIVER)$/;

export function looksSecret(name: string): boolean {
  return SECRET_LOOKING_NAME.test(name) && !NOT_A_SECRET.test(name);
}

/** A URL with `user:password@` in it. */
export const URL_WITH_CREDENTIALS = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

/** Env var names Cloud Run accepts. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * First path segments the Twenty server owns (`ApiPath` in twenty-shared); everything
 * else is the front end, which the same server also serves. Checked against
 * twentyhq/twenty `packages/twenty-shared/src/types/ApiPath.ts` at commits 4cb30e2e and
 * 41d24255 (November 2026); __tests__/fixtures/twenty-api-path.json keeps that copy.
 */
export const TWENTY_SERVER_ROUTES: readonly string[] = [
  'admin-panel',
  'app',
  'application-registration-claim',
  'apps',
  'auth',
  'client-config',
  'cloudflare',
  'emailing',
  'file',
  'file-upload',
  'files',
  'graphql',
  'healthz',
  'mcp',
  'metadata',
  'oauth',
  'open-api',
  'public-assets',
  'rest',
  's',
  'webhooks',
  '.well-known',
];
