import { TerraformOutput } from 'cdktf';
import {
  HttpsLoadBalancer,
  HttpsLoadBalancerProps,
  WAF_RULE_SETS,
} from '../../constructs/front-door/https-load-balancer';
import { backendStack, BackendOptions, fakeBackend } from '../support/front-door';
import { Json, onlyResource, problemsOf, resourcesOfType, synthJson, walk } from '../support/synth';

type LbOptions = Partial<HttpsLoadBalancerProps> & { backendOptions?: BackendOptions };

function lb(opts: LbOptions = {}) {
  const { backendOptions, ...props } = opts;
  const { stack, backend } = backendStack({
    twentyVersion: 'v2.45.0',
    ingress: 'internal-and-load-balancer',
    ...backendOptions,
  });
  const door = new HttpsLoadBalancer(stack, 'lb', { backend, domain: 'crm.example.com', ...props });
  return { stack, backend, door, json: synthJson(stack) as Json };
}

const ref = (json: Json, type: string, attr: string) => `\${${type}.${Object.keys(json.resource[type])[0]}.${attr}}`;
const PREFIX = 'HttpsLoadBalancer test/lb: ';
const COMPUTE = [
  'google_compute_backend_service',
  'google_compute_global_address',
  'google_compute_global_forwarding_rule',
  'google_compute_managed_ssl_certificate',
  'google_compute_region_network_endpoint_group',
  'google_compute_security_policy',
  'google_compute_ssl_policy',
  'google_compute_target_http_proxy',
  'google_compute_target_https_proxy',
  'google_compute_url_map',
];

describe('HttpsLoadBalancer', () => {
  test('snapshot', () => {
    const { json } = lb();
    expect(
      Object.keys(json.resource)
        .filter((t) => t.startsWith('google_compute'))
        .sort(),
    ).toEqual(COMPUTE);
    expect(Object.fromEntries(COMPUTE.map((t) => [t, json.resource[t]]))).toMatchSnapshot();
  });

  test("serverless NEG in the service's own region, pointing at the service by name", () => {
    const { json } = lb({ backendOptions: { stackRegion: 'europe-west1' } });
    const service = onlyResource(json, 'google_cloud_run_v2_service');
    const neg = onlyResource(json, 'google_compute_region_network_endpoint_group');
    expect(neg).toMatchObject({ network_endpoint_type: 'SERVERLESS', region: service.location });
    expect(neg.region).toBe('europe-west1');
    expect(neg.cloud_run).toEqual({ service: ref(json, 'google_cloud_run_v2_service', 'name') });
    // Of the load balancer's resources only the NEG is regional; the rest are global.
    const regional = [...walk(json.resource)]
      .filter(
        ([p]) => p.length > 1 && p[0].startsWith('google_compute_') && ['region', 'location'].includes(p[p.length - 1]),
      )
      .map(([p]) => p[0]);
    expect([...new Set(regional)]).toEqual(['google_compute_region_network_endpoint_group']);
  });

  test('HTTPS path: forwarding rule 443 -> proxy with the managed certificate -> URL map -> backend -> NEG', () => {
    const { json } = lb();
    const https = resourcesOfType(json, 'google_compute_global_forwarding_rule').find((r) => r.port_range === '443');
    expect(https).toMatchObject({
      load_balancing_scheme: 'EXTERNAL_MANAGED',
      ip_protocol: 'TCP',
      ip_address: ref(json, 'google_compute_global_address', 'address'),
      target: ref(json, 'google_compute_target_https_proxy', 'id'),
    });
    const proxy = onlyResource(json, 'google_compute_target_https_proxy');
    expect(proxy.ssl_certificates).toEqual([ref(json, 'google_compute_managed_ssl_certificate', 'id')]);
    expect(onlyResource(json, 'google_compute_managed_ssl_certificate').managed).toEqual({
      domains: ['crm.example.com'],
    });
    const maps = resourcesOfType(json, 'google_compute_url_map');
    const main = maps.find((m) => m.default_service);
    expect(proxy.url_map).toBe(
      `\${google_compute_url_map.${Object.keys(json.resource.google_compute_url_map).find((k) => json.resource.google_compute_url_map[k] === main)}.id}`,
    );
    expect(main.default_service).toBe(ref(json, 'google_compute_backend_service', 'id'));
    expect(onlyResource(json, 'google_compute_backend_service')).toMatchObject({
      load_balancing_scheme: 'EXTERNAL_MANAGED',
      enable_cdn: false,
      backend: [{ group: ref(json, 'google_compute_region_network_endpoint_group', 'id') }],
    });
    expect(onlyResource(json, 'google_compute_backend_service').security_policy).toBe(
      ref(json, 'google_compute_security_policy', 'id'),
    );
  });

  test('hardened: TLS 1.2+ with the MODERN profile, request logging, Cloud Armor', () => {
    const { json } = lb();
    expect(onlyResource(json, 'google_compute_ssl_policy')).toEqual({
      project: 'acme-twenty-test',
      name: 'twenty-test-tls',
      profile: 'MODERN',
      min_tls_version: 'TLS_1_2',
    });
    expect(onlyResource(json, 'google_compute_target_https_proxy').ssl_policy).toBe(
      ref(json, 'google_compute_ssl_policy', 'id'),
    );
    expect(onlyResource(json, 'google_compute_backend_service').log_config).toEqual({ enable: true, sample_rate: 1 });
    const policy = onlyResource(json, 'google_compute_security_policy');
    expect(policy).toMatchObject({ name: 'twenty-test-armor', type: 'CLOUD_ARMOR' });
    const rules: Json[] = policy.rule;
    // WAF: every rule set in preview, deny(403) once enforced; priorities unique.
    const waf = rules.filter((r) => String(r.match.expr?.expression).startsWith('evaluatePreconfiguredWaf'));
    expect(waf.map((r) => r.match.expr.expression)).toEqual(
      WAF_RULE_SETS.map((set) => `evaluatePreconfiguredWaf('${set}', {'sensitivity': 1})`),
    );
    for (const r of waf) expect(r).toMatchObject({ action: 'deny(403)', preview: true });
    expect(new Set(rules.map((r) => r.priority)).size).toBe(rules.length);
    // /auth: a per-IP throttle, enforced.
    expect(rules.find((r) => r.action === 'throttle')).toEqual({
      priority: 900,
      description: 'Per-IP rate limit on /auth',
      action: 'throttle',
      match: { expr: { expression: "request.path == '/auth' || request.path.startsWith('/auth/')" } },
      rate_limit_options: {
        conform_action: 'allow',
        exceed_action: 'deny(429)',
        enforce_on_key: 'IP',
        rate_limit_threshold: { count: 100, interval_sec: 60 },
      },
    });
    // The default rule the API requires.
    expect(rules.find((r) => r.priority === 2147483647)).toMatchObject({
      action: 'allow',
      match: { versioned_expr: 'SRC_IPS_V1', config: { src_ip_ranges: ['*'] } },
    });
  });

  test('opt-outs: no SSL policy, no logging, no Cloud Armor; options: enforced WAF, own rate', () => {
    const off = lb({ minTlsVersion: false, requestLogSampleRate: 0, cloudArmor: false }).json;
    expect(resourcesOfType(off, 'google_compute_ssl_policy')).toHaveLength(0);
    expect(resourcesOfType(off, 'google_compute_security_policy')).toHaveLength(0);
    expect(onlyResource(off, 'google_compute_target_https_proxy').ssl_policy).toBeUndefined();
    expect(onlyResource(off, 'google_compute_backend_service')).toMatchObject({ log_config: { enable: false } });
    expect(onlyResource(off, 'google_compute_backend_service').security_policy).toBeUndefined();
    const tuned = onlyResource(
      lb({ cloudArmor: { wafPreview: false, authRequestsPerMinute: 30, wafSensitivity: 2 } }).json,
      'google_compute_security_policy',
    );
    expect(tuned.rule.filter((r: Json) => r.preview)).toEqual([]);
    expect(tuned.rule.find((r: Json) => r.action === 'throttle').rate_limit_options.rate_limit_threshold).toEqual({
      count: 30,
      interval_sec: 60,
    });
    expect(tuned.rule[1].match.expr.expression).toBe("evaluatePreconfiguredWaf('sqli-v33-stable', {'sensitivity': 2})");
  });

  test('HTTP on the same address redirects to HTTPS', () => {
    const { json } = lb();
    const http = resourcesOfType(json, 'google_compute_global_forwarding_rule').find((r) => r.port_range === '80');
    expect(http).toMatchObject({
      ip_address: ref(json, 'google_compute_global_address', 'address'),
      target: ref(json, 'google_compute_target_http_proxy', 'id'),
    });
    const redirect = resourcesOfType(json, 'google_compute_url_map').find((m) => m.default_url_redirect);
    expect(redirect.default_url_redirect).toEqual({
      https_redirect: true,
      strip_query: false,
      redirect_response_code: 'MOVED_PERMANENTLY_DEFAULT',
    });
    expect(redirect.default_service).toBeUndefined();
  });

  test('your own Cloud Armor policy (none is created then) and CDN when asked for', () => {
    const { json } = lb({ securityPolicy: 'twenty-armor', enableCdn: true });
    expect(onlyResource(json, 'google_compute_backend_service')).toMatchObject({
      security_policy: 'twenty-armor',
      enable_cdn: true,
    });
    expect(resourcesOfType(json, 'google_compute_security_policy')).toHaveLength(0);
  });

  test('a new domain gets a new certificate before the old one goes', () => {
    const a = onlyResource(lb().json, 'google_compute_managed_ssl_certificate');
    const b = onlyResource(
      lb({ domain: 'crm2.example.com', backendOptions: { serverUrl: 'https://crm2.example.com' } }).json,
      'google_compute_managed_ssl_certificate',
    );
    expect(a.name).toMatch(/^twenty-test-cert-[0-9a-f]{8}$/);
    expect(b.name).not.toBe(a.name);
    expect(a.lifecycle).toEqual({ create_before_destroy: true });
  });

  test('outputs: the IP address and the A record to create', () => {
    const { door, stack } = lb();
    new TerraformOutput(stack, 'ip', { value: door.ipAddress });
    new TerraformOutput(stack, 'dns', { value: door.dnsRecord });
    const json = synthJson(stack);
    const address = ref(json, 'google_compute_global_address', 'address');
    expect(door.publicUrl).toBe('https://crm.example.com');
    expect(json.output.ip.value).toBe(address);
    expect(json.output.dns.value).toEqual({ name: 'crm.example.com.', type: 'A', ttl: 300, rrdatas: [address] });
  });

  test('cookies pass: any Twenty version is accepted, including cookie-session ones', () => {
    for (const v of ['v2.31.0', 'v2.45.0'])
      expect(problemsOf(() => lb({ backendOptions: { twentyVersion: v } }))).toEqual([]);
  });

  describe('bad input', () => {
    test('invalid domain', () => {
      expect(problemsOf(() => lb({ domain: 'CRM.example.com/' }))).toEqual([
        `${PREFIX}domain "CRM.example.com/" is not a host name; give it in lowercase without scheme, path, port or trailing dot, e.g. "crm.example.com"`,
      ]);
      expect(problemsOf(() => lb({ domain: '' }))).toEqual([
        `${PREFIX}no domain: the managed certificate and SERVER_URL need the domain users open`,
      ]);
    });

    test('SERVER_URL differs from https://<domain>', () => {
      expect(problemsOf(() => lb({ domain: 'twenty.example.com' }))).toEqual([
        `${PREFIX}the Twenty service's serverUrl "https://crm.example.com" differs from this front door's public URL "https://twenty.example.com"; Twenty builds links, OAuth callbacks and cookie origins from SERVER_URL, so set serverUrl (the environment's publicUrl) to "https://twenty.example.com"`,
      ]);
    });

    test('a service still open to the internet would bypass the load balancer', () => {
      expect(problemsOf(() => lb({ backendOptions: { ingress: 'all' } }))).toEqual([
        `${PREFIX}the Cloud Run service "twenty-test" has ingress "INGRESS_TRAFFIC_ALL"; behind the load balancer it must be "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER" (TwentyBackendService ingress: 'internal-and-load-balancer'), otherwise its run.app URL bypasses the load balancer and its security policy`,
      ]);
    });

    test('missing service', () => {
      const { stack } = backendStack();
      expect(
        problemsOf(
          () => new HttpsLoadBalancer(stack, 'lb', { backend: undefined as never, domain: 'crm.example.com' }),
        ),
      ).toEqual([`${PREFIX}no backend: pass the TwentyBackendService whose Cloud Run service this front door serves`]);
    });

    test('a service that is not publicly invokable', () => {
      const { stack } = backendStack();
      const backend = fakeBackend(stack, { location: 'us-east1', ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER' });
      expect(problemsOf(() => new HttpsLoadBalancer(stack, 'lb', { backend, domain: 'crm.example.com' }))).toEqual([
        `${PREFIX}the Cloud Run service "hand-made" is not publicly invokable (invoker_iam_disabled is not true); the front door calls it without credentials, so every request would get 403`,
      ]);
    });

    test('bad hardening options, reported together', () => {
      expect(
        problemsOf(() => lb({ requestLogSampleRate: 2, cloudArmor: { authRequestsPerMinute: 0, wafSensitivity: 5 } })),
      ).toEqual([
        `${PREFIX}requestLogSampleRate 2 is out of range; allowed: 0 to 1`,
        `${PREFIX}cloudArmor.authRequestsPerMinute 0 must be a whole number from 1 to 10000`,
        `${PREFIX}cloudArmor.wafSensitivity 5 must be 1, 2, 3 or 4`,
      ]);
      expect(problemsOf(() => lb({ securityPolicy: 'mine', cloudArmor: {} }))).toEqual([
        `${PREFIX}securityPolicy and cloudArmor are both given; give your own policy or let the construct create one, not both`,
      ]);
    });

    test('invalid name prefix and empty security policy, reported together', () => {
      expect(problemsOf(() => lb({ namePrefix: 'Twenty_LB', securityPolicy: ' ' }))).toEqual([
        `${PREFIX}namePrefix "Twenty_LB" is invalid; use lowercase letters, digits and hyphens, start with a letter, at most 49 characters (resource names add up to 14)`,
        `${PREFIX}securityPolicy is empty; give a Cloud Armor policy name or self link, or leave it out`,
      ]);
    });
  });
});
