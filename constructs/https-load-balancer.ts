import { ComputeBackendService } from '@cdktf/provider-google/lib/compute-backend-service';
import { ComputeGlobalAddress } from '@cdktf/provider-google/lib/compute-global-address';
import { ComputeGlobalForwardingRule } from '@cdktf/provider-google/lib/compute-global-forwarding-rule';
import { ComputeManagedSslCertificate } from '@cdktf/provider-google/lib/compute-managed-ssl-certificate';
import { ComputeRegionNetworkEndpointGroup } from '@cdktf/provider-google/lib/compute-region-network-endpoint-group';
import { ComputeTargetHttpProxy } from '@cdktf/provider-google/lib/compute-target-http-proxy';
import { ComputeTargetHttpsProxy } from '@cdktf/provider-google/lib/compute-target-https-proxy';
import { ComputeUrlMap } from '@cdktf/provider-google/lib/compute-url-map';
import { Construct } from 'constructs';
import { createHash } from 'crypto';
import { checkDomain, checkServerUrlIs, serviceTarget } from './internal/front-door';
import { Problems, quote, reportProblems } from './internal/validation';
import type { TwentyBackendService } from './twenty-backend-service';

export interface HttpsLoadBalancerProps {
  /**
   * The Twenty service behind the load balancer. Its ingress must be
   * `internal-and-load-balancer` so that its run.app URL does not bypass the load balancer.
   */
  readonly backend: TwentyBackendService;
  /** The domain users open, e.g. `crm.example.com`; `SERVER_URL` must be `https://<domain>`. */
  readonly domain: string;
  /**
   * A Cloud Armor security policy (name or self link) on the backend service.
   * @default none
   */
  readonly securityPolicy?: string;
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
  /** `https://<domain>`. */
  public readonly publicUrl: string;
  public readonly domain: string;

  constructor(scope: Construct, id: string, props: HttpsLoadBalancerProps) {
    super(scope, id);
    const backend = props.backend;
    this.domain = props.domain;
    this.publicUrl = `https://${props.domain}`;

    const problems = new Problems(`HttpsLoadBalancer ${this.node.path}`);
    const target = serviceTarget(backend, problems, { ingress: 'load-balancer' });
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
    problems.whenKnown(props.securityPolicy, (p) => (p.trim() ? undefined : 'securityPolicy is empty; give a Cloud Armor policy name or self link, or leave it out'));
    reportProblems(this, problems);

    const project = props.project ?? backend.project;
    const prefix = props.namePrefix ?? target!.name;

    this.neg = new ComputeRegionNetworkEndpointGroup(this, 'Neg', {
      project,
      name: `${prefix}-neg`,
      region: target!.region,
      networkEndpointType: 'SERVERLESS',
      cloudRun: { service: backend.serviceName },
    });
    this.backendService = new ComputeBackendService(this, 'BackendService', {
      project,
      name: `${prefix}-backend`,
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      protocol: 'HTTPS',
      enableCdn: props.enableCdn ?? false,
      securityPolicy: props.securityPolicy,
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
      name: `${prefix}-cert-${createHash('sha256').update(props.domain).digest('hex').slice(0, 8)}`,
      managed: { domains: [props.domain] },
      lifecycle: { createBeforeDestroy: true },
    });
    this.httpsProxy = new ComputeTargetHttpsProxy(this, 'HttpsProxy', {
      project,
      name: `${prefix}-https-proxy`,
      urlMap: this.urlMap.id,
      sslCertificates: [this.certificate.id],
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
