/**
 * prepare-pass.ts, fast-resolve.ts and token-traces.ts reach into private modules of cdktf
 * 0.21.0 (pinned; the project is archived, so they will not move). Under any other cdktf
 * version each of them stands aside and cdktf runs its own way.
 */
export const CDKTF_INTERNALS_VERSION = '0.21.0';

/** Whether the installed cdktf is the one those modules were written against. */
export function cdktfInternalsPinned(): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('cdktf/package.json') as { version: string }).version === CDKTF_INTERNALS_VERSION;
}
