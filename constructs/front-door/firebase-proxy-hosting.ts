import { GoogleFirebaseHostingCustomDomain } from '@cdktf/provider-google-beta/lib/google-firebase-hosting-custom-domain';
import { GoogleFirebaseHostingRelease } from '@cdktf/provider-google-beta/lib/google-firebase-hosting-release';
import { GoogleFirebaseHostingSite } from '@cdktf/provider-google-beta/lib/google-firebase-hosting-site';
import { GoogleFirebaseHostingVersion } from '@cdktf/provider-google-beta/lib/google-firebase-hosting-version';
import { GoogleFirebaseProject } from '@cdktf/provider-google-beta/lib/google-firebase-project';
import { GoogleBetaProvider } from '@cdktf/provider-google-beta/lib/provider';
import { Annotations, TerraformOutput, TerraformStack } from 'cdktf';
// Not re-exported from the cdktf root; TerraformAsset uses the same hook.
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { Construct } from 'constructs';
import * as fs from 'fs';
import * as path from 'path';
import {
  checkDomain,
  checkServerUrlIs,
  FirebaseJsonRewrite,
  firebaseJson,
  FirebaseRewriteMode,
  firebaseRewrites,
  providerRewrites,
  fallbackTarget,
  serviceTarget,
  ITwentyServiceTarget,
} from './service-target';
import { findGoogleBetaProvider } from '../gcp/providers';
import { COOKIE_SESSION_ONLY_SINCE, requirementsFor } from '../twenty/versions';
import { checkShape, omitShape } from '../core/props-shape';
import type { FrontDoorPlugin } from './front-door';
import { FIREBASE_SHAPE } from '../core/shapes';
import { Problems, quote, reportProblems } from '../core/validation';

/** Firebase Hosting ends a request to Cloud Run after this many seconds (504). */
export const FIREBASE_PROXY_TIMEOUT_SECONDS = 60;

export interface FirebaseProxyHostingProps {
  /**
   * The Twenty service to put behind Firebase Hosting. It must be publicly invokable and
   * accept traffic from the internet (ingress `all`); rewrites use its name and location.
   */
  readonly backend: ITwentyServiceTarget;
  /**
   * Hosting site id, globally unique; also the host name `<siteId>.web.app`. Must not be the
   * project's default site, which Firebase creates itself.
   */
  readonly siteId: string;
  /**
   * A custom domain for the site (e.g. `crm.example.com`); the DNS records to create are
   * in `dnsRecords`. `SERVER_URL` must then be `https://<customDomain>`.
   * @default none: users open `https://<siteId>.web.app`
   */
  readonly customDomain?: string;
  /**
   * Which paths go to the service: `everything` (the server also serves its front end), or
   * `server-routes` (only Twenty's `ApiPath` routes; the rest is static content deployed with
   * the Firebase CLI from the emitted firebase.json).
   * @default 'everything'
   */
  readonly rewrites?: FirebaseRewriteMode;
  /**
   * Opt-out for API-only sites. Firebase Hosting forwards no cookie but `__session`, and
   * Twenty from v2.32.0 signs browsers in with its own session cookie only, so on those
   * versions nobody can log in through this site. `true` accepts that: the site then serves
   * API clients (Bearer tokens), webhooks and OAuth callbacks only.
   * @default false: an affected version is a synth error
   */
  readonly apiOnly?: boolean;
  /**
   * Add Firebase to the project (`google_firebase_project`). Set false when the project is
   * already a Firebase project.
   * @default true
   */
  readonly createFirebaseProject?: boolean;
  /**
   * Project id.
   * @default the backend's project
   */
  readonly project?: string;
  /**
   * The `google-beta` provider (Firebase resources exist only there).
   * @default the stack's default google-beta provider
   */
  readonly betaProvider?: GoogleBetaProvider;
}

/**
 * Firebase Hosting in front of the Twenty Cloud Run service: a site, a version whose
 * rewrites send Twenty's routes (or everything) to the service in its own region, a
 * release on the live channel and an optional custom domain. Writes a firebase.json with
 * the identical rewrites into the stack's output directory.
 *
 * Limits (FACTS.md §4): requests end after 60 s, and only the `__session` cookie reaches the
 * service, which breaks browser login from Twenty v2.32.0 (see `HttpsLoadBalancer`).
 */
export class FirebaseProxyHosting extends Construct {
  public readonly firebaseProject?: GoogleFirebaseProject;
  public readonly site: GoogleFirebaseHostingSite;
  public readonly version: GoogleFirebaseHostingVersion;
  public readonly release: GoogleFirebaseHostingRelease;
  public readonly customDomain?: GoogleFirebaseHostingCustomDomain;
  /** The URL users open: `https://<customDomain>` or `https://<siteId>.web.app`. */
  public readonly publicUrl: string;
  /** The rewrites, in firebase.json's shape; the version's `config.rewrites` hold the same. */
  public readonly rewrites: readonly FirebaseJsonRewrite[];
  /** The firebase.json written at synth. */
  public readonly firebaseJson: ReturnType<typeof firebaseJson>;
  /** Where firebase.json is written, relative to the stack's directory in `cdktf.out/stacks/`. */
  public readonly firebaseJsonPath: string;

  constructor(scope: Construct, id: string, given: FirebaseProxyHostingProps) {
    super(scope, id);
    const problems = new Problems(`FirebaseProxyHosting ${this.node.path}`);
    const props = checkShape(problems, given, FIREBASE_SHAPE);
    const mode = props.rewrites ?? 'everything';
    const provider = props.betaProvider ?? findGoogleBetaProvider(this);
    const backend = props.backend;
    this.publicUrl = `https://${props.customDomain ?? `${props.siteId}.web.app`}`;

    // Construction goes on after a problem (reported once, by synthApp) with a stand-in target.
    const target = serviceTarget(backend, problems, { ingress: 'all' }) ?? fallbackTarget(backend);
    const beforeHost = problems.messages.length;
    problems.whenKnown(props.siteId, (s) =>
      /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(s)
        ? undefined
        : `siteId ${quote(s)} is invalid; it becomes the host name "<siteId>.web.app", so use lowercase letters, digits and hyphens, not starting or ending with a hyphen, at most 63 characters`,
    );
    problems.whenKnown(props.customDomain, checkDomain);
    const hostOk = problems.messages.length === beforeHost;
    if (mode !== 'everything' && mode !== 'server-routes') {
      problems.add(`rewrites ${quote(mode)} is not allowed; use "everything" or "server-routes"`);
    }
    if (!provider) {
      problems.add(
        'no google-beta provider: Firebase Hosting resources exist only in google-beta; add a GoogleBetaProvider to the stack or pass `betaProvider`',
      );
    }
    const version = backend?.version;
    const cookieOnly = version ? requirementsFor(version).cookieSessionOnlyLogin : false;
    if (backend) {
      const mismatch = hostOk ? checkServerUrlIs(backend.serverUrl, this.publicUrl) : undefined;
      if (mismatch) problems.add(mismatch);
      if (cookieOnly && !props.apiOnly) {
        problems.add(
          `Twenty ${backend.twentyVersion} signs browsers in with its session cookie only (from ${COOKIE_SESSION_ONLY_SINCE}), and Firebase Hosting strips every cookie but "__session" before Cloud Run, so nobody could log in through this site; use HttpsLoadBalancer (environment frontDoor kind "load-balancer"), pin a Twenty version older than ${COOKIE_SESSION_ONLY_SINCE}, or set apiOnly: true if the site serves only API clients`,
        );
      }
    }
    reportProblems(this, problems);

    if (cookieOnly && props.apiOnly) {
      Annotations.of(this).addInfo(
        `apiOnly: browser login through ${this.publicUrl} does not work with Twenty ${backend.twentyVersion}; API clients with Bearer tokens do`,
      );
    }
    if (backend && backend.requestTimeoutSeconds > FIREBASE_PROXY_TIMEOUT_SECONDS) {
      Annotations.of(this).addWarning(
        `Firebase Hosting ends requests to Cloud Run after ${FIREBASE_PROXY_TIMEOUT_SECONDS} s (504), but the service ${quote(target.name)} allows ${backend.requestTimeoutSeconds} s; longer requests (imports, exports, large uploads) fail through this site. Set the service's requestTimeoutSeconds to ${FIREBASE_PROXY_TIMEOUT_SECONDS}, or use HttpsLoadBalancer`,
      );
    }

    this.rewrites = firebaseRewrites(mode, target);
    this.firebaseJson = firebaseJson(props.siteId, this.rewrites);
    this.firebaseJsonPath = `firebase/${props.siteId}/firebase.json`;
    const project = props.project ?? backend?.project;

    if (props.createFirebaseProject ?? true) {
      this.firebaseProject = new GoogleFirebaseProject(this, 'FirebaseProject', { provider, project });
    }
    this.site = new GoogleFirebaseHostingSite(this, 'Site', {
      provider,
      project,
      siteId: props.siteId,
      dependsOn: this.firebaseProject ? [this.firebaseProject] : undefined,
    });
    this.version = new GoogleFirebaseHostingVersion(this, 'Version', {
      provider,
      siteId: this.site.siteId,
      config: { rewrites: providerRewrites(this.rewrites) },
      // The rewrites name the service by literal; Firebase refuses a version whose service does not exist yet.
      dependsOn: backend?.service ? [backend.service] : undefined,
    });
    this.release = new GoogleFirebaseHostingRelease(this, 'Release', {
      provider,
      siteId: this.site.siteId,
      versionName: this.version.name,
      // No channel_id: the release goes to the live channel.
      message: 'Released by Terraform (cdktf-twenty-gcp)',
    });
    if (props.customDomain) {
      this.customDomain = new GoogleFirebaseHostingCustomDomain(this, 'CustomDomain', {
        provider,
        project,
        siteId: this.site.siteId,
        customDomain: props.customDomain,
        // The records come out of this resource; waiting for them inside the same apply would hang.
        waitDnsVerification: false,
      });
    }

    addCustomSynthesis(this, {
      onSynthesize: (session) => {
        const stackDir = path.join(
          session.manifest.outdir,
          session.manifest.forStack(TerraformStack.of(this)).synthesizedStackPath,
          '..',
        );
        const file = path.join(stackDir, this.firebaseJsonPath);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, `${JSON.stringify(this.firebaseJson, null, 2)}\n`);
      },
    });
  }

  /** The DNS records Firebase asks for (custom domain only), or undefined. */
  get dnsRecords() {
    return this.customDomain?.requiredDnsUpdates;
  }
}

/** Firebase Hosting in front: cheap, 60 s per request, and only the `__session` cookie passes (see `FirebaseProxyHosting`). */
export type FirebaseFrontDoor = { readonly kind: 'firebase' } & Omit<
  FirebaseProxyHostingProps,
  'backend' | 'project' | 'betaProvider'
>;

/** @internal TwentyStack's plug-in for this front door (front-door/front-doors.ts). */
export const FIREBASE_FRONT_DOOR: FrontDoorPlugin<FirebaseFrontDoor> = {
  shape: { kind: 'string', ...omitShape(FIREBASE_SHAPE, ['backend', 'project', 'betaProvider']) },
  apis: ['firebase.googleapis.com', 'firebasehosting.googleapis.com'],
  ingress: 'all',
  publicUrl: (door) => `https://${door.customDomain ?? `${door.siteId}.web.app`}`,
  withFallbacks: (door) => (typeof door.siteId === 'string' ? door : { ...door, siteId: 'twenty-invalid' }),
  build(stack, door, { backend }) {
    const { kind: _kind, ...props } = door;
    const hosting = new FirebaseProxyHosting(stack, 'front-door', { ...props, backend });
    if (hosting.dnsRecords) {
      new TerraformOutput(stack, 'front_door_dns_records', {
        value: hosting.dnsRecords,
        description: `DNS records Firebase Hosting asks for ${door.customDomain}`,
      });
    }
    return hosting;
  },
  describe: (door) => `Firebase Hosting site ${door.siteId}${door.customDomain ? ` with ${door.customDomain}` : ''}`,
  nextStep: (door) =>
    door.customDomain
      ? `create the DNS records of the front_door_dns_records output for ${door.customDomain}`
      : undefined,
};
