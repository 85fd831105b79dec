/**
 * The DB password and the PG_DATABASE_URL secret move together, proven with the real
 * `terraform` (no provider: the Google resources are mirrored as `terraform_data`).
 *
 * The mirror is made from the synthesized JSON of CloudSqlSocketDatabase: the `terraform_data`
 * of URL inputs and every `lifecycle` are copied verbatim, the user's `password_wo_version`
 * expression too (only the address it reads is renamed). Each Google resource becomes a
 * `terraform_data` whose `triggers_replace` holds the arguments that force its replacement in
 * provider v6.50.0 (google/services/secretmanager/resource_secret_manager_secret_version.go:
 * `secret`, `secret_data_wo_version`; resource_secret_manager_secret.go: `secret_id`,
 * `replication`; sql/resource_sql_user.go: `name`, `instance`, `project`), and the version's
 * computed `create_time` becomes a value set once per create (`uuid()` kept by `ignore_changes`).
 * A write of the user's password is an `update` (password_wo_version is not ForceNew) or a create.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  CloudSqlSocketDatabase,
  CloudSqlSocketDatabaseProps,
} from '../../constructs/database/cloud-sql-socket-database';
import { Json, providerStack, synthJson } from '../support/synth';
import { requireTerraform } from '../support/terraform';

const ENV = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' };

function tf(dir: string, args: string[]): string {
  const r = spawnSync('terraform', args, { cwd: dir, encoding: 'utf8', env: ENV });
  if (r.status !== 0) throw new Error(`terraform ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function only(obj: Json): [string, Json] {
  const entries = Object.entries(obj ?? {});
  if (entries.length !== 1) throw new Error(`expected one entry, got ${entries.length}`);
  return entries[0] as [string, Json];
}

/** The providers-free mirror of the database construct's password wiring. */
function mirror(props: Partial<CloudSqlSocketDatabaseProps> = {}, edit?: (m: Json) => void): Json {
  const stack = providerStack();
  new CloudSqlSocketDatabase(stack, 'db', { instanceName: 'twenty-test', twentyVersion: 'v2.45.0', ...props });
  const r = synthJson(stack).resource;
  const [inputsKey, inputs] = only(r.terraform_data);
  const [secretKey, secret] = only(r.google_secret_manager_secret);
  const [versionKey, version] = only(r.google_secret_manager_secret_version);
  const [userKey, user] = only(r.google_sql_user);
  const rename = (s: string) =>
    s
      .replace(`google_secret_manager_secret.${secretKey}.id`, `terraform_data.${secretKey}.id`)
      .replace(
        `google_secret_manager_secret_version.${versionKey}.create_time`,
        `terraform_data.${versionKey}.output.created`,
      );
  expect(version.secret).toBe(`\${google_secret_manager_secret.${secretKey}.id}`);
  const secretRef = rename(version.secret);
  const m: Json = {
    resource: {
      terraform_data: {
        [inputsKey]: inputs,
        [secretKey]: {
          triggers_replace: {
            secret_id: secret.secret_id,
            replication: secret.replication,
            project: secret.project ?? null,
          },
          ...(secret.lifecycle ? { lifecycle: secret.lifecycle } : {}),
        },
        [versionKey]: {
          input: { secret: secretRef, secret_data_wo_version: version.secret_data_wo_version, created: '${uuid()}' },
          triggers_replace: { secret: secretRef, secret_data_wo_version: version.secret_data_wo_version },
          lifecycle: { ...version.lifecycle, ignore_changes: ['input'] },
        },
        [userKey]: {
          input: { password_wo_version: rename(user.password_wo_version) },
          triggers_replace: { name: user.name, instance: props.instanceName ?? 'twenty-test', project: user.project },
        },
      },
    },
  };
  edit?.(m);
  return m;
}

class Workspace {
  readonly dir = mkdtempSync(join(tmpdir(), 'tf-rotation-'));
  keys: { inputs: string; secret: string; version: string; user: string } = {
    inputs: '',
    secret: '',
    version: '',
    user: '',
  };

  write(config: Json): void {
    const [inputs, secret, version, user] = Object.keys(config.resource.terraform_data);
    this.keys = { inputs, secret, version, user };
    writeFileSync(join(this.dir, 'main.tf.json'), JSON.stringify(config, null, 2));
  }

  /** Plans (with extra flags), returns address -> actions, and applies that plan. */
  step(config: Json, ...flags: string[]): Record<string, string[]> {
    this.write(config);
    tf(this.dir, ['plan', '-out=plan', '-lock=false', '-no-color', ...flags]);
    const plan = JSON.parse(tf(this.dir, ['show', '-json', 'plan']));
    tf(this.dir, ['apply', '-lock=false', '-no-color', '-auto-approve', 'plan']);
    const actions: Record<string, string[]> = {};
    for (const c of plan.resource_changes ?? []) {
      if (c.change.actions.join() !== 'no-op') actions[c.address.replace(/^terraform_data\./, '')] = c.change.actions;
    }
    return actions;
  }

  /** The user's password_wo_version in state. */
  userVersion(): number {
    const state = JSON.parse(tf(this.dir, ['show', '-json']));
    const user = state.values.root_module.resources.find((x: Json) => x.address === `terraform_data.${this.keys.user}`);
    return user.values.output.password_wo_version;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const REPLACE = ['delete', 'create'];

describe('password and URL secret move together (terraform on a terraform_data mirror)', () => {
  let ws: Workspace;
  beforeAll(() => {
    requireTerraform();
    ws = new Workspace();
  });
  afterAll(() => ws.remove());

  test('every event that writes one writes the other in the same apply', () => {
    const base = mirror();
    expect(Object.keys(ws.step(base)).sort()).toHaveLength(4); // first apply creates all four
    const v0 = ws.userVersion();
    expect(Number.isInteger(v0)).toBe(true);
    const { version, user, secret, inputs } = ws.keys;

    // Nothing changed: nothing is written.
    expect(ws.step(base)).toEqual({});

    // Rotation: passwordVersion bump.
    expect(ws.step(mirror({ passwordVersion: 2 }))).toEqual({ [version]: REPLACE, [user]: ['update'] });
    const v1 = ws.userVersion();
    expect(v1).not.toBe(v0);

    // `terraform apply -replace` on the URL version alone.
    expect(ws.step(mirror({ passwordVersion: 2 }), `-replace=terraform_data.${version}`)).toEqual({
      [version]: REPLACE,
      [user]: ['update'],
    });
    expect(ws.userVersion()).not.toBe(v1);

    // The secret itself replaced (a replication change, or -replace): its versions go with it.
    expect(ws.step(mirror({ passwordVersion: 2 }), `-replace=terraform_data.${secret}`)).toEqual({
      [secret]: REPLACE,
      [version]: REPLACE,
      [user]: ['update'],
    });

    // The version deleted out of band (here: forgotten by state): recreated, and the user follows.
    tf(ws.dir, ['state', 'rm', '-lock=false', `terraform_data.${version}`]);
    expect(ws.step(mirror({ passwordVersion: 2 }))).toEqual({ [version]: ['create'], [user]: ['update'] });

    // A URL input changes (the database name): the URL is rewritten, and the password with it.
    expect(ws.step(mirror({ passwordVersion: 2, databaseName: 'crm' }))).toEqual({
      [inputs]: REPLACE,
      [version]: REPLACE,
      [user]: ['update'],
    });

    // The user is replaced (new name): the URL is rewritten in the same apply.
    expect(ws.step(mirror({ passwordVersion: 2, databaseName: 'crm', userName: 'crm' }))).toEqual({
      [inputs]: REPLACE,
      [version]: REPLACE,
      [user]: REPLACE,
    });
  });

  test('negative control: the old wiring (user on passwordVersion, URL triggered by the user) leaves the password behind', () => {
    const old = (props: Partial<CloudSqlSocketDatabaseProps> = {}) =>
      mirror(props, (m) => {
        const td = m.resource.terraform_data;
        const [, , versionKey, userKey] = Object.keys(td);
        td[userKey].input.password_wo_version = props.passwordVersion ?? 1;
        td[versionKey].lifecycle.replace_triggered_by = [`terraform_data.${userKey}`];
      });
    const w = new Workspace();
    try {
      w.step(old());
      const actions = w.step(old(), `-replace=terraform_data.${w.keys.version}`);
      expect(actions).toEqual({ [w.keys.version]: REPLACE }); // a new URL, and no password write
    } finally {
      w.remove();
    }
  });
});
