/**
 * constructs/core/fast-resolve.ts returns what cdktf's own resolver returns (the reference is
 * cdktf's `resolve`, run on the same input), thrown errors included: on every element of every
 * example stack, on whole stacks, and on inputs with a token in every place one can hide. A
 * deliberately careless fast path fails the same comparison (negative control).
 */
import { Aspects, dependable, TerraformDataSource, TerraformResource, Testing } from 'cdktf';
import { Fn, Lazy, TerraformStack, TerraformVariable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { fastResolve, fastResolveUsable, withFastResolve } from '../constructs/core/fast-resolve';
import { Guardrails } from '../constructs/guardrails';
import { TwentyBootstrapStack } from '../constructs/bootstrap/twenty-bootstrap-stack';
import { TwentyStack } from '../constructs/stack/twenty-stack';
import { bootstrapFor } from '../examples/environments/bootstrap';
import { ENVIRONMENTS } from '../examples/environments/environments';
import { testApp } from './support/synth';

type Resolver = (scope: Construct, obj: unknown, preparing?: boolean) => unknown;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tokensEntry: { resolve: Resolver } = require('cdktf/lib/_tokens');
const cdktfResolve = tokensEntry.resolve;

/** The JSON text of a result, or the error message it threw, to compare byte for byte. */
function outcome(resolver: Resolver, scope: Construct, make: () => unknown, preparing = false): string {
  try {
    return `ok ${JSON.stringify(resolver(scope, make(), preparing))}`;
  } catch (e) {
    return `threw ${(e as Error).message}`;
  }
}

/** Names of the cases whose outcome under `resolver` differs from cdktf's. */
function mismatches(resolver: Resolver, scope: Construct, cases: Record<string, () => unknown>): string[] {
  return Object.entries(cases)
    .filter(([, make]) =>
      [false, true].some(
        (preparing) => outcome(resolver, scope, make, preparing) !== outcome(cdktfResolve, scope, make, preparing),
      ),
    )
    .map(([name]) => name);
}

function exampleStacks(): TerraformStack[] {
  const app = testApp();
  const stacks: TerraformStack[] = ENVIRONMENTS.map((env) => new TwentyStack(app, env));
  stacks.push(new TwentyBootstrapStack(app, 'twenty-bootstrap', bootstrapFor(ENVIRONMENTS)));
  return stacks;
}

/** A stack with one resource whose attributes are tokens of every kind. */
function hostile(): { stack: TerraformStack; cases: Record<string, () => unknown> } {
  const stack = new TerraformStack(testApp(), 'hostile');
  const thing = new TerraformResource(stack, 'thing', { terraformResourceType: 'null_resource' });
  const variable = new TerraformVariable(stack, 'v', { type: 'string' });
  const id = thing.getStringAttribute('id');
  const list = thing.getListAttribute('ids');
  const num = thing.getNumberAttribute('n');
  const map = thing.getStringMapAttribute('m');
  const numberList = thing.getNumberListAttribute('ns');
  // Plain tokens, resolved by the fast path itself: references and dependable() of this stack.
  const other = new TerraformResource(stack, 'other', { terraformResourceType: 'null_resource' });
  const numberLike = new TerraformResource(stack, 'numbery', { terraformResourceType: 'null_resource' });
  numberLike.overrideLogicalId('x1e5');
  const data = new TerraformDataSource(stack, 'd', { terraformResourceType: 'null_data_source' });
  const elsewhere = new TerraformResource(new TerraformStack(stack.node.scope as Construct, 'elsewhere'), 'far', {
    terraformResourceType: 'null_resource',
  });
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  let deep: unknown = 'bottom';
  for (let i = 0; i < 250; i++) deep = { d: deep };
  const cases: Record<string, () => unknown> = {
    'plain values': () => ({ a: 'x', b: 1, c: true, d: null, e: [1, 'two', false, null], f: { g: { h: [] } }, i: {} }),
    'undefined in objects and arrays': () => ({ a: undefined, b: [1, undefined, 2], c: { d: undefined } }),
    'string token alone and inside text': () => ({ a: id, b: `prefix-${id}-suffix`, c: [`${id}`, 'x'] }),
    'Terraform escapes beside tokens': () => ({
      a: '${var.not_a_token}',
      b: `$\${literal} ${id} %{if x}`,
      c: 'a } b ${ c',
    }),
    'numbers written in strings': () => ({ a: '1e5', b: 'v3.5e+2', c: '-1e-3 and 2E4', d: 'release-e2e' }),
    'number token and literal numbers': () => ({ a: num, b: -1.5e300, c: 0, d: Number.MAX_SAFE_INTEGER, e: [num, 3] }),
    'number token inside text': () => ({ a: `${Token.asString(num)} items` }),
    'list token as a list and inside an array': () => ({ a: list, b: [list[0], 'x'], c: Fn.concat([list, ['y']]) }),
    'list token in a scalar string (refused)': () => ({ a: `${list[0]}` }),
    'number list token': () => ({ a: numberList, b: [numberList[0], 2] }),
    'map token as a value': () => ({ a: map, b: { inner: map } }),
    'map token as a key': () => ({ ...map, extra: 'x' }),
    'map token value in scalar context (refused)': () => ({ a: Token.STRING_MAP_TOKEN_VALUE }),
    'number map token value (refused)': () => ({ a: Token.NUMBER_MAP_TOKEN_VALUE }),
    'token in a key': () => ({ [id]: 'value', plain: 'x' }),
    'lazy value holding undefined and tokens': () => ({
      a: Lazy.anyValue({ produce: () => ({ x: [1, undefined, id], y: undefined }) }),
    }),
    'functions of references': () => ({ a: Fn.join(',', [id, variable.stringValue]), b: Fn.lookup(map, 'k', 'd') }),
    'references to this stack, alone, in text and as array items': () => ({
      a: other.getStringAttribute('id'),
      b: [other.getStringAttribute('id'), 'x', variable.stringValue],
      c: `x-${other.getStringAttribute('id')}`,
      d: variable.stringValue,
    }),
    'dependable() of resources of this stack, alone and in depends_on': () => ({
      a: dependable(other),
      depends_on: [dependable(thing), 'null_resource.plain', dependable(other)],
    }),
    'dependable() and references in another stack (cross-stack when preparing)': () => ({
      depends_on: [dependable(other), dependable(elsewhere)],
      a: elsewhere.getStringAttribute('id'),
      b: [elsewhere.getStringAttribute('id')],
    }),
    'dependable() of a data source': () => ({ depends_on: [dependable(data)] }),
    'a logical id that looks like a number': () => ({
      a: numberLike.getStringAttribute('id'),
      depends_on: [dependable(numberLike)],
    }),
    'a Date': () => ({ when: new Date(0) }),
    'a function (refused)': () => ({ f: () => 1 }),
    'a construct (refused)': () => ({ c: thing }),
    'a cycle (refused)': () => ({ c: cyclic }),
    'nesting past 200 levels (refused)': () => ({ deep }),
  };
  return { stack, cases };
}

test('every element of every example stack resolves to the same JSON as with cdktf', () => {
  for (const stack of exampleStacks()) {
    const elements = stack.node
      .findAll()
      .filter((c) => typeof (c as { toTerraform?: unknown }).toTerraform === 'function');
    const cases = Object.fromEntries(
      elements
        .filter((e) => e !== stack)
        .map((e) => [e.node.path, () => (e as unknown as { toTerraform(): unknown }).toTerraform()]),
    );
    expect(Object.keys(cases).length).toBeGreaterThan(20);
    expect(mismatches(fastResolve, stack, cases)).toEqual([]);
  }
});

test('whole stacks: toTerraform() is byte for byte the same with and without the fast path', () => {
  for (const stack of exampleStacks()) {
    const full = JSON.stringify(stack.toTerraform());
    expect(JSON.stringify(withFastResolve(() => stack.toTerraform()))).toBe(full);
  }
});

test('hostile inputs: the same result or the same error as cdktf, preparing or not', () => {
  const { stack, cases } = hostile();
  expect(mismatches(fastResolve, stack, cases)).toEqual([]);
  // The cases reach the resolver's refusals, not only its happy path.
  expect(outcome(cdktfResolve, stack, cases['a cycle (refused)'])).toMatch(/^threw /);
  expect(outcome(cdktfResolve, stack, cases['list token in a scalar string (refused)'])).toMatch(/^threw /);
});

test('the plain-token cases tell a right resolution from a near miss', () => {
  const { stack, cases } = hostile();
  // What cdktf gives: braces around a reference, none around a dependable() address.
  expect(outcome(cdktfResolve, stack, cases['references to this stack, alone, in text and as array items'])).toBe(
    'ok {"a":"${null_resource.other.id}","b":["${null_resource.other.id}","x","${var.v}"],"c":"x-${null_resource.other.id}","d":"${var.v}"}',
  );
  expect(outcome(cdktfResolve, stack, cases['dependable() of resources of this stack, alone and in depends_on'])).toBe(
    'ok {"a":"null_resource.other","depends_on":["null_resource.thing","null_resource.plain","null_resource.other"]}',
  );
  // Preparing, another stack's resource becomes a cross-stack reference, not its own address: a
  // fast path that skipped the stack check would write `null_resource.far` there.
  const crossStack = outcome(
    cdktfResolve,
    stack,
    cases['dependable() and references in another stack (cross-stack when preparing)'],
    true,
  );
  expect(crossStack).toContain('"null_resource.other"');
  expect(crossStack).not.toContain('null_resource.far');
});

test('negative control: a fast path that copies token-free-looking values blindly is caught', () => {
  const { stack, cases } = hostile();
  // Careless: treats only `${TfToken[` strings and resolve() objects as tokens.
  const careless: Resolver = (scope, obj, preparing) => {
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return v.includes('${TfToken[') ? cdktfResolve(scope, v, preparing) : v;
      if (Array.isArray(v)) return v.map(walk).filter((x) => x !== undefined);
      if (v && typeof v === 'object' && typeof (v as { resolve?: unknown }).resolve !== 'function') {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = walk(x);
        return out;
      }
      return v === undefined ? v : cdktfResolve(scope, v, preparing);
    };
    return walk(obj);
  };
  expect(mismatches(careless, stack, cases)).toEqual(
    expect.arrayContaining(['list token as a list and inside an array', 'map token as a key', 'a cycle (refused)']),
  );
});

test('withFastResolve puts cdktf back after the call, also when the call throws', () => {
  expect(withFastResolve(() => tokensEntry.resolve)).not.toBe(cdktfResolve);
  expect(tokensEntry.resolve).toBe(cdktfResolve);
  expect(() =>
    withFastResolve(() => {
      throw new Error('boom');
    }),
  ).toThrow('boom');
  expect(tokensEntry.resolve).toBe(cdktfResolve);
});

test('CDKTF_FULL_RESOLVE=1 keeps cdktf resolving everything', () => {
  const before = process.env.CDKTF_FULL_RESOLVE;
  process.env.CDKTF_FULL_RESOLVE = '1';
  try {
    expect(fastResolveUsable()).toBe(false);
    expect(withFastResolve(() => tokensEntry.resolve)).toBe(cdktfResolve);
  } finally {
    if (before === undefined) delete process.env.CDKTF_FULL_RESOLVE;
    else process.env.CDKTF_FULL_RESOLVE = before;
  }
  expect(fastResolveUsable()).toBe(true);
});

test('a synth of a stack with Guardrails resolves through the fast path', () => {
  const stack = new TerraformStack(testApp(), 'guarded');
  Aspects.of(stack).add(new Guardrails({ production: false, log: () => undefined }));
  const seen: unknown[] = [];
  const thing = new TerraformResource(stack, 'thing', { terraformResourceType: 'null_resource' });
  thing.addOverride('triggers', { when: Lazy.stringValue({ produce: () => (seen.push(tokensEntry.resolve), 'now') }) });
  expect(JSON.parse(Testing.synth(stack)).resource.null_resource.thing.triggers).toEqual({ when: 'now' });
  expect(seen.length).toBeGreaterThan(0);
  expect(seen.every((r) => r !== cdktfResolve)).toBe(true);
  expect(tokensEntry.resolve).toBe(cdktfResolve);
});
