import { cdktfInternalsPinned } from './cdktf-internals';

/**
 * cdktf records a full stack trace whenever it creates a token (about 500 per environment), only
 * to print it in its own token errors. That was a third of the time to build an environment,
 * and under jest, where source-map-support maps every frame, most of a test's time. The
 * synthesized JSON does not depend on it (a test compares both ways).
 *
 * TwentyStack and TwentyBootstrapStack pause the traces while they build their own constructs
 * (`pauseTokenTraces`); tokens created anywhere else keep cdktf's traces. Set
 * CDKTF_TOKEN_TRACES=1 to keep them everywhere when debugging a token error. This replaces a
 * function of a private module of cdktf 0.21.0 (pinned; the project is archived); under any
 * other cdktf version nothing is paused.
 */
export const TOKEN_TRACES_HINT = 'token creation stack not recorded; run with CDKTF_TOKEN_TRACES=1 to record it';

interface StackTraceModule {
  captureStackTrace: (below?: unknown) => string[];
}

const hint = (): string[] => [TOKEN_TRACES_HINT];

/**
 * Replaces cdktf's token creation traces with a one-line hint until the returned function is
 * called, which puts back whatever was there before (so pauses nest).
 */
export function pauseTokenTraces(): () => void {
  if (process.env.CDKTF_TOKEN_TRACES || !cdktfInternalsPinned()) return () => undefined;
  const traces = stackTraceModule();
  const before = traces.captureStackTrace;
  traces.captureStackTrace = hint;
  return () => {
    traces.captureStackTrace = before;
  };
}

/**
 * The same for the whole process: for this repository's app and tests, which build every token
 * through the package anyway. Returns a function that puts cdktf's own function back.
 */
export function skipTokenTraces(): () => void {
  if (!cdktfInternalsPinned()) return () => undefined;
  const traces = stackTraceModule();
  const original = (cdktfCapture ??= traces.captureStackTrace);
  if (!process.env.CDKTF_TOKEN_TRACES) traces.captureStackTrace = hint;
  return () => {
    traces.captureStackTrace = original;
  };
}

/** cdktf's own function, kept from the first call so that a later call's restore still finds it. */
let cdktfCapture: StackTraceModule['captureStackTrace'] | undefined;

function stackTraceModule(): StackTraceModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('cdktf/lib/tokens/private/stack-trace');
}
