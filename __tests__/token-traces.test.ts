/** The token-trace speed-up (constructs/core/token-traces.ts) is in force, reversible, and changes no output. */
import { Intrinsic } from 'cdktf/lib/tokens/private/intrinsic';
import { ENVIRONMENTS } from '../examples/environments/environments';
import { pauseTokenTraces, skipTokenTraces, TOKEN_TRACES_HINT } from '../constructs/core/token-traces';
import { TwentyBootstrapStack } from '../constructs/bootstrap/twenty-bootstrap-stack';
import { synthApp } from '../constructs/stack/synth-app';
import { TwentyStack } from '../constructs/stack/twenty-stack';
import { bootstrapFor } from '../examples/environments/bootstrap';
import { synthEnv, testApp } from './support/synth';

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

describe('the package pauses the traces only while it builds and synthesizes (pauseTokenTraces)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const traces: { captureStackTrace: (below?: unknown) => string[] } = require('cdktf/lib/tokens/private/stack-trace');

  /** Runs `fn` with cdktf's own traces in force (as in a consumer's app), counting the traces taken. */
  function asConsumer(fn: (taken: () => number) => void): void {
    const restore = skipTokenTraces();
    restore();
    const cdktf = traces.captureStackTrace;
    let count = 0;
    traces.captureStackTrace = (below?: unknown) => (count++, cdktf(below));
    try {
      fn(() => count);
    } finally {
      traces.captureStackTrace = cdktf;
      skipTokenTraces();
    }
  }

  test('building a TwentyStack and synthesizing it take no trace; tokens the consumer makes keep theirs', () => {
    asConsumer((taken) => {
      const app = testApp();
      new Intrinsic('mine');
      expect(taken()).toBe(1);
      new TwentyStack(app, ENVIRONMENTS[0]);
      new TwentyBootstrapStack(app, 'twenty-bootstrap', bootstrapFor(ENVIRONMENTS));
      const quiet = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      try {
        synthApp(app, { out: () => undefined, err: () => undefined });
      } finally {
        quiet.mockRestore();
      }
      expect(taken()).toBe(1);
      expect(new Intrinsic('after').creationStack.length).toBeGreaterThan(1);
      expect(taken()).toBe(2);
    });
  });

  test('a constructor that throws resumes the traces', () => {
    asConsumer((taken) => {
      const config = {
        ...ENVIRONMENTS[0],
        get labels(): Record<string, string> {
          throw new Error('boom');
        },
      };
      expect(() => new TwentyStack(testApp(), config)).toThrow('boom');
      new Intrinsic('x');
      expect(taken()).toBe(1);
    });
  });

  test('pauses nest, and CDKTF_TOKEN_TRACES=1 keeps every trace', () => {
    asConsumer(() => {
      const outer = pauseTokenTraces();
      const inner = pauseTokenTraces();
      expect(new Intrinsic('x').creationStack).toEqual([TOKEN_TRACES_HINT]);
      inner();
      expect(new Intrinsic('x').creationStack).toEqual([TOKEN_TRACES_HINT]);
      outer();
      expect(new Intrinsic('x').creationStack.length).toBeGreaterThan(1);
      process.env.CDKTF_TOKEN_TRACES = '1';
      try {
        const resume = pauseTokenTraces();
        expect(new Intrinsic('x').creationStack.length).toBeGreaterThan(1);
        resume();
      } finally {
        delete process.env.CDKTF_TOKEN_TRACES;
      }
    });
  });
});
