/** The token-trace speed-up (stacks/token-traces.ts) is in force, reversible, and changes no output. */
import { Intrinsic } from 'cdktf/lib/tokens/private/intrinsic';
import { ENVIRONMENTS } from '../examples/environments/environments';
import { skipTokenTraces, TOKEN_TRACES_HINT } from '../stacks/token-traces';
import { synthEnv } from './support/synth';

test('cdktf token creation traces are a one-line hint unless CDKTF_TOKEN_TRACES is set', () => {
  const stack = new Intrinsic('x').creationStack;
  if (process.env.CDKTF_TOKEN_TRACES) expect(stack.length).toBeGreaterThan(1);
  else expect(stack).toEqual([TOKEN_TRACES_HINT]);
});

test('every example environment synthesizes the same JSON with and without the traces', () => {
  const fast = ENVIRONMENTS.map((env) => synthEnv(env));
  const restore = skipTokenTraces();
  restore(); // the original captureStackTrace, as under CDKTF_TOKEN_TRACES=1
  try {
    expect(new Intrinsic('x').creationStack.length).toBeGreaterThan(1);
    expect(ENVIRONMENTS.map((env) => synthEnv(env))).toEqual(fast);
  } finally {
    skipTokenTraces();
  }
});
