import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { GoogleBetaProvider } from '@cdktf/provider-google-beta/lib/provider';
import { App, GcsBackend, TerraformStack, Testing } from 'cdktf';
import { IConstruct } from 'constructs';
import { readFileSync } from 'fs';
import { join } from 'path';
import { TwentyBootstrapStack } from '../../constructs/bootstrap/twenty-bootstrap-stack';
import { collectFindings } from '../../constructs/stack/synth-app';
import { bootstrapFor } from '../../examples/environments/bootstrap';
import { ENVIRONMENTS } from '../../examples/environments/environments';
import type { TwentyStackConfig } from '../../constructs/stack/twenty-stack';
import { TwentyStack } from '../../constructs/stack/twenty-stack';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/**
 * The smallest production config: the literal examples/minimal/main.ts passes to TwentyStack
 * (which the README shows and the npm pack test builds), read from that file so that the tests
 * and the example cannot drift apart. It is a plain object literal of strings, booleans and
 * arrays: evaluating it runs nothing else.
 */
export const MINIMAL: TwentyStackConfig = minimalExampleConfig();

export function minimalExampleConfig(): TwentyStackConfig {
  const source = readFileSync(join(__dirname, '../../examples/minimal/main.ts'), 'utf8');
  const literal = /new TwentyStack\(app, (\{[\s\S]*?\n\})\);/.exec(source)?.[1];
  if (!literal) throw new Error('examples/minimal/main.ts no longer calls new TwentyStack(app, { ... })');
  return new Function(`return (${literal});`)() as TwentyStackConfig;
}

/** A fresh app whose temp outdir is removed by the OS, not left per test. */
export function testApp(): App {
  return Testing.app({ stackTraces: false });
}

export function synthJson(stack: TerraformStack): Json {
  return JSON.parse(Testing.synth(stack));
}

export function envByName(name: string): TwentyStackConfig {
  const env = ENVIRONMENTS.find((e) => e.name === name);
  if (!env) throw new Error(`no environment ${name}`);
  return env;
}

export function synthEnv(env: TwentyStackConfig): Json {
  return synthJson(new TwentyStack(testApp(), env));
}

/**
 * Production with the monitoring option that adds a billing budget (`google_billing_budget`
 * and the `data.google_project` it reads the project number from), as stack `twenty-budget`.
 */
export function budgetExample(): TwentyStackConfig {
  const prod = envByName('prod');
  return {
    ...prod,
    name: 'budget',
    monitoring: { ...prod.monitoring, billingBudget: { billingAccountId: '012345-6789AB-CDEF01', monthlyAmount: 300 } },
  };
}

/**
 * Every example stack, by `Testing.synth`: the example app's environments and its bootstrap
 * (examples/environments/main.ts), examples/minimal's stack, and the budget variant.
 */
export function exampleStacks(): [string, Json][] {
  return [
    ...ENVIRONMENTS.map((e): [string, Json] => [e.name, synthEnv(e)]),
    ['bootstrap', synthJson(new TwentyBootstrapStack(testApp(), 'twenty-bootstrap', bootstrapFor(ENVIRONMENTS)))],
    ['minimal', synthEnv(MINIMAL)],
    ['budget', synthEnv(budgetExample())],
  ];
}

/** A bare stack with both providers and remote state, as a consumer of the constructs would have. */
export function providerStack(region = 'us-east1', project = 'acme-twenty-test'): TerraformStack {
  const stack = new TerraformStack(testApp(), 'test');
  new GcsBackend(stack, { bucket: 'acme-twenty-test-tfstate', prefix: 'test' });
  new GoogleProvider(stack, 'google', { project, region });
  new GoogleBetaProvider(stack, 'google-beta', { project, region });
  return stack;
}

export function resourcesOfType(json: Json, type: string): Json[] {
  return Object.values(json.resource?.[type] ?? {});
}

export function onlyResource(json: Json, type: string): Json {
  const all = resourcesOfType(json, type);
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

/** Every [path, value] pair in a JSON tree. */
export function* walk(node: Json, path: string[] = []): Generator<[string[], Json]> {
  yield [path, node];
  if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) yield* walk(v, [...path, k]);
  }
}

/** Returns the error thrown by `fn`, failing when nothing is thrown. */
export function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, none was thrown');
}

/**
 * The problems of the whole app `fn` builds in (it returns a construct it made), as the synth
 * report states them: `<subject>: <problem>`, each once. Guardrail findings need a synth.
 */
export function problemsOf(fn: () => unknown): readonly string[] {
  const made = fn() as (IConstruct & Record<string, unknown>) | undefined;
  // The construct itself, or an object holding it (e.g. `{ stack, door }`).
  const construct = made?.node
    ? made
    : (Object.values(made ?? {}).find((v) => (v as IConstruct)?.node) as IConstruct | undefined);
  if (!construct) throw new Error('problemsOf: the function must return the construct it built');
  return errorsOf(construct.node.root);
}

export function errorsOf(root: IConstruct): string[] {
  return collectFindings(root)
    .filter((f) => f.level === 'error')
    .map((f) => `${f.subject}: ${f.message}`);
}
