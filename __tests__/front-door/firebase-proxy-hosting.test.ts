import { Testing } from 'cdktf';
import * as fs from 'fs';
import * as path from 'path';
import { FirebaseProxyHosting, FirebaseProxyHostingProps } from '../../constructs/front-door/firebase-proxy-hosting';
import { GCP_REGIONS } from '../../constructs/gcp/regions';
import { TWENTY_SERVER_ROUTES } from '../../constructs/twenty/catalogue';
import upstream from '../fixtures/twenty-api-path.json';
import { annotations, backendStack, BackendOptions, fakeBackend, firebaseJsonValidator } from '../support/front-door';
import { Json, onlyResource, problemsOf, resourcesOfType, synthJson } from '../support/synth';

type HostingOptions = Partial<FirebaseProxyHostingProps> & { backendOptions?: BackendOptions };

function hosting(opts: HostingOptions = {}) {
  const { backendOptions, ...props } = opts;
  const { stack, backend } = backendStack({ serverUrl: 'https://crm.example.com', ...backendOptions });
  const site = new FirebaseProxyHosting(stack, 'hosting', {
    backend,
    siteId: 'acme-twenty-crm',
    customDomain: 'crm.example.com',
    ...props,
  });
  return { stack, backend, site, json: synthJson(stack) as Json };
}

/** The version's rewrites as Terraform gets them, mapped back to firebase.json's shape. */
function terraformRewrites(json: Json) {
  return onlyResource(json, 'google_firebase_hosting_version').config.rewrites.map((r: Json) =>
    r.run
      ? { glob: r.glob, run: { serviceId: r.run.service_id, region: r.run.region } }
      : { glob: r.glob, destination: r.path },
  );
}

const PREFIX = 'FirebaseProxyHosting test/hosting: ';

describe('FirebaseProxyHosting', () => {
  test('snapshot: everything to the service, custom domain', () => {
    const { json } = hosting({ backendOptions: { requestTimeoutSeconds: 60 } });
    const { google_cloud_run_v2_service: _s, google_cloud_run_v2_job: _j, ...rest } = json.resource;
    expect(
      Object.keys(rest)
        .filter((t) => t.startsWith('google_firebase'))
        .sort(),
    ).toEqual([
      'google_firebase_hosting_custom_domain',
      'google_firebase_hosting_release',
      'google_firebase_hosting_site',
      'google_firebase_hosting_version',
      'google_firebase_project',
    ]);
    expect(
      Object.fromEntries(Object.entries(json.resource).filter(([t]) => t.startsWith('google_firebase'))),
    ).toMatchSnapshot();
  });

  test('snapshot: server routes only', () => {
    const { json } = hosting({
      rewrites: 'server-routes',
      customDomain: undefined,
      backendOptions: { serverUrl: 'https://acme-twenty-crm.web.app' },
    });
    expect(onlyResource(json, 'google_firebase_hosting_version')).toMatchSnapshot();
  });

  test('TWENTY_SERVER_ROUTES is exactly ApiPath of twenty-shared', () => {
    expect([...TWENTY_SERVER_ROUTES].sort()).toEqual([...upstream.values].sort());
  });

  test("server-routes mode: every ApiPath route and its sub-paths go to the service, never just the field notes' three", () => {
    const { json } = hosting({
      rewrites: 'server-routes',
      customDomain: undefined,
      backendOptions: { serverUrl: 'https://acme-twenty-crm.web.app' },
    });
    const rewrites = terraformRewrites(json);
    const run = { serviceId: 'twenty-test', region: 'us-east1' };
    for (const route of upstream.values) {
      expect(rewrites).toContainEqual({ glob: `/${route}`, run });
      expect(rewrites).toContainEqual({ glob: `/${route}/**`, run });
    }
    expect(rewrites).toHaveLength(upstream.values.length * 2 + 1);
    // First match wins: the single-page-app fallback comes last.
    expect(rewrites[rewrites.length - 1]).toEqual({ glob: '**', destination: '/index.html' });
  });

  test('everything mode (default): one rewrite of every path to the service', () => {
    expect(terraformRewrites(hosting().json)).toEqual([
      { glob: '**', run: { serviceId: 'twenty-test', region: 'us-east1' } },
    ]);
  });

  test("run.service_id is the service's name and run.region its location, in any region", () => {
    const { json } = hosting({ backendOptions: { stackRegion: 'europe-west1', requestTimeoutSeconds: 60 } });
    const service = onlyResource(json, 'google_cloud_run_v2_service');
    const [rewrite] = onlyResource(json, 'google_firebase_hosting_version').config.rewrites;
    expect(rewrite.run).toEqual({ service_id: service.name, region: service.location });
    expect(rewrite.run.region).toBe('europe-west1');
  });

  test('the version waits for the service it names; every Firebase resource uses google-beta', () => {
    const { json } = hosting();
    const [serviceKey] = Object.keys(json.resource.google_cloud_run_v2_service);
    expect(onlyResource(json, 'google_firebase_hosting_version').depends_on).toContain(
      `google_cloud_run_v2_service.${serviceKey}`,
    );
    for (const type of Object.keys(json.resource).filter((t) => t.startsWith('google_firebase'))) {
      for (const r of resourcesOfType(json, type)) expect(r.provider).toBe('google-beta');
    }
    const release = onlyResource(json, 'google_firebase_hosting_release');
    expect(release.channel_id).toBeUndefined();
    expect(release.version_name).toMatch(/^\$\{google_firebase_hosting_version\.[\w-]+\.name\}$/);
  });

  test('custom domain: Terraform does not wait for DNS; the records are exposed', () => {
    const { json, site } = hosting();
    expect(onlyResource(json, 'google_firebase_hosting_custom_domain')).toMatchObject({
      custom_domain: 'crm.example.com',
      wait_dns_verification: false,
    });
    expect(site.publicUrl).toBe('https://crm.example.com');
    expect(site.dnsRecords).toBeDefined();
    const noDomain = hosting({
      customDomain: undefined,
      backendOptions: { serverUrl: 'https://acme-twenty-crm.web.app' },
    });
    expect(resourcesOfType(noDomain.json, 'google_firebase_hosting_custom_domain')).toHaveLength(0);
    expect(noDomain.site.dnsRecords).toBeUndefined();
  });

  test('an existing Firebase project is not added again', () => {
    const { json } = hosting({ createFirebaseProject: false });
    expect(resourcesOfType(json, 'google_firebase_project')).toHaveLength(0);
    expect(onlyResource(json, 'google_firebase_hosting_site').depends_on ?? []).not.toContainEqual(
      expect.stringMatching(/google_firebase_project/),
    );
  });

  test('public access is checked, not granted: no IAM binding is added', () => {
    const { json } = hosting();
    expect(onlyResource(json, 'google_cloud_run_v2_service').invoker_iam_disabled).toBe(true);
    expect(resourcesOfType(json, 'google_cloud_run_v2_service_iam_member')).toHaveLength(0);
    expect(resourcesOfType(json, 'google_cloud_run_v2_service_iam_binding')).toHaveLength(0);
  });

  describe.each(['everything', 'server-routes'] as const)('firebase.json (%s)', (mode) => {
    const build = () =>
      hosting({
        rewrites: mode,
        customDomain: undefined,
        backendOptions: { serverUrl: 'https://acme-twenty-crm.web.app', requestTimeoutSeconds: 60 },
      });

    test('has the identical rewrites to the Terraform version', () => {
      const { json, site } = build();
      expect(site.firebaseJson.hosting.rewrites).toEqual(terraformRewrites(json));
      expect(site.firebaseJson.hosting.site).toBe(onlyResource(json, 'google_firebase_hosting_site').site_id);
    });

    test('is written at synth into the stack directory', () => {
      const { stack, site } = build();
      const outdir = Testing.fullSynth(stack);
      const file = path.join(outdir, 'stacks', 'test', site.firebaseJsonPath);
      expect(site.firebaseJsonPath).toBe('firebase/acme-twenty-crm/firebase.json');
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(site.firebaseJson);
      fs.rmSync(outdir, { recursive: true, force: true });
    });

    test("validates against firebase-tools' own JSON schema", () => {
      const { validate } = firebaseJsonValidator();
      const { site } = build();
      expect({ valid: validate(site.firebaseJson), errors: validate.errors }).toEqual({ valid: true, errors: null });
    });
  });

  test("the schema check is real: the provider's snake_case keys are refused", () => {
    const { validate } = firebaseJsonValidator();
    expect(
      validate({
        hosting: {
          public: 'public',
          rewrites: [{ glob: '**', run: { service_id: 'twenty-test', region: 'us-east1' } }],
        },
      }),
    ).toBe(false);
  });

  describe('cookie-session versions', () => {
    test(`refused for v2.45.0 and for the first affected release, with the alternative named`, () => {
      for (const v of ['v2.45.0', 'v2.32.0']) {
        expect(problemsOf(() => hosting({ backendOptions: { twentyVersion: v } }))).toEqual([
          `${PREFIX}Twenty ${v} signs browsers in with its session cookie only (from v2.32.0), and Firebase Hosting strips every cookie but "__session" before Cloud Run, so nobody could log in through this site; use HttpsLoadBalancer (environment frontDoor kind "load-balancer"), pin a Twenty version older than v2.32.0, or set apiOnly: true if the site serves only API clients`,
        ]);
      }
    });

    test('accepted for an older version', () => {
      const { site } = hosting({ backendOptions: { twentyVersion: 'v2.31.0' } });
      expect(annotations(site, 'info')).toEqual([]);
    });

    test('accepted with the apiOnly opt-out, which is stated at synth', () => {
      const { site } = hosting({
        apiOnly: true,
        backendOptions: { twentyVersion: 'v2.45.0', requestTimeoutSeconds: 60 },
      });
      expect(annotations(site, 'info')).toEqual([
        'apiOnly: browser login through https://crm.example.com does not work with Twenty v2.45.0; API clients with Bearer tokens do',
      ]);
    });
  });

  test("the 60 s proxy timeout against the service's own timeout is a synth warning", () => {
    expect(annotations(hosting().site, 'warn')).toEqual([
      'Firebase Hosting ends requests to Cloud Run after 60 s (504), but the service "twenty-test" allows 600 s; longer requests (imports, exports, large uploads) fail through this site. Set the service\'s requestTimeoutSeconds to 60, or use HttpsLoadBalancer',
    ]);
    expect(annotations(hosting({ backendOptions: { requestTimeoutSeconds: 60 } }).site, 'warn')).toEqual([]);
  });

  describe('bad input', () => {
    test('invalid custom domain and site id, all reported at once', () => {
      expect(problemsOf(() => hosting({ customDomain: 'https://crm.example.com', siteId: 'Acme_CRM' }))).toEqual([
        `${PREFIX}siteId "Acme_CRM" is invalid; it becomes the host name "<siteId>.web.app", so use lowercase letters, digits and hyphens, not starting or ending with a hyphen, at most 63 characters`,
        `${PREFIX}domain "https://crm.example.com" is not a host name; give it in lowercase without scheme, path, port or trailing dot, e.g. "crm.example.com"`,
      ]);
    });

    test("SERVER_URL must be the site's default URL when there is no custom domain", () => {
      expect(problemsOf(() => hosting({ customDomain: undefined }))).toEqual([
        `${PREFIX}the Twenty service's serverUrl "https://crm.example.com" differs from this front door's public URL "https://acme-twenty-crm.web.app"; Twenty builds links, OAuth callbacks and cookie origins from SERVER_URL, so set serverUrl (the environment's publicUrl) to "https://acme-twenty-crm.web.app"`,
      ]);
    });

    test('missing service', () => {
      const { stack } = backendStack();
      expect(
        problemsOf(
          () => new FirebaseProxyHosting(stack, 'hosting', { backend: undefined as never, siteId: 'acme-twenty-crm' }),
        ),
      ).toEqual([`${PREFIX}no backend: pass the TwentyBackendService whose Cloud Run service this front door serves`]);
    });

    test('a service in a region that is not a Google Cloud Run region', () => {
      const { stack } = backendStack();
      const backend = fakeBackend(stack, { location: 'us-east-1', invokerIamDisabled: true });
      expect(
        problemsOf(
          () =>
            new FirebaseProxyHosting(stack, 'hosting', {
              backend,
              siteId: 'acme-twenty-crm',
              customDomain: 'crm.example.com',
            }),
        ),
      ).toEqual([
        `${PREFIX}region "us-east-1" is not a Google Cloud region with Cloud Run and Cloud SQL (that looks like an AWS region; Google writes regions without the second dash, e.g. "us-east1"); allowed: ${GCP_REGIONS.join(', ')}`,
      ]);
    });

    test('a service that is not publicly invokable', () => {
      const { stack } = backendStack();
      const backend = fakeBackend(stack, { location: 'us-east1' });
      expect(
        problemsOf(
          () =>
            new FirebaseProxyHosting(stack, 'hosting', {
              backend,
              siteId: 'acme-twenty-crm',
              customDomain: 'crm.example.com',
            }),
        ),
      ).toEqual([
        `${PREFIX}the Cloud Run service "hand-made" is not publicly invokable (invoker_iam_disabled is not true); the front door calls it without credentials, so every request would get 403`,
      ]);
    });

    test('a service closed to the internet (load-balancer ingress)', () => {
      expect(problemsOf(() => hosting({ backendOptions: { ingress: 'internal-and-load-balancer' } }))).toEqual([
        `${PREFIX}the Cloud Run service "twenty-test" has ingress "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"; Firebase Hosting reaches it from the internet, so it needs ingress "all" (TwentyBackendService ingress: 'all')`,
      ]);
    });

    test('an unknown rewrite mode', () => {
      expect(problemsOf(() => hosting({ rewrites: 'api' as never }))).toEqual([
        `${PREFIX}rewrites "api" is not allowed; use "everything" or "server-routes"`,
      ]);
    });
  });
});
