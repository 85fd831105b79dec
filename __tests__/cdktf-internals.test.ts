/** Under a cdktf other than 0.21.0, the three shortcuts into its private modules stand aside. */

type Core = {
  internals: typeof import('../constructs/core/cdktf-internals');
  fast: typeof import('../constructs/core/fast-resolve');
  traces: typeof import('../constructs/core/token-traces');
  prepare: typeof import('../constructs/core/prepare-pass');
};

/** Runs `check` on fresh copies of the modules, with cdktf's package.json saying `version`. */
function withCdktfVersion(version: string | undefined, check: (core: Core) => void): void {
  jest.isolateModules(() => {
    if (version !== undefined) jest.doMock('cdktf/package.json', () => ({ version }));
    try {
      /* eslint-disable @typescript-eslint/no-require-imports */
      check({
        internals: require('../constructs/core/cdktf-internals'),
        fast: require('../constructs/core/fast-resolve'),
        traces: require('../constructs/core/token-traces'),
        prepare: require('../constructs/core/prepare-pass'),
      });
      /* eslint-enable @typescript-eslint/no-require-imports */
    } finally {
      jest.dontMock('cdktf/package.json');
    }
  });
}

test('cdktf 0.21.0 (installed): every shortcut is available', () => {
  withCdktfVersion(undefined, (core) => {
    expect(core.internals.cdktfInternalsPinned()).toBe(true);
    expect(core.fast.fastResolveUsable()).toBe(true);
    expect(core.prepare.preparePassSkippable()).toBe(true);
  });
});

test('another cdktf: no fast resolve, no paused traces, the preparing pass always runs', () => {
  withCdktfVersion('0.22.0', (core) => {
    expect(core.internals.cdktfInternalsPinned()).toBe(false);
    expect(core.fast.fastResolveUsable()).toBe(false);
    expect(core.prepare.preparePassSkippable()).toBe(false);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const stackTrace: { captureStackTrace: unknown } = require('cdktf/lib/tokens/private/stack-trace');
    const before = stackTrace.captureStackTrace;
    const resume = core.traces.pauseTokenTraces();
    expect(stackTrace.captureStackTrace).toBe(before);
    resume();
    expect(stackTrace.captureStackTrace).toBe(before);
  });
});
