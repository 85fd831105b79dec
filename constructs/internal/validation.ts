import { Token } from 'cdktf';
import { IConstruct } from 'constructs';

/** Collects every problem of one construct so that synth reports them all at once. */
export class Problems {
  private readonly items: string[] = [];

  constructor(private readonly subject: string) {}

  add(message: string): void {
    this.items.push(`${this.subject}: ${message}`);
  }

  /** Runs `check` only when `value` is known at synth time (not a token). */
  whenKnown<T>(value: T | undefined, check: (v: T) => string | undefined): void {
    if (value === undefined || isUnresolved(value)) return;
    const message = check(value);
    if (message) this.add(message);
  }

  get messages(): readonly string[] {
    return this.items;
  }
}

export function isUnresolved(value: unknown): boolean {
  if (typeof value === 'string' || typeof value === 'number') return Token.isUnresolved(value);
  if (Array.isArray(value)) return value.some(isUnresolved) || Token.isUnresolved(value);
  return value !== null && typeof value === 'object' && Token.isUnresolved(value);
}

/**
 * Validates eagerly and also registers the problems as a node validation.
 *
 * Throwing in the constructor means wrong input never reaches `cdktf deploy`
 * and no resource is created; the validation keeps `app.synth()` and
 * `Testing.synth(stack, true)` honest if a caller catches the error.
 */
export function reportProblems(scope: IConstruct, problems: Problems): void {
  const messages = [...problems.messages];
  scope.node.addValidation({ validate: () => messages });
  if (messages.length > 0) throw new ValidationError(messages);
}

export class ValidationError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ValidationError';
  }
}

export function quote(value: unknown): string {
  return JSON.stringify(value);
}
