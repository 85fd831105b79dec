import { Token } from 'cdktf';
import { IConstruct } from 'constructs';

/** Collects every problem of one construct so that synth reports them all at once. */
export class Problems {
  private readonly items: string[] = [];

  constructor(public readonly subject: string) {}

  add(message: string): void {
    if (!this.items.includes(message)) this.items.push(message);
  }

  /** Runs `check` only when `value` is known at synth time (not a token). */
  whenKnown<T>(value: T | undefined, check: (v: T) => string | readonly string[] | undefined): void {
    if (value === undefined || isUnresolved(value)) return;
    const found = check(value);
    for (const message of typeof found === 'string' ? [found] : (found ?? [])) this.add(message);
  }

  /** Each problem as `<subject>: <problem>`. */
  get messages(): readonly string[] {
    return this.items.map((m) => `${this.subject}: ${m}`);
  }

  /** Each problem without the subject. */
  get bodies(): readonly string[] {
    return this.items;
  }
}

export function isUnresolved(value: unknown): boolean {
  if (typeof value === 'string' || typeof value === 'number') return Token.isUnresolved(value);
  if (Array.isArray(value)) return value.some(isUnresolved) || Token.isUnresolved(value);
  return value !== null && typeof value === 'object' && Token.isUnresolved(value);
}

interface Registered {
  readonly subject: string;
  readonly bodies: () => readonly string[];
}

/** The problems registered on each construct, for the app's report (`synthApp`). */
const REGISTERED = new WeakMap<IConstruct, Registered[]>();

/**
 * Registers the problems as a node validation. Construction goes on (with safe fallbacks)
 * so that one synth finds every problem of the whole app; `synthApp` prints them in one
 * report, and `app.synth()` / `Testing.synth(stack, true)` still refuse them.
 */
export function reportProblems(scope: IConstruct, problems: Problems): void {
  registerCheck(scope, problems.subject, () => problems.bodies);
}

/** Registers a check that runs at synth (when the whole tree exists), reported like `reportProblems`. */
export function registerCheck(scope: IConstruct, subject: string, check: () => readonly string[]): void {
  const registered = REGISTERED.get(scope) ?? [];
  registered.push({ subject, bodies: check });
  REGISTERED.set(scope, registered);
  scope.node.addValidation({ validate: () => check().map((m) => `${subject}: ${m}`) });
}

/** The problems registered on `scope`, by subject. */
export function registeredProblems(scope: IConstruct): { subject: string; messages: readonly string[] }[] {
  return (REGISTERED.get(scope) ?? []).map((r) => ({ subject: r.subject, messages: r.bodies() }));
}

/** Kept for callers that throw the problems of a config themselves. */
export class ValidationError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ValidationError';
  }
}

export function quote(value: unknown): string {
  return JSON.stringify(value);
}
