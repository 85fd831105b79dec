/** The jest-only speed-up of __tests__/support/token-traces.ts is in force and reversible. */
import { Intrinsic } from 'cdktf/lib/tokens/private/intrinsic';

test('cdktf token creation traces are off under jest unless CDKTF_TOKEN_TRACES is set', () => {
  const expected = process.env.CDKTF_TOKEN_TRACES ? expect.arrayContaining([expect.any(String)]) : [];
  expect(new Intrinsic('x').creationStack).toEqual(expected);
});
