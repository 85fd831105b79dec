import { Fn, Token } from 'cdktf';

/** Where Cloud Run mounts Cloud SQL sockets. */
export const CLOUDSQL_MOUNT_PATH = '/cloudsql';
/** The PostgreSQL socket file inside the instance's directory. */
export const PG_SOCKET_FILE = '.s.PGSQL.5432';
/** Linux `sun_path` holds 108 bytes including the terminating NUL. */
export const MAX_SOCKET_PATH_BYTES = 107;

export function socketDirectory(connectionName: string, mountPath = CLOUDSQL_MOUNT_PATH): string {
  return `${mountPath}/${connectionName}`;
}

/**
 * Percent-encodes like Terraform's `replace(urlencode(s), "+", "%20")`:
 * every byte except `A-Z a-z 0-9 - _ . ~` becomes `%XX`.
 * `urlencode` is Go's QueryEscape, which writes a space as `+`; a `+` in the
 * userinfo is not decoded back to a space by node-postgres or libpq, hence `%20`.
 */
export function encodeUrlComponent(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export interface PgUrlParts {
  readonly scheme: 'postgres' | 'postgresql';
  readonly user: string;
  readonly password: string;
  readonly database: string;
  readonly connectionName: string;
}

/**
 * `scheme` + `://` + `user:password` + `@` + `rest`, assembled from parts: a URL with credentials is only ever
 * built from values (generated, ephemeral or test-generated), never written as one literal.
 */
export function withCredentials(scheme: string, user: string, password: string, rest: string): string {
  return [scheme, '://', user, ':', password, '@', rest].join('');
}

/** The socket-form URL for known values: `postgresql://<userinfo>@/DB?host=/cloudsql/P:R:I`. */
export function buildPgDatabaseUrl(p: PgUrlParts): string {
  const rest = `/${encodeUrlComponent(p.database)}?host=${socketDirectory(p.connectionName)}`;
  return withCredentials(p.scheme, encodeUrlComponent(p.user), encodeUrlComponent(p.password), rest);
}

/**
 * The same URL as a Terraform expression, for a password only known at apply time
 * (an ephemeral value). User and database are validated names that need no encoding.
 */
export function pgDatabaseUrlExpression(p: PgUrlParts): string {
  const password = Token.isUnresolved(p.password)
    ? Fn.replace(Fn.urlencode(p.password), '+', '%20')
    : encodeUrlComponent(p.password);
  return withCredentials(p.scheme, p.user, password, `/${p.database}?host=${socketDirectory(p.connectionName)}`);
}
