/**
 * What both front doors (Firebase Hosting, HTTPS load balancer) check about the Twenty
 * service behind them, and the one source of the Firebase rewrites (FACTS.md §2, §4).
 */
import { ITerraformDependable, Token } from 'cdktf';
import type { TwentyVersion } from '../twenty/versions';
import { checkRegion } from '../gcp/regions';
import { TWENTY_SERVER_ROUTES } from '../twenty/catalogue';
import { Problems, quote } from '../core/validation';

/** The Cloud Run service as literals: what a rewrite, a NEG and firebase.json need. */
export interface ServiceTarget {
  readonly name: string;
  readonly region: string;
}

/** What a front door needs to know about the Twenty service behind it, as configured. */
export interface ServiceTargetInfo extends ServiceTarget {
  /** Who may reach the service (TwentyBackendService `ingress`). */
  readonly ingress: 'all' | 'internal-and-load-balancer';
  /** Whether the service is invokable without credentials (IAM invoker check off). */
  readonly publiclyInvokable: boolean;
}

/**
 * The narrow interface a front door takes: TwentyBackendService implements it, so no front door
 * reads the L1 resource's inputs back.
 */
export interface ITwentyServiceTarget {
  /** The service as configured. */
  readonly target: ServiceTargetInfo;
  /** The `SERVER_URL` Twenty builds links from; must be the front door's public URL. */
  readonly serverUrl: string;
  /** The Twenty release behind the front door; undefined when its tag was refused (reported). */
  readonly version?: TwentyVersion;
  /** The release tag as given, e.g. `v2.45.0`. */
  readonly twentyVersion: string;
  /** Project of the service (the front door's default project). */
  readonly project: string;
  /** Request timeout of the service, in seconds. */
  readonly requestTimeoutSeconds: number;
  /** The service's name as a Terraform reference (what a NEG points at, so it follows the service). */
  readonly serviceName: string;
  /** The Cloud Run service resource, to depend on. */
  readonly service: ITerraformDependable;
}

const INGRESS: Record<ServiceTargetInfo['ingress'], string> = {
  all: 'INGRESS_TRAFFIC_ALL',
  'internal-and-load-balancer': 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
};
const INGRESS_LOAD_BALANCER = INGRESS['internal-and-load-balancer'];

/**
 * Checks that the front door can reach the service (never typed twice: its name and region
 * come from the service). Returns undefined when it cannot be used.
 */
export function serviceTarget(
  backend: ITwentyServiceTarget | undefined,
  problems: Problems,
  needs: { ingress: 'all' | 'load-balancer' },
): ServiceTarget | undefined {
  if (!backend?.target) {
    problems.add('no backend: pass the TwentyBackendService whose Cloud Run service this front door serves');
    return undefined;
  }
  const before = problems.messages.length;
  const { name, region } = backend.target;
  if (name === undefined || Token.isUnresolved(name)) {
    problems.add('the Cloud Run service name is not known at synth; give the service a literal name');
  }
  if (region === undefined || Token.isUnresolved(region)) {
    problems.add('the Cloud Run service location is not known at synth; give the service a literal region');
  } else {
    // Worded as the service's own check, so that the report states it once.
    const bad = checkRegion(region);
    if (bad) problems.add(bad);
  }
  const label = quote(name);
  // Both front doors call the service without credentials.
  if (backend.target.publiclyInvokable !== true) {
    problems.add(
      `the Cloud Run service ${label} is not publicly invokable (invoker_iam_disabled is not true); the front door calls it without credentials, so every request would get 403`,
    );
  }
  const ingress = INGRESS[backend.target.ingress] ?? backend.target.ingress;
  if (needs.ingress === 'all' && ingress !== INGRESS.all) {
    problems.add(
      `the Cloud Run service ${label} has ingress ${quote(ingress)}; Firebase Hosting reaches it from the internet, so it needs ingress "all" (TwentyBackendService ingress: 'all')`,
    );
  }
  if (needs.ingress === 'load-balancer' && ingress !== INGRESS_LOAD_BALANCER) {
    problems.add(
      `the Cloud Run service ${label} has ingress ${quote(ingress)}; behind the load balancer it must be ${quote(INGRESS_LOAD_BALANCER)} (TwentyBackendService ingress: 'internal-and-load-balancer'), otherwise its run.app URL bypasses the load balancer and its security policy`,
    );
  }
  if (problems.messages.length > before) return undefined;
  return { name, region };
}

/** What a front door builds on when `serviceTarget` refused the service (the problem is reported). */
export function fallbackTarget(backend: ITwentyServiceTarget | undefined): ServiceTarget {
  const t = backend?.target;
  const literal = (v: string | undefined, fallback: string) =>
    v === undefined || Token.isUnresolved(v) ? fallback : v;
  return { name: literal(t?.name, 'twenty'), region: literal(t?.region, 'us-central1') };
}

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** A DNS host name users type: lowercase labels, a non-numeric top-level label, no scheme or path. */
export function checkDomain(domain: string): string | undefined {
  const labels = domain.split('.');
  const ok =
    domain.length <= 253 &&
    labels.length >= 2 &&
    labels.every((l) => LABEL.test(l)) &&
    !/^\d+$/.test(labels[labels.length - 1]);
  return ok
    ? undefined
    : `domain ${quote(domain)} is not a host name; give it in lowercase without scheme, path, port or trailing dot, e.g. "crm.example.com"`;
}

/** Twenty builds links, OAuth callbacks and cookie origins from SERVER_URL: it must be the URL users open. */
export function checkServerUrlIs(serverUrl: string, publicUrl: string): string | undefined {
  if (Token.isUnresolved(serverUrl) || serverUrl === publicUrl) return undefined;
  return `the Twenty service's serverUrl ${quote(serverUrl)} differs from this front door's public URL ${quote(publicUrl)}; Twenty builds links, OAuth callbacks and cookie origins from SERVER_URL, so set serverUrl (the environment's publicUrl) to ${quote(publicUrl)}`;
}

/**
 * Which paths Firebase Hosting sends to the service.
 * - `everything`: all paths; the Twenty server also serves its own front end. Works with
 *   Terraform alone (no static files).
 * - `server-routes`: only the paths the server owns (`ApiPath`); everything else is static
 *   content the team deploys with the Firebase CLI (Twenty's front-end build), with a
 *   single-page-app fallback to `/index.html`.
 */
export type FirebaseRewriteMode = 'everything' | 'server-routes';

/** One rewrite in firebase.json's own shape (firebase-tools `schema/firebase-config.json`). */
export type FirebaseJsonRewrite =
  | { readonly glob: string; readonly run: { readonly serviceId: string; readonly region: string } }
  | { readonly glob: string; readonly destination: string };

/** The rewrites, in order; Firebase takes the first match. */
export function firebaseRewrites(mode: FirebaseRewriteMode, target: ServiceTarget): FirebaseJsonRewrite[] {
  const run = { serviceId: target.name, region: target.region };
  if (mode === 'everything') return [{ glob: '**', run }];
  return [
    ...TWENTY_SERVER_ROUTES.flatMap((route) => [
      { glob: `/${route}`, run },
      { glob: `/${route}/**`, run },
    ]),
    { glob: '**', destination: '/index.html' },
  ];
}

/** The same rewrites as the provider's `config.rewrites` (glob + run, or glob + path). */
export function providerRewrites(rewrites: readonly FirebaseJsonRewrite[]) {
  return rewrites.map((r) =>
    'run' in r
      ? { glob: r.glob, run: { serviceId: r.run.serviceId, region: r.run.region } }
      : { glob: r.glob, path: r.destination },
  );
}

/** A firebase.json whose `hosting` matches what Terraform releases, for `firebase deploy --only hosting`. */
export function firebaseJson(siteId: string, rewrites: readonly FirebaseJsonRewrite[]) {
  return { hosting: { site: siteId, public: 'public', rewrites: [...rewrites] } };
}
