import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { GoogleBetaProvider } from '@cdktf/provider-google-beta/lib/provider';
import { App, TerraformStack, Testing } from 'cdktf';
import { EnvironmentConfig, ENVIRONMENTS } from '../../stacks/environments';
import { TwentyStack } from '../../stacks/twenty-stack';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** A fresh app whose temp outdir is removed by the OS, not left per test. */
export function testApp(): App {
  return Testing.app({ stackTraces: false });
}

export function synthJson(stack: TerraformStack): Json {
  return JSON.parse(Testing.synth(stack));
}

export function envByName(name: string): EnvironmentConfig {
  const env = ENVIRONMENTS.find((e) => e.name === name);
  if (!env) throw new Error(`no environment ${name}`);
  return env;
}

export function synthEnv(env: EnvironmentConfig): Json {
  return synthJson(new TwentyStack(testApp(), env));
}

/** A bare stack with both providers, as a consumer of the constructs would have. */
export function providerStack(region = 'us-east1', project = 'acme-twenty-test'): TerraformStack {
  const stack = new TerraformStack(testApp(), 'test');
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

/** The problem lines of a ValidationError. */
export function problemsOf(fn: () => unknown): readonly string[] {
  const e = errorOf(fn) as Error & { problems?: string[] };
  if (!e.problems) throw e;
  return e.problems;
}
