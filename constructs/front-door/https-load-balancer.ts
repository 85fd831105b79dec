import { ComputeBackendService } from '@cdktf/provider-google/lib/compute-backend-service';
import { ComputeGlobalAddress } from '@cdktf/provider-google/lib/compute-global-address';
import { ComputeGlobalForwardingRule } from '@cdktf/provider-google/lib/compute-global-forwarding-rule';
import { ComputeManagedSslCertificate } from '@cdktf/provider-google/lib/compute-managed-ssl-certificate';
import { ComputeRegionNetworkEndpointGroup } from '@cdktf/provider-google/lib/compute-region-network-endpoint-group';
import { ComputeSecurityPolicy, ComputeSecurityPolicyRule } from '@cdktf/provider-google/lib/compute-security-policy';
import { ComputeSslPolicy } from '@cdktf/provider-google/lib/compute-ssl-policy';
import { ComputeTargetHttpProxy } from '@cdktf/provider-google/lib/compute-target-http-proxy';
import { ComputeTargetHttpsProxy } from '@cdktf/provider-google/lib/compute-target-https-proxy';
import { ComputeUrlMap } from '@cdktf/provider-google/lib/compute-url-map';
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { createHash } from 'crypto';
import { checkDomain, checkServerUrlIs, fallbackTarget, serviceTarget, ITwentyServiceTarget } from './service-target';
import { checkSecurityPolicy } from '../gcp/values';
import { checkShape, omitShape } from '../core/props-shape';
import type { FrontDoorPlugin } from './front-door';
import { LOAD_BALANCER_SHAPE } from '../core/shapes';
import { Problems, quote, reportProblems } from '../core/validation';

export interface HttpsLoadBalancerProps {
  /**
   * The Twenty service behind the load balancer. Its ingress must be
   * `internal-and-load-balancer` so that its run.app URL does not bypass the load balancer.
   */
  readonly backend: ITwentyServiceTarget;
  /** The domain users open, e.g. `crm.example.com`; `SERVER_URL` must be `https://<domain>`. */
  readonly domain: string;
  /**
   * Your own Cloud Armor security policy (name or self link) on the backend service; no policy
   * is created then.
   * @default the policy this construct creates (see `cloudArmor`)
   */
  readonly securityPolicy?: string;
  /**
   * A Cloud Armor policy created for the backend service when `securityPolicy` is not given:
   * Google's preconfigured WAF rules (OWASP CRS 3.3), and a per-IP rate limit on `/auth`.
   * `false`: none (TwentyStack turns it off outside production; Cloud Armor bills per policy,
   * rule and request).
   * @default {} (on, WAF rules in preview, 100 requests a minute per IP on /auth)
   */
  readonly cloudArmor?: CloudArmorOptions | false;
  /**
   * TLS of the HTTPS proxy: an SSL policy with this minimum version and the MODERN profile.
   * `false`: none (Google's default policy, which accepts TLS 1.0).
   * @default 'TLS_1_2'
   */
  readonly minTlsVersion?: 'TLS_1_2' | 'TLS_1_3' | false;
  /**
   * Request logging on the backend service: the share of requests logged (0 to 1). `0` turns
   * logging off.
   * @default 1
   */
  readonly requestLogSampleRate?: number;
  /**
   * Cloud CDN on the backend service. Twenty's responses are mostly per user; turn it on only
   * for a reason.
   * @default false
   */
  readonly enableCdn?: boolean;
  /**
   * Prefix of the resource names (`<prefix>-neg`, `<prefix>-backend`, ...).
   * @default the Cloud Run service's name
   */
  readonly namePrefix?: string;
  /**
   * Project id.
   * @default the backend's project
   */
  readonly project?: string;
}

/** The Cloud Armor policy HttpsLoadBalancer creates. */
export interface CloudArmorOptions {
  /**
   * Log WAF matches without blocking them (`preview`). Start here, read the logs for false
   * positives, then turn it off to enforce.
   * @default true
   */
  readonly wafPreview?: boolean;
  /**
   * Requests a minute one client IP may send to `/auth` and `/auth/*` before getting 429s.
   * @default 100
   */
  readonly authRequestsPerMinute?: number;
  /**
   * WAF sensitivity (OWASP paranoia level) of the preconfigured rules, 1 (fewest false
   * positives) to 4.
   * @default 1
   */
  readonly wafSensitivity?: number;
}

/**
 * Preconfigured WAF rule sets evaluated by the policy (cloud.google.com/armor/docs/waf-rules,
 * CRS 3.3). php and java are left out: Twenty is a Node.js server.
 */
export const WAF_RULE_SETS = [
  'sqli-v33-stable',
  'xss-v33-stable',
  'lfi-v33-stable',
  'rfi-v33-stable',
  'rce-v33-stable',
  'methodenforcement-v33-stable',
  'scannerdetection-v33-stable',
  'protocolattack-v33-stable',
  'sessionfixation-v33-stable',
  'nodejs-v33-stable',
] as const;

/** Twenty's sign-in routes (the `auth` ApiPath); GraphQL sign-in mutations are not matched by path. */
export const AUTH_PATH_EXPRESSION = "request.path == '/auth' || request.path.startsWith('/auth/')";

/**
 * A global external Application Load Balancer in front of the Twenty Cloud Run service:
 * serverless NEG (in the service's region), backend service, URL map, Google-managed
 * certificate, HTTPS proxy and forwarding rule on a reserved global address, and an
 * HTTP-to-HTTPS redirect on the same address. It passes cookies through, so browser login
 * works on every Twenty version. Create the A record from `dnsRecord`; the certificate is
 * issued once the domain points at `ipAddress`.
 */
export class HttpsLoadBalancer extends Construct {
  public readonly neg: ComputeRegionNetworkEndpointGroup;
  public readonly backendService: ComputeBackendService;
  public readonly urlMap: ComputeUrlMap;
  public readonly certificate: ComputeManagedSslCertificate;
  public readonly httpsProxy: ComputeTargetHttpsProxy;
  public readonly address: ComputeGlobalAddress;
  public readonly httpsForwardingRule: ComputeGlobalForwardingRule;
  public readonly redirectUrlMap: ComputeUrlMap;
  public readonly httpProxy: ComputeTargetHttpProxy;
  public readonly httpForwardingRule: ComputeGlobalForwardingRule;
  /** The HTTPS proxy's SSL policy, unless `minTlsVersion` is false. */
  public readonly sslPolicy?: ComputeSslPolicy;
  /** The Cloud Armor policy this construct created, if any. */
  public readonly securityPolicy?: ComputeSecurityPolicy;
  /** `https://<domain>`. */
  public readonly publicUrl: string;
  public readonly domain: string;

  constructor(scope: Construct, id: string, given: HttpsLoadBalancerProps) {
    super(scope, id);
    const problems = new Problems(`HttpsLoadBalancer ${this.node.path}`);
    const props = checkShape(problems, given, LOAD_BALANCER_SHAPE);
    const backend = props.backend;
    this.domain = props.domain;
    this.publicUrl = `https://${props.domain}`;

    // Construction goes on after a problem (reported once, by synthApp) with a stand-in target.
    const target = serviceTarget(backend, problems, { ingress: 'load-balancer' }) ?? fallbackTarget(backend);
    if (!props.domain) problems.add('no domain: the managed certificate and SERVER_URL need the domain users open');
    const domainProblem = props.domain ? checkDomain(props.domain) : undefined;
    if (domainProblem) problems.add(domainProblem);
    if (backend && props.domain && !domainProblem) {
      const mismatch = checkServerUrlIs(backend.serverUrl, this.publicUrl);
      if (mismatch) problems.add(mismatch);
    }
    problems.whenKnown(props.namePrefix, (n) =>
      /^[a-z]([-a-z0-9]{0,47}[a-z0-9])?$/.test(n)
        ? undefined
        : `namePrefix ${quote(n)} is invalid; use lowercase letters, digits and hyphens, start with a letter, at most 49 characters (resource names add up to 14)`,
    );
    problems.whenKnown(props.securityPolicy, (p) =>
      p.trim()
        ? checkSecurityPolicy(p)
        : 'securityPolicy is empty; give a Cloud Armor policy name or self link, or leave it out',
    );
    problems.whenKnown(props.requestLogSampleRate, (r) =>
      r >= 0 && r <= 1 ? undefined : `requestLogSampleRate ${r} is out of range; allowed: 0 to 1`,
    );
    const armor = props.securityPolicy || props.cloudArmor === false ? undefined : (props.cloudArmor ?? {});
    if (props.securityPolicy && props.cloudArmor)
      problems.add(
        'securityPolicy and cloudArmor are both given; give your own policy or let the construct create one, not both',
      );
    problems.whenKnown(armor?.authRequestsPerMinute, (n) =>
      Number.isInteger(n) && n >= 1 && n <= 10000
        ? undefined
        : `cloudArmor.authRequestsPerMinute ${n} must be a whole number from 1 to 10000`,
    );
    problems.whenKnown(armor?.wafSensitivity, (n) =>
      Number.isInteger(n) && n >= 1 && n <= 4 ? undefined : `cloudArmor.wafSensitivity ${n} must be 1, 2, 3 or 4`,
    );
    reportProblems(this, problems);

    const project = props.project ?? backend?.project;
    const prefix = props.namePrefix ?? target.name;

    this.neg = new ComputeRegionNetworkEndpointGroup(this, 'Neg', {
      project,
      name: `${prefix}-neg`,
      region: target.region,
      networkEndpointType: 'SERVERLESS',
      cloudRun: { service: backend?.service ? backend.serviceName : target.name },
    });
    if (armor) this.securityPolicy = securityPolicy(this, project, `${prefix}-armor`, armor);
    const sampleRate = props.requestLogSampleRate ?? 1;
    this.backendService = new ComputeBackendService(this, 'BackendService', {
      project,
      name: `${prefix}-backend`,
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      protocol: 'HTTPS',
      enableCdn: props.enableCdn ?? false,
      securityPolicy: props.securityPolicy ?? this.securityPolicy?.id,
      logConfig: sampleRate > 0 ? { enable: true, sampleRate } : { enable: false },
      backend: [{ group: this.neg.id }],
    });
    this.urlMap = new ComputeUrlMap(this, 'UrlMap', {
      project,
      name: `${prefix}-url-map`,
      defaultService: this.backendService.id,
    });
    this.certificate = new ComputeManagedSslCertificate(this, 'Certificate', {
      project,
      // A new domain needs a new certificate while the proxy still holds the old one.
      name: `${prefix}-cert-${createHash('sha256').update(String(props.domain)).digest('hex').slice(0, 8)}`,
      managed: { domains: [props.domain] },
      lifecycle: { createBeforeDestroy: true },
    });
    const minTls = props.minTlsVersion ?? 'TLS_1_2';
    if (minTls) {
      this.sslPolicy = new ComputeSslPolicy(this, 'SslPolicy', {
        project,
        name: `${prefix}-tls`,
        // MODERN: forward-secret AES-GCM/ChaCha20 suites only (cloud.google.com/load-balancing/docs/ssl-policies-concepts).
        profile: 'MODERN',
        minTlsVersion: minTls,
      });
    }
    this.httpsProxy = new ComputeTargetHttpsProxy(this, 'HttpsProxy', {
      project,
      name: `${prefix}-https-proxy`,
      urlMap: this.urlMap.id,
      sslCertificates: [this.certificate.id],
      sslPolicy: this.sslPolicy?.id,
    });
    this.address = new ComputeGlobalAddress(this, 'Address', { project, name: `${prefix}-ip`, ipVersion: 'IPV4' });
    const rule = (cid: string, name: string, port: string, proxy: string) =>
      new ComputeGlobalForwardingRule(this, cid, {
        project,
        name,
        loadBalancingScheme: 'EXTERNAL_MANAGED',
        ipProtocol: 'TCP',
        ipAddress: this.address.address,
        portRange: port,
        target: proxy,
      });
    this.httpsForwardingRule = rule('HttpsForwardingRule', `${prefix}-https`, '443', this.httpsProxy.id);

    this.redirectUrlMap = new ComputeUrlMap(this, 'RedirectUrlMap', {
      project,
      name: `${prefix}-redirect`,
      defaultUrlRedirect: { httpsRedirect: true, stripQuery: false, redirectResponseCode: 'MOVED_PERMANENTLY_DEFAULT' },
    });
    this.httpProxy = new ComputeTargetHttpProxy(this, 'HttpProxy', {
      project,
      name: `${prefix}-http-proxy`,
      urlMap: this.redirectUrlMap.id,
    });
    this.httpForwardingRule = rule('HttpForwardingRule', `${prefix}-http`, '80', this.httpProxy.id);
  }

  /** The reserved global IPv4 address. */
  get ipAddress(): string {
    return this.address.address;
  }

  /** The DNS record to create for the domain. */
  get dnsRecord(): { name: string; type: 'A'; ttl: number; rrdatas: string[] } {
    return { name: `${this.domain}.`, type: 'A', ttl: 300, rrdatas: [this.ipAddress] };
  }
}

/**
 * Cloud Armor: the preconfigured WAF rule sets (in preview unless told otherwise), a per-IP
 * throttle on Twenty's `/auth` routes, and the default allow rule the API requires.
 * Expressions as in cloud.google.com/armor/docs/configure-waf.
 */
function securityPolicy(scope: Construct, project: string, name: string, o: CloudArmorOptions): ComputeSecurityPolicy {
  const preview = o.wafPreview ?? true;
  const sensitivity = o.wafSensitivity ?? 1;
  const rule: ComputeSecurityPolicyRule[] = [
    {
      priority: 900,
      description: 'Per-IP rate limit on /auth',
      action: 'throttle',
      match: { expr: { expression: AUTH_PATH_EXPRESSION } },
      rateLimitOptions: {
        conformAction: 'allow',
        exceedAction: 'deny(429)',
        enforceOnKey: 'IP',
        rateLimitThreshold: { count: o.authRequestsPerMinute ?? 100, intervalSec: 60 },
      },
    },
    ...WAF_RULE_SETS.map((set, i) => ({
      priority: 1000 + i * 10,
      description: `Preconfigured WAF ${set}`,
      action: 'deny(403)',
      preview,
      match: { expr: { expression: `evaluatePreconfiguredWaf('${set}', {'sensitivity': ${sensitivity}})` } },
    })),
    {
      priority: 2147483647,
      description: 'Default: allow',
      action: 'allow',
      match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } },
    },
  ];
  return new ComputeSecurityPolicy(scope, 'SecurityPolicy', {
    project,
    name,
    type: 'CLOUD_ARMOR',
    description: 'Twenty: WAF and /auth rate limit',
    rule,
  });
}

/** A global external HTTPS load balancer in front; works with every Twenty version (see `HttpsLoadBalancer`). */
export type LoadBalancerFrontDoor = { readonly kind: 'load-balancer' } & Omit<
  HttpsLoadBalancerProps,
  'backend' | 'project'
>;

/** @internal TwentyStack's plug-in for this front door (front-door/front-doors.ts). */
export const LOAD_BALANCER_FRONT_DOOR: FrontDoorPlugin<LoadBalancerFrontDoor> = {
  shape: { kind: 'string', ...omitShape(LOAD_BALANCER_SHAPE, ['backend', 'project']) },
  apis: ['compute.googleapis.com'],
  ingress: 'internal-and-load-balancer',
  publicUrl: (door) => `https://${door.domain}`,
  withFallbacks: (door) => (typeof door.domain === 'string' ? door : { ...door, domain: 'twenty.invalid' }),
  build(stack, door, { backend, production }) {
    const { kind: _kind, ...props } = door;
    const lb = new HttpsLoadBalancer(stack, 'front-door', {
      // Cloud Armor bills per policy, rule and request: production only, unless the env brings its own.
      cloudArmor: production && !props.securityPolicy ? {} : false,
      ...props,
      backend,
    });
    new TerraformOutput(stack, 'front_door_ip', {
      value: lb.ipAddress,
      description: "The load balancer's global IPv4 address",
    });
    new TerraformOutput(stack, 'front_door_dns_records', {
      value: [lb.dnsRecord],
      description: `Create this A record for ${door.domain}; the managed certificate is issued once it resolves`,
    });
    return lb;
  },
  describe: (door) => `HTTPS load balancer for ${door.domain}`,
  nextStep: (door) =>
    `create a DNS A record ${door.domain} -> the front_door_ip output; the managed certificate is issued once it resolves`,
};
