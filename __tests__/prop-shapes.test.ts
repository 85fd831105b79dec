/**
 * The runtime key lists (constructs/core/shapes.ts) are tied to the props types by the
 * compiler. The `@ts-expect-error` lines are the negative controls: if PropShape stopped
 * catching a missing key, an invented key or a wrong kind, `npm run typecheck` would fail on
 * an unused directive.
 */
import { checkShape, nearest, PropShape } from '../constructs/core/props-shape';
import {
  BACKEND_SHAPE,
  DATABASE_SHAPE,
  FIREBASE_SHAPE,
  LOAD_BALANCER_SHAPE,
  REDIS_SHAPE,
} from '../constructs/core/shapes';
import { Problems } from '../constructs/core/validation';
import { TWENTY_STACK_CONFIG_SHAPE } from '../constructs/stack/twenty-stack';

interface Sample {
  readonly name: string;
  readonly size?: number;
  readonly nested?: { readonly on: boolean };
}

// @ts-expect-error a key of Sample is missing
const missing: PropShape<Sample> = { name: 'string', size: 'number?' };
// @ts-expect-error a key Sample does not have
const invented: PropShape<Sample> = { name: 'string', size: 'number?', nested: 'object?', colour: 'string?' };
// @ts-expect-error `size` is a number, not a string
const wrongKind: PropShape<Sample> = { name: 'string', size: 'string?', nested: 'object?' };
// @ts-expect-error `name` is required: no `?`
const wrongOptional: PropShape<Sample> = { name: 'string?', size: 'number?', nested: 'object?' };
const right: PropShape<Sample> = {
  name: 'string',
  size: 'number?',
  nested: { optional: true, shape: { on: 'boolean' } },
};

test('the negative controls are type errors (checked by tsc), and a right shape checks values', () => {
  expect([missing, invented, wrongKind, wrongOptional].length).toBe(4);
  const problems = new Problems('sample');
  expect(checkShape(problems, { name: 'x', size: '3', nested: { on: true, off: false }, extra: 1 }, right)).toEqual({
    name: 'x',
    nested: { on: true },
  });
  expect(problems.messages).toEqual([
    'sample: size is the string "3"; expected a number, e.g. 3 without quotes',
    'sample: unknown prop "nested.off"; known: on',
    'sample: unknown prop "extra"; known: name, size, nested',
  ]);
});

test('"did you mean": near misses only', () => {
  const keys = Object.keys(BACKEND_SHAPE);
  expect(nearest('maxInstance', keys)).toBe('maxInstances');
  expect(nearest('MaxInstances', keys)).toBe('maxInstances');
  expect(nearest('requestTimeout', keys)).toBe('requestTimeoutSeconds');
  expect(nearest('worker', keys)).toBeUndefined(); // workerInstances or workerResources: no guess
  expect(nearest('cpus', keys)).toBe('cpu');
  expect(nearest('colour', Object.keys(TWENTY_STACK_CONFIG_SHAPE))).toBeUndefined();
  expect(nearest('stateBuckets', Object.keys(TWENTY_STACK_CONFIG_SHAPE))).toBe('stateBucket');
});

test('every construct has a key list', () => {
  for (const shape of [BACKEND_SHAPE, DATABASE_SHAPE, FIREBASE_SHAPE, LOAD_BALANCER_SHAPE, REDIS_SHAPE]) {
    expect(Object.keys(shape).length).toBeGreaterThan(5);
  }
});
