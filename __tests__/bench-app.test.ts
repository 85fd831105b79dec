/** The benchmark's generated environments stay valid as TwentyStackConfig and the stack grow. */
import { benchEnvironments } from '../scripts/bench-app';
import { ENVIRONMENTS } from '../examples/environments/environments';
import { collectFindings } from '../constructs/stack/synth-app';
import { TwentyStack } from '../constructs/stack/twenty-stack';
import { errorOf, testApp } from './support/synth';

describe('benchmark environments (scripts/bench-app.ts)', () => {
  const envs = benchEnvironments(8);

  test('eight distinct environments cycling through the examples, every other field copied', () => {
    expect(envs.map((e) => e.name)).toEqual([
      'dev-b1',
      'prod-b2',
      'dev-b3',
      'prod-b4',
      'dev-b5',
      'prod-b6',
      'dev-b7',
      'prod-b8',
    ]);
    envs.forEach((env, i) => {
      const base = ENVIRONMENTS[i % ENVIRONMENTS.length];
      expect({ ...env, name: base.name }).toEqual(base);
    });
  });

  test('all of them are valid and build side by side in one app', () => {
    const app = testApp();
    const stacks = envs.map((env) => new TwentyStack(app, env));
    expect(collectFindings(app).filter((f) => f.level === 'error')).toEqual([]);
    expect(stacks.map((s) => s.node.id)).toEqual(envs.map((e) => `twenty-${e.name}`));
    expect(new Set(stacks.map((s) => s.database.instance.nameInput)).size).toBe(8);
  });

  test('a count that is not a positive whole number is refused', () => {
    expect(errorOf(() => benchEnvironments(0)).message).toBe(
      'BENCH_ENVS "0" is invalid; give a whole number of environments, 1 or more',
    );
    expect(errorOf(() => benchEnvironments(Number('x'))).message).toBe(
      'BENCH_ENVS "NaN" is invalid; give a whole number of environments, 1 or more',
    );
  });
});
