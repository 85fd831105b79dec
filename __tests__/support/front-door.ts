import { CloudRunV2Service } from '@cdktf/provider-google/lib/cloud-run-v2-service';
import Ajv, { ValidateFunction } from 'ajv';
import { TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import * as fs from 'fs';
import * as path from 'path';
import { TwentyBackendService, TwentyBackendServiceProps } from '../../constructs/backend/twenty-backend-service';
import type { ITwentyServiceTarget } from '../../constructs/front-door/service-target';
import { parseTwentyVersion } from '../../constructs/twenty/versions';
import { backend } from './backend';
import { providerStack } from './synth';

export interface BackendOptions extends Partial<TwentyBackendServiceProps> {
  readonly stackRegion?: string;
}

/** A provider stack with a TwentyBackendService named `twenty-test`, as a front door gets it. */
export function backendStack(opts: BackendOptions = {}): { stack: TerraformStack; backend: TwentyBackendService } {
  const { stackRegion, ...props } = opts;
  const { stack, server } = backend(
    { twentyVersion: 'v2.31.0', deletionProtection: false, ...props },
    providerStack(stackRegion),
  );
  return { stack, backend: server };
}

/**
 * A stand-in for a TwentyBackendService around a hand-made Cloud Run service, to reach
 * checks the real construct never lets through (a foreign region, invoker IAM on).
 */
export function fakeBackend(
  stack: TerraformStack,
  service: { location: string; invokerIamDisabled?: boolean; ingress?: string },
): ITwentyServiceTarget {
  const svc = new CloudRunV2Service(stack, 'hand-made', {
    name: 'hand-made',
    location: service.location,
    invokerIamDisabled: service.invokerIamDisabled,
    ingress: service.ingress,
    template: { containers: [{ image: 'docker.io/twentycrm/twenty:v2.31.0' }] },
  });
  const ingress = service.ingress === 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER' ? 'internal-and-load-balancer' : 'all';
  return {
    target: {
      name: 'hand-made',
      region: service.location,
      ingress,
      publiclyInvokable: service.invokerIamDisabled === true,
    },
    service: svc,
    serviceName: svc.name,
    project: 'acme-twenty-test',
    serverUrl: 'https://crm.example.com',
    twentyVersion: 'v2.31.0',
    version: parseTwentyVersion('v2.31.0'),
    requestTimeoutSeconds: 60,
  };
}

/** Messages of one annotation level on a construct (`warn`, `info`, `error`). */
export function annotations(c: IConstruct, level: 'warn' | 'info' | 'error'): string[] {
  return c.node.metadata.filter((m) => m.type === `@cdktf/${level}`).map((m) => String(m.data));
}

/** Pinned in scripts/fetch-firebase-schema.sh, read from there so that it is written once. */
export function firebaseToolsVersion(): string {
  const script = fs.readFileSync(path.join(__dirname, '../../scripts/fetch-firebase-schema.sh'), 'utf8');
  const m = /^FIREBASE_TOOLS_VERSION=(\S+)$/m.exec(script);
  if (!m) throw new Error('FIREBASE_TOOLS_VERSION not found in scripts/fetch-firebase-schema.sh');
  return m[1];
}

let cached: { version: string; validate: ValidateFunction } | undefined;

/** A validator for firebase.json built from firebase-tools' own schema (draft-07). */
export function firebaseJsonValidator(): { version: string; validate: ValidateFunction } {
  if (cached) return cached;
  const version = firebaseToolsVersion();
  const file = path.join(__dirname, `../../.cache/firebase-tools-${version}/schema/firebase-config.json`);
  if (!fs.existsSync(file)) {
    throw new Error(
      `${file} is missing; run \`bash scripts/fetch-firebase-schema.sh\` (\`npm test\` runs it first; it fetches firebase-tools@${version}'s schema with npm pack)`,
    );
  }
  const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
  // draft-07 is ajv 8's default draft; the schema types some fields as unions (e.g. `cors`).
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
  cached = { version, validate: ajv.compile(schema) };
  return cached;
}
