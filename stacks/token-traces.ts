/**
 * cdktf records a full stack trace whenever it creates a token (about 400 per environment), only
 * to print it in its own token errors. That was a quarter of the synth time per environment,
 * and under jest, where source-map-support maps every frame, most of a test's time. The
 * synthesized JSON does not depend on it (a test compares both ways).
 * Set CDKTF_TOKEN_TRACES=1 to keep the traces when debugging a token error.
 */
export const TOKEN_TRACES_HINT = 'token creation stack not recorded; run with CDKTF_TOKEN_TRACES=1 to record it';

interface StackTraceModule {
  captureStackTrace: (below?: unknown) => string[];
}

/**
 * Replaces cdktf's token creation traces with a one-line hint, unless CDKTF_TOKEN_TRACES is set.
 * For this project's app and tests only; the published constructs never call it. Returns a
 * function that puts the original back.
 */
export function skipTokenTraces(): () => void {
  // A private module of cdktf 0.21.0 (pinned; the project is archived, so it will not move).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const traces: StackTraceModule = require('cdktf/lib/tokens/private/stack-trace');
  const original = (cdktfCapture ??= traces.captureStackTrace);
  if (!process.env.CDKTF_TOKEN_TRACES) traces.captureStackTrace = () => [TOKEN_TRACES_HINT];
  return () => {
    traces.captureStackTrace = original;
  };
}

/** cdktf's own function, kept from the first call so that a later call's restore still finds it. */
let cdktfCapture: StackTraceModule['captureStackTrace'] | undefined;
