import { Annotations } from 'cdktf';
import { IConstruct } from 'constructs';

export type WarningPrinter = (line: string) => void;

const printed = new Set<string>();
let printer: WarningPrinter | undefined = (line) => process.stderr.write(`${line}\n`);

/**
 * A warning the user must see on every synth path. Annotations stay the source (the
 * manifest, tests and any app-level report read them); since a plain `app.synth()` prints
 * no annotation, the warning is also printed to stderr, once per process, when the
 * construct is validated at synth.
 */
export function addSynthWarning(scope: IConstruct, message: string): void {
  Annotations.of(scope).addWarning(message);
  const line = `Warning: ${scope.node.path}: ${message}`;
  scope.node.addValidation({
    validate: () => {
      if (printer && !printed.has(line)) {
        printed.add(line);
        printer(line);
      }
      return [];
    },
  });
}

/**
 * Prints a synth-time line (a guardrail warning or suppression) through the same printer:
 * to stderr for a plain `app.synth()`, silent while `synthApp` prints its own report.
 */
export function printSynthLine(line: string): void {
  printer?.(line);
}

/**
 * Where synth warnings are printed; `undefined` stops printing (for an app-level reporter
 * that prints the annotations itself). Returns the previous printer.
 */
export function setSynthWarningPrinter(next: WarningPrinter | undefined): WarningPrinter | undefined {
  const previous = printer;
  printer = next;
  return previous;
}
