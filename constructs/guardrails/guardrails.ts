import {
  AnnotationMetadataEntryType,
  App,
  IAspect,
  TerraformDataSource,
  TerraformResource,
  TerraformStack,
} from 'cdktf';
import { IConstruct } from 'constructs';
import { withFastResolve } from '../core/fast-resolve';
import { isObject, Json, stripMetadata, SUPPRESSIONS_KEY } from '../core/json';
import { nearest } from '../core/props-shape';
import { printSynthLine } from '../core/synth-warnings';
import { quote } from '../core/validation';

export { SUPPRESSIONS_KEY };
import { GuardrailRule, Severity, SynthesizedResource } from './rule';
import { GUARDRAIL_RULES } from './rules';

export interface GuardrailsProps {
  /** Production environment: every rule at its production severity; otherwise some are warnings or off. */
  readonly production: boolean;
  /**
   * The rules to run.
   * @default GUARDRAIL_RULES (every built-in rule)
   */
  readonly rules?: readonly GuardrailRule[];
  /**
   * Where warnings and suppressions are printed at synth (errors fail the synth with their own message).
   * @default standard error, except under `synthApp`, whose report and summary list them
   */
  readonly log?: (line: string) => void;
}

/** A finding accepted with `Guardrails.suppress`, as listed in the synth summary and the review. */
export interface GuardrailSuppression {
  readonly ruleId: string;
  /** Terraform address of the resource. */
  readonly address: string;
  /** The finding that was suppressed. */
  readonly finding: string;
  readonly reason: string;
  /** Construct path the suppression was made on. */
  readonly on: string;
}

interface SuppressionData {
  readonly ruleId: string;
  readonly reason: string;
}

const SUPPRESSION = 'cdktf-twenty-gcp/guardrails-suppression';

const ANNOTATION = {
  error: AnnotationMetadataEntryType.ERROR,
  warning: AnnotationMetadataEntryType.WARN,
  info: AnnotationMetadataEntryType.INFO,
} as const;

/** One checker per stack, whichever Guardrails was added first. */
const CHECKERS = new WeakMap<TerraformStack, StackChecker>();

/**
 * Checks every resource and data source of a stack against the guardrail rules, once per
 * synth, on the stack's final JSON: after every aspect (also those added after this one),
 * escape-hatch and stack-level override. Errors fail `app.synth()` (`Annotations.addError`),
 * warnings and suppressions are annotated and printed.
 *
 * `Aspects.of(stack).add(new Guardrails({ production: true }))`
 */
export class Guardrails implements IAspect {
  /**
   * Accepts a rule's findings on `scope` and everything below it, for a written reason that
   * shows in the synth output, `Guardrails.suppressionsOf(stack)` and the review. The rule id
   * is checked at synth. In production a suppression must be on a construct below the stack.
   */
  static suppress(scope: IConstruct, ruleId: string, reason: string): void {
    // Reported at synth with every other problem (core/validation.ts), not thrown; a refused
    // suppression accepts nothing.
    const problems: string[] = [];
    if (typeof ruleId !== 'string' || ruleId.trim() === '')
      problems.push(`give a rule id (${GUARDRAIL_RULES.map((r) => r.id).join(', ')}), got ${quote(ruleId)}`);
    if (typeof reason !== 'string' || reason.trim().length < 10)
      problems.push(`give a written reason (10 characters or more), got ${quote(reason)}`);
    if (problems.length) {
      // A plain validation, not registerCheck: a registered subject would also head every
      // guardrail finding below `scope` in the report, though they are not about this call.
      const call = `Guardrails.suppress(${scope.node.path || '(app)'}, ${quote(ruleId)})`;
      scope.node.addValidation({ validate: () => problems.map((p) => `${call}: ${p}`) });
      return;
    }
    scope.node.addMetadata(SUPPRESSION, { ruleId, reason: reason.trim() } satisfies SuppressionData);
  }

  /** The findings suppressed in `stack` at its last synth (empty before a synth or without Guardrails). */
  static suppressionsOf(stack: TerraformStack): readonly GuardrailSuppression[] {
    return CHECKERS.get(stack)?.suppressions ?? [];
  }

  private readonly rules: readonly GuardrailRule[];
  private readonly log: (line: string) => void;

  constructor(private readonly props: GuardrailsProps) {
    this.rules = props.rules ?? GUARDRAIL_RULES;
    this.log = props.log ?? printSynthLine;
  }

  visit(node: IConstruct): void {
    if (node instanceof App) return;
    const stack = TerraformStack.of(node);
    if (!CHECKERS.has(stack)) CHECKERS.set(stack, new StackChecker(stack, this.props.production, this.rules, this.log));
  }
}

/**
 * Runs the rules on `stack.toTerraform()`. `app.synth()` validates each stack after its
 * aspects and writes `toTerraform()` right after: the validation resolves the stack once and
 * hands the same JSON to the write. `Testing.synth` runs no validation; there the check runs on
 * the JSON `toTerraform()` returns.
 */
class StackChecker {
  suppressions: GuardrailSuppression[] = [];
  private pending?: Json;
  /** Annotations already made, so that a second synth does not repeat them. */
  private readonly reported = new Set<string>();
  private readonly original: () => Json;

  constructor(
    private readonly stack: TerraformStack,
    private readonly production: boolean,
    private readonly rules: readonly GuardrailRule[],
    private readonly log: (line: string) => void,
  ) {
    this.original = stack.toTerraform.bind(stack);
    Object.defineProperty(stack, 'toTerraform', {
      configurable: true,
      writable: true,
      value: (): Json => {
        if (this.pending) {
          const json = this.pending;
          this.pending = undefined;
          return json;
        }
        return this.checked();
      },
    });
    stack.node.addValidation({
      validate: () => {
        this.pending = this.checked();
        return [];
      },
    });
  }

  private checked(): Json {
    const json = withFastResolve(this.original);
    this.check(json);
    if (this.suppressions.length) {
      json['//'] = {
        ...(json['//'] ?? {}),
        [SUPPRESSIONS_KEY]: { production: this.production, suppressions: this.suppressions },
      };
    }
    return json;
  }

  private check(json: Json): void {
    const stack = this.stack;
    const constructs = new Map<string, TerraformResource | TerraformDataSource>();
    const allNodes = stack.node.findAll();
    for (const c of allNodes) {
      if (c instanceof TerraformResource)
        constructs.set(`resource.${c.terraformResourceType}.${c.friendlyUniqueId}`, c);
      else if (c instanceof TerraformDataSource)
        constructs.set(`data.${c.terraformResourceType}.${c.friendlyUniqueId}`, c);
    }
    const above = stack.node.scopes.slice(0, -1); // the App (and any scope above the stack)
    for (const node of [...above, ...allNodes]) {
      for (const s of ownSuppressions(node)) {
        if (!this.rules.some((r) => r.id === s.ruleId)) {
          const ids = this.rules.map((r) => r.id);
          const near = nearest(s.ruleId, ids);
          this.annotate(
            node,
            'error',
            `[guardrails] suppression of unknown rule ${quote(s.ruleId)}; ${near ? `did you mean ${quote(near)}?` : `known rules: ${ids.join(', ')}`}`,
          );
        }
        if (this.production && (node === stack || above.includes(node))) {
          const where =
            node === stack
              ? `the stack "${stack.node.id}"`
              : `the ${node instanceof App ? 'App' : `scope "${node.node.path}"`}`;
          this.annotate(
            node,
            'error',
            `[guardrails] suppression of "${s.ruleId}" on ${where} is not allowed in production, where it would silence the rule for every resource; suppress it on the construct that owns the resource`,
          );
        }
      }
    }
    const suppressions: GuardrailSuppression[] = [];
    for (const kind of ['resource', 'data'] as const) {
      const block = json[kind];
      if (!isObject(block)) continue;
      for (const [type, byName] of Object.entries(block)) {
        if (!isObject(byName)) continue;
        for (const [name, raw] of Object.entries(byName)) {
          const construct = constructs.get(`${kind}.${type}.${name}`);
          const resource: SynthesizedResource = {
            type,
            kind,
            address: `${kind === 'data' ? 'data.' : ''}${type}.${name}`,
            config: normalizeBooleans(stripMetadata(raw)),
            construct,
            production: this.production,
          };
          const owner: IConstruct = construct ?? stack;
          for (const rule of this.rules) {
            const severity: Severity | 'off' = this.production ? rule.severity : rule.outsideProduction;
            if (severity === 'off') continue;
            for (const problem of rule.check(resource)) {
              const finding = `[${rule.id}] ${resource.address}: ${problem}`;
              const s = this.findSuppression(owner, rule.id);
              if (s) {
                suppressions.push({ ruleId: rule.id, address: resource.address, finding, reason: s.reason, on: s.on });
                if (this.annotate(owner, 'info', `${finding} (suppressed: ${s.reason})`)) {
                  this.log(`guardrails ${stack.node.id}: suppressed ${finding} — reason: ${s.reason}`);
                }
              } else if (severity === 'error') {
                this.annotate(
                  owner,
                  'error',
                  `${finding}. Why: ${rule.rationale}. To accept it: Guardrails.suppress(construct, '${rule.id}', 'reason').`,
                );
              } else if (this.annotate(owner, 'warning', `${finding}. Why: ${rule.rationale}.`)) {
                this.log(`guardrails ${stack.node.id}: warning ${finding}`);
              }
            }
          }
        }
      }
    }
    this.suppressions = suppressions;
  }

  /** Adds the annotation unless this synth or an earlier one did; true when added. */
  private annotate(node: IConstruct, level: 'error' | 'warning' | 'info', message: string): boolean {
    const key = `${node.node.path}\0${level}\0${message}`;
    if (this.reported.has(key)) return false;
    this.reported.add(key);
    // As Annotations.of(node).add*, without a stack trace: it would point into this file, and it
    // made manifest.json differ between two synths of the same app.
    node.node.addMetadata(ANNOTATION[level], message, { stackTrace: false });
    return true;
  }

  private findSuppression(node: IConstruct, ruleId: string): (SuppressionData & { on: string }) | undefined {
    return suppressionOf(node, ruleId, this.production);
  }
}

/**
 * The suppression of `ruleId` that covers `node`: the nearest on the node or one of its scopes;
 * in production only below the node's stack (one there is refused).
 */
export function suppressionOf(
  node: IConstruct,
  ruleId: string,
  production: boolean,
): (SuppressionData & { on: string }) | undefined {
  const scopes = node.node.scopes;
  const first = production ? scopes.indexOf(TerraformStack.of(node)) + 1 : 0;
  for (const scope of scopes.slice(first).reverse()) {
    const s = ownSuppressions(scope).find((x) => x.ruleId === ruleId);
    if (s) return { ...s, on: scope.node.path || '(app)' };
  }
  return undefined;
}

function ownSuppressions(node: IConstruct): SuppressionData[] {
  return node.node.metadata.filter((m) => m.type === SUPPRESSION).map((m) => m.data as SuppressionData);
}

/** `"true"` / `"false"` as booleans, at every depth: Terraform converts them for a bool argument. */
export function normalizeBooleans(node: Json): Json {
  if (node === 'true') return true;
  if (node === 'false') return false;
  if (Array.isArray(node)) return node.map(normalizeBooleans);
  if (!isObject(node)) return node;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(node)) out[k] = normalizeBooleans(v);
  return out;
}
