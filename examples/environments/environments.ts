/**
 * The repository's own environments: dev behind Firebase Hosting, prod behind the HTTPS load
 * balancer. Uses only the package's public API (a test checks the imports); a fork replaces
 * project ids, domains and the state bucket with its own.
 */
import type { TwentyStackConfig } from '../../constructs';

export const ENVIRONMENTS: readonly TwentyStackConfig[] = [
  {
    name: 'dev',
    production: false,
    projectId: 'acme-twenty-dev',
    region: 'us-east1',
    // dev shows the Firebase front door, where browser login works only before v2.32.0
    // (Firebase passes no cookie but `__session`). So dev pins the last release before
    // that line, v2.31.1 (a published image tag in use by other deployments). To rehearse
    // prod's version in dev, give dev prod's frontDoor kind.
    twentyVersion: 'v2.31.1',
    frontDoor: { kind: 'firebase', siteId: 'acme-twenty-dev-crm', customDomain: 'crm-dev.example.com' },
    stateBucket: 'acme-twenty-tfstate',
    database: { tier: 'db-custom-1-3840', highAvailability: false, deletionProtection: false },
    // Firebase Hosting ends requests after 60 s; a longer service timeout would only mislead.
    // Pools of 4: (3 server + 1 worker + 1 job) x 3 pools x 4 + 10 headroom = 70 <= 100
    // max_connections of db-custom-1-3840, with room to scale to 5 (README "Connection budget").
    service: { minInstances: 0, maxInstances: 3, requestTimeoutSeconds: 60, dbPoolSize: 4, deletionProtection: false },
    labels: { env: 'dev', app: 'twenty' },
  },
  {
    name: 'prod',
    production: true,
    projectId: 'acme-twenty-prod',
    region: 'us-east1',
    // v2.45.0 logs browsers in with its session cookie only: the load balancer passes it.
    twentyVersion: 'v2.45.0',
    frontDoor: { kind: 'load-balancer', domain: 'crm.example.com' },
    stateBucket: 'acme-twenty-tfstate',
    database: { tier: 'db-custom-2-7680', highAvailability: true, deletionProtection: true },
    // (8 server + 1 worker + 1 job) x 3 pools x 10 + 10 headroom = 310 <= 400 (db-custom-2-7680).
    service: { minInstances: 1, maxInstances: 8, deletionProtection: true },
    monitoring: { notificationEmails: ['oncall@example.com'] },
    labels: { env: 'prod', app: 'twenty' },
  },
];
