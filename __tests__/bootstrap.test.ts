/** The bootstrap stack: what must exist before the first deploy, and nothing more. */
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { App, Testing } from 'cdktf';
import { readFileSync } from 'fs';
import { join } from 'path';
import {
  DEPLOYER_ROLES,
  deployerRoles,
  NO_ROLE_RESOURCE_TYPES,
  RUNTIME_PROJECT_ROLES,
} from '../constructs/bootstrap/deployer-roles';
import {
  GITHUB_OIDC_ISSUER,
  TwentyBootstrapStack,
  TwentyBootstrapStackProps,
} from '../constructs/bootstrap/twenty-bootstrap-stack';
import { PRIMITIVE_ROLES } from '../constructs/guardrails/rules/iam-primitive-role';
import { bootstrapFor } from '../examples/environments/bootstrap';
import { ENVIRONMENTS } from '../examples/environments/environments';
import { Json, onlyResource, problemsOf, resourcesOfType, synthEnv, synthJson, testApp } from './support/synth';

const BASE: TwentyBootstrapStackProps = {
  projectId: 'acme-twenty-prod',
  region: 'us-east1',
  stateBucket: 'acme-twenty-tfstate',
};
const GITHUB = {
  ...BASE,
  deployProjects: ['acme-twenty-dev', 'acme-twenty-prod'],
  github: { repository: 'acme/crm-infra' },
};

function bootstrap(props: TwentyBootstrapStackProps): TwentyBootstrapStack {
  return new TwentyBootstrapStack(testApp(), 'twenty-bootstrap', props);
}

function synth(props: TwentyBootstrapStackProps, app: App = testApp()): Json {
  return synthJson(new TwentyBootstrapStack(app, 'twenty-bootstrap', props));
}

test('snapshot: state bucket, deployer with its roles in two projects, GitHub federation', () => {
  expect(synth(GITHUB)).toMatchSnapshot();
});

test('the state bucket is versioned, uniform, never public, in the region, and survives destroy', () => {
  const bucket = onlyResource(synth(BASE), 'google_storage_bucket');
  expect(bucket).toMatchObject({
    name: 'acme-twenty-tfstate',
    location: 'us-east1',
    versioning: { enabled: true },
    uniform_bucket_level_access: true,
    public_access_prevention: 'enforced',
    force_destroy: false,
    lifecycle: { prevent_destroy: true },
  });
});

test('state is local (nothing exists yet to hold it) and the file is ignored by git', () => {
  const json = synth(BASE);
  expect(Object.keys(json.terraform.backend)).toEqual(['local']);
  expect(json.terraform.backend.local.path).toBe('../../../terraform.twenty-bootstrap.tfstate');
  expect(readFileSync(`${__dirname}/../.gitignore`, 'utf8')).toMatch(/^\*\.tfstate\*$/m);
});

test('the deployer gets exactly the catalogue roles, in every deploy project, and no basic role', () => {
  const json = synth(GITHUB);
  const grants = resourcesOfType(json, 'google_project_iam_member');
  const expected = ['acme-twenty-dev', 'acme-twenty-prod'].flatMap((p) => DEPLOYER_ROLES.map((r) => `${p} ${r.role}`));
  expect(grants.map((g) => `${g.project} ${g.role}`).sort()).toEqual(expected.sort());
  for (const g of grants) {
    expect(g.member).toBe('serviceAccount:${google_service_account.deployer.email}');
    // setIamPolicy on a fresh project waits for the Resource Manager API.
    expect(g.depends_on).toContain('google_project_service.api-cloudresourcemanager');
  }
  const allRoles = [
    ...grants,
    ...resourcesOfType(json, 'google_storage_bucket_iam_member'),
    ...resourcesOfType(json, 'google_service_account_iam_member'),
  ].map((g) => g.role);
  expect(allRoles.filter((r) => PRIMITIVE_ROLES.includes(r))).toEqual([]);
  // State: object access on the state bucket only.
  expect(onlyResource(json, 'google_storage_bucket_iam_member')).toMatchObject({
    bucket: '${google_storage_bucket.state-bucket.name}',
    role: 'roles/storage.objectUser',
  });
});

test('Project IAM Admin is limited to the roles the environments grant their runtime account', () => {
  const grant = resourcesOfType(synth(BASE), 'google_project_iam_member').find(
    (g) => g.role === 'roles/resourcemanager.projectIamAdmin',
  );
  expect(grant.condition.expression).toBe(
    "api.getAttribute('iam.googleapis.com/modifiedGrantsByRole', []).hasOnly(['roles/cloudsql.client', 'roles/logging.logWriter', 'roles/cloudtrace.agent'])",
  );
  // Every project role an example environment grants is in that list, and the list has no extra.
  const granted = new Set(
    ENVIRONMENTS.flatMap((env) =>
      resourcesOfType(synthEnv(env), 'google_project_iam_member').map((g) => g.role as string),
    ),
  );
  expect([...granted].sort()).toEqual([...RUNTIME_PROJECT_ROLES].sort());
});

test('every resource type an example environment creates is covered by a deployer role for its front door', () => {
  for (const env of ENVIRONMENTS) {
    const types = Object.keys(synthEnv(env).resource);
    const kind = env.frontDoor.kind;
    const covered = new Set([
      ...deployerRoles(kind === 'none' ? [] : [kind]).flatMap((r) => r.resourceTypes),
      ...NO_ROLE_RESOURCE_TYPES,
    ]);
    expect({ env: env.name, uncovered: types.filter((t) => !covered.has(t)) }).toEqual({
      env: env.name,
      uncovered: [],
    });
  }
  // And no role is in the catalogue for a type that no environment creates.
  const all = new Set(ENVIRONMENTS.flatMap((env) => Object.keys(synthEnv(env).resource)));
  expect(DEPLOYER_ROLES.filter((r) => !r.resourceTypes.some((t) => all.has(t))).map((r) => r.role)).toEqual([]);
});

test('front doors select their roles: a load-balancer-only deploy gets no Firebase role', () => {
  const roles = resourcesOfType(synth({ ...BASE, frontDoors: ['load-balancer'] }), 'google_project_iam_member').map(
    (g) => g.role,
  );
  expect(roles).toContain('roles/compute.loadBalancerAdmin');
  expect(roles.filter((r: string) => r.startsWith('roles/firebase'))).toEqual([]);
});

test("GitHub federation: only the named repository, GitHub's issuer, and workloadIdentityUser on the deployer only", () => {
  const json = synth(GITHUB);
  const provider = onlyResource(json, 'google_iam_workload_identity_pool_provider');
  expect(provider.attribute_condition).toBe('assertion.repository == "acme/crm-infra"');
  expect(provider.oidc).toEqual({ issuer_uri: GITHUB_OIDC_ISSUER });
  expect(provider.attribute_mapping['attribute.repository']).toBe('assertion.repository');
  const binding = onlyResource(json, 'google_service_account_iam_member');
  expect(binding).toMatchObject({
    service_account_id: '${google_service_account.deployer.name}',
    role: 'roles/iam.workloadIdentityUser',
    member:
      'principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.github-pool.name}/attribute.repository/acme/crm-infra',
  });
  expect(json.output.workload_identity_provider.value).toBe(
    '${google_iam_workload_identity_pool_provider.github-provider.name}',
  );
  // Without `github`, nothing of it.
  const plain = synth(BASE);
  expect(resourcesOfType(plain, 'google_iam_workload_identity_pool')).toHaveLength(0);
  expect(plain.output.workload_identity_provider).toBeUndefined();
});

test("the example app's bootstrap: from its environments, passes every guardrail, keeps its addresses", () => {
  const props = bootstrapFor(ENVIRONMENTS);
  expect(props).toEqual({
    projectId: 'acme-twenty-prod',
    region: 'us-east1',
    stateBucket: 'acme-twenty-tfstate',
    deployProjects: ['acme-twenty-dev', 'acme-twenty-prod'],
    frontDoors: ['firebase', 'load-balancer'],
    github: { repository: 'acme/crm-infra' },
  });
  const stack = new TwentyBootstrapStack(Testing.app({ stackTraces: false }), 'twenty-bootstrap', props);
  const json = JSON.parse(Testing.synth(stack, true)); // runs validations and the guardrails aspect
  const notes = (type: string) =>
    stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === type).map((m) => m.data));
  expect({ errors: notes('@cdktf/error'), warnings: notes('@cdktf/warn') }).toEqual({ errors: [], warnings: [] });
  const actual = Object.entries(json.resource as Record<string, Json>).flatMap(([type, byName]) =>
    Object.keys(byName).map((n) => `${type}.${n}`),
  );
  const recorded = readFileSync(join(__dirname, 'addresses', 'bootstrap.txt'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));
  // A recorded address that leaves is a destroy of the state bucket or the deployer's access.
  expect(recorded.filter((a) => !actual.includes(a))).toEqual([]);
  expect(actual.filter((a) => !recorded.includes(a))).toEqual([]);
});

test('guardrails run on the bootstrap: a basic role added to it fails the synth', () => {
  const stack = new TwentyBootstrapStack(Testing.app({ stackTraces: false }), 'twenty-bootstrap', BASE);
  new ProjectIamMember(stack, 'owner', { project: BASE.projectId, role: 'roles/owner', member: 'user:a@example.com' });
  expect(() => Testing.fullSynth(stack)).toThrow(
    /\[IAM-PRIMITIVE-ROLE\] google_project_iam_member\.owner: grants the basic role "roles\/owner"/,
  );
});

test('guardrails run on the bootstrap: prevent_destroy removed from the state bucket fails the synth', () => {
  const stack = new TwentyBootstrapStack(Testing.app({ stackTraces: false }), 'twenty-bootstrap', BASE);
  stack.stateBucket.addOverride('lifecycle.prevent_destroy', undefined);
  expect(() => Testing.fullSynth(stack)).toThrow(
    'google_storage_bucket.state-bucket: lifecycle.prevent_destroy is unset in production, though TwentyBootstrapStack sets it to true: an override or aspect changed it, so terraform destroy or a replacement deletes the resource; remove that override or aspect (prevent_destroy must stay a literal true)',
  );
});

describe('bad inputs, each with its exact message', () => {
  const S = 'TwentyBootstrapStack twenty-bootstrap';
  test('every problem at once', () => {
    expect(
      problemsOf(() =>
        bootstrap({
          projectId: 'Acme',
          region: 'us-east-1',
          stateBucket: 'Acme_State',
          deployProjects: ['acme-twenty-prod', 'x'],
          frontDoors: ['cdn' as never],
          deployerAccountId: 'deployer!',
          github: { repository: 'https://github.com/acme/crm', poolId: 'gcp-pool' },
        }),
      ),
    ).toEqual([
      `${S}: project id "Acme" is invalid; it must be 6-30 characters of lowercase letters, digits and hyphens, start with a letter and not end with a hyphen`,
      expect.stringMatching(
        new RegExp(
          `^${S}: region "us-east-1" is not a Google Cloud region with Cloud Run and Cloud SQL \\(that looks like an AWS region`,
        ),
      ),
      `${S}: stateBucket "Acme_State" is not a valid bucket name; use 3-63 lowercase letters, digits, "-", "_" and "." (names with dots: up to 222, each dot-separated part up to 63), starting and ending with a letter or digit, not an IP address`,
      `${S}: deployProjects: project id "x" is invalid; it must be 6-30 characters of lowercase letters, digits and hyphens, start with a letter and not end with a hyphen`,
      `${S}: frontDoors: "cdn" is not a front door; allowed: "load-balancer", "firebase"`,
      `${S}: deployerAccountId "deployer!" is invalid; use 6-30 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen`,
      `${S}: github.repository "https://github.com/acme/crm" is not "owner/name" (e.g. "acme/crm-infra")`,
      `${S}: github.poolId "gcp-pool" is invalid; use 4-32 lowercase letters, digits and hyphens, not starting with "gcp-"`,
    ]);
  });

  test('unknown keys are refused with a "did you mean", nested ones too', () => {
    const props = {
      ...BASE,
      stateBuckt: 'x',
      github: { repository: 'acme/crm-infra', pool: 'gh' },
    } as unknown as TwentyBootstrapStackProps;
    expect(problemsOf(() => bootstrap(props))).toEqual([
      expect.stringContaining('stateBuckt'),
      expect.stringContaining('github.pool'),
    ]);
    const [top] = problemsOf(() => bootstrap(props));
    expect(top).toMatch(/^TwentyBootstrapStack twenty-bootstrap: .*stateBuckt.*did you mean "stateBucket"/);
  });

  test('no deploy project', () => {
    expect(problemsOf(() => bootstrap({ ...BASE, deployProjects: [] }))).toEqual([
      `${S}: deployProjects is empty; give at least the project the environments deploy into`,
    ]);
  });
});
