/** Sample values the integration tests put where the synthesized JSON has references. */
import { randomBytes } from 'crypto';
import { withCredentials } from '../../constructs/database/pg-url';
import { evaluate } from './terraform';
import { Json, onlyResource, resourcesOfType } from './synth';

/** Every character the issue calls hostile: `% \ " ] ( : @ / ? # & + =` and a space (`%41` catches double decoding). */
export const HOSTILE_PASSWORD = 'Pw%41 \\"](:@/?#&+=end';

/** Shaped like the generated password: 32 alphanumerics. */
export const GENERATED_PASSWORD = 'q7XrT2mLw9ZkP4sVb8NcD1fGh6JyE3uA';

/** A stand-in password, generated per run: no credential is ever a literal, even in tests. */
export const FAKE_PASSWORD = randomBytes(12).toString('hex');

/** A real-shaped Upstash URL (TLS, `default` user, regional endpoint) with the stand-in password. */
export const UPSTASH_URL = withCredentials('rediss', 'default', FAKE_PASSWORD, 'eu1-sharp-cat-31337.upstash.io:6379');

/** `PROJECT:REGION:INSTANCE`, as Google computes `connection_name` from the instance's own arguments. */
export function connectionNameOf(json: Json): string {
  const i = onlyResource(json, 'google_sql_database_instance');
  return `${i.project}:${i.region}:${i.name}`;
}

export function connectionNameRef(json: Json): string {
  return `google_sql_database_instance.${Object.keys(json.resource.google_sql_database_instance)[0]}.connection_name`;
}

/** The `secret_data_wo` template of the `PG_DATABASE_URL` secret, exactly as synthesized. */
export function pgUrlTemplate(json: Json): string {
  const versions = resourcesOfType(json, 'google_secret_manager_secret_version').filter((v) =>
    /^postgres(ql)?:\/\//.test(v.secret_data_wo),
  );
  if (versions.length !== 1) throw new Error(`expected one PG_DATABASE_URL secret version, found ${versions.length}`);
  return versions[0].secret_data_wo;
}

/** The ephemeral password reference inside a template, e.g. `ephemeral.random_password.database_password.result`. */
export function passwordRef(template: string): string {
  const m = /ephemeral\.random_password\.\w+\.result/.exec(template);
  if (!m) throw new Error(`no ephemeral password in ${template}`);
  return m[0];
}

/** `PG_DATABASE_URL` as Terraform evaluates it from the synthesized JSON, one per password. */
export function evaluatePgUrls(json: Json, passwords: readonly string[]): string[] {
  const template = pgUrlTemplate(json);
  const samples = (p: string) => ({ [passwordRef(template)]: p, [connectionNameRef(json)]: connectionNameOf(json) });
  return evaluate(passwords.map((p) => ({ template, samples: samples(p) })));
}
