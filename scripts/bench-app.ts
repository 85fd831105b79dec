/**
 * Benchmark-only app: synthesizes BENCH_ENVS (default 1) environments derived from the example
 * ones, cycling through them, each with a distinct name (and so database instance). Derived by
 * spreading the examples so that fields added to TwentyStackConfig later come along.
 * Run by scripts/bench.mjs as `node dist/scripts/bench-app.js`.
 */
import { App } from 'cdktf';
import { ENVIRONMENTS } from '../examples/environments/environments';
import type { TwentyStackConfig } from '../constructs/stack/twenty-stack';
import { TwentyStack } from '../constructs/stack/twenty-stack';
import { synthApp } from '../constructs/stack/synth-app';

/** `count` distinct, valid environments built from `examples`. */
export function benchEnvironments(
  count: number,
  examples: readonly TwentyStackConfig[] = ENVIRONMENTS,
): TwentyStackConfig[] {
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`BENCH_ENVS "${count}" is invalid; give a whole number of environments, 1 or more`);
  return Array.from({ length: count }, (_, i) => {
    const base = examples[i % examples.length];
    const suffix = `-b${i + 1}`;
    // The database instance, service and secrets are named after the environment.
    return { ...base, name: base.name.slice(0, 20 - suffix.length) + suffix };
  });
}

if (require.main === module) {
  const app = new App();
  for (const env of benchEnvironments(Number(process.env.BENCH_ENVS ?? '1'))) new TwentyStack(app, env);
  synthApp(app); // as examples/environments/main.ts does
}
