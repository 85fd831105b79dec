/**
 * The image contract: what each supported Twenty release line's image contains and runs,
 * recorded from Twenty's source with the commit or PR behind each fact
 * (twenty-contract/contract.json). The migration job is built from it.
 */
import contract from './contract/contract.json';

export interface YarnScript {
  /** What the script runs, in order. */
  readonly runs: readonly string[];
  /** Arguments the script (or the program it runs) accepts after its name. */
  readonly args?: readonly string[];
  /** Nest commands of `command:prod`, with the arguments each accepts. */
  readonly commands?: Readonly<Record<string, { readonly args: readonly string[] }>>;
  readonly source: readonly string[];
}

export interface EntrypointStep {
  readonly name: string;
  readonly skipWhen?: Readonly<Record<string, string>>;
  readonly runs: readonly string[];
  readonly onFailure?: string;
  readonly source: readonly string[];
}

export interface ImageContract {
  /** `v2.45`: the release line. */
  readonly line: string;
  /** Releases the facts are recorded for: `from` <= tag < `below`. */
  readonly releases: { readonly from: string; readonly below: string };
  readonly nearness: string;
  readonly workdir: string;
  readonly programs: {
    readonly has: readonly string[];
    readonly lacks: readonly string[];
    readonly source: readonly string[];
  };
  readonly yarnScripts: Readonly<Record<string, YarnScript>>;
  readonly entrypoint: { readonly path: string; readonly steps: readonly EntrypointStep[] };
  readonly commandsExitNonZeroOnError: { readonly value: boolean; readonly source: readonly string[] };
  readonly database: {
    readonly emptyWhen: string;
    readonly initFinishedWhen: string;
    /** `schema.table` whose first row proves a finished init. */
    readonly markerTable: string;
    readonly historyTable: string;
    readonly initIsResumable: string;
    readonly source: readonly string[];
  };
  readonly timeouts: Readonly<Record<string, unknown>> & {
    readonly PG_DATABASE_PRIMARY_TIMEOUT_MS: {
      readonly default: number;
      readonly unit: string;
      readonly meaning: string;
    };
  };
  /** `command:prod upgrade` logs per-workspace failures and still exits 0. */
  readonly upgradeWorkspaceFailures?: {
    readonly exitStatus: number;
    readonly logLine: string;
    /** Text of that log line the job looks for. */
    readonly match: string;
    readonly source: readonly string[];
  };
  readonly crons: {
    readonly register: string;
    readonly idempotent: boolean;
    readonly why: string;
    readonly source: readonly string[];
  };
}

/** Oldest line first. */
export const IMAGE_CONTRACTS: readonly ImageContract[] = contract.lines as readonly ImageContract[];
