/**
 * cdktf records a full stack trace for every token it creates, used only in its own error
 * messages. Under jest, source-map-support maps every frame of each through the inline source
 * maps of cdktf and the providers: 1.5 s of the 1.7 s it took to build eight stacks (profiled
 * with node --cpu-prof). Synthesized output does not depend on these traces.
 * Run with CDKTF_TOKEN_TRACES=1 to keep them when debugging a token error.
 */
if (!process.env.CDKTF_TOKEN_TRACES) {
  jest.mock('cdktf/lib/tokens/private/stack-trace', () => ({ captureStackTrace: (): string[] => [] }));
}

export {};
