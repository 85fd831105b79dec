import {
  Annotations,
  DefaultTokenResolver,
  IAspect,
  StringConcat,
  TerraformDataSource,
  TerraformResource,
  TerraformStack,
  Tokenization,
} from 'cdktf';
import { IConstruct } from 'constructs';
import { Json, stripMetadata } from '../internal/json';
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
   * @default standard error
   */
  readonly log?: (line: string) => void;
}

interface Suppression {
  readonly ruleId: string;
  readonly reason: string;
}

const SUPPRESSION = 'cdktf-twenty-gcp/guardrails-suppression';
const RESOLVER = new DefaultTokenResolver(new StringConcat());

/**
 * Checks every resource of the stack it is added to against the guardrail rules at synth:
 * errors fail `app.synth()` (`Annotations.addError`), warnings and suppressions are annotated
 * and printed. Add it last, after any aspect that changes resources.
 *
 * `Aspects.of(stack).add(new Guardrails({ production: true }))`
 */
export class Guardrails implements IAspect {
  /**
   * Accepts a rule's findings on `scope` and everything below it, for a written reason that
   * shows in the synth output. The rule id is checked at synth.
   */
  static suppress(scope: IConstruct, ruleId: string, reason: string): void {
    if (!ruleId || typeof ruleId !== 'string') throw new Error(`Guardrails.suppress on ${scope.node.path}: give the rule id`);
    if (!reason || reason.trim().length < 10) {
      throw new Error(`Guardrails.suppress(${scope.node.path}, "${ruleId}"): give a written reason (10 characters or more), got ${JSON.stringify(reason)}`);
    }
    scope.node.addMetadata(SUPPRESSION, { ruleId, reason: reason.trim() } satisfies Suppression);
  }

  private readonly rules: readonly GuardrailRule[];
  private readonly log: (line: string) => void;
  private readonly visited = new WeakSet<IConstruct>();

  constructor(private readonly props: GuardrailsProps) {
    this.rules = props.rules ?? GUARDRAIL_RULES;
    this.log = props.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  visit(node: IConstruct): void {
    // Every synth invokes aspects again; report each node once.
    if (this.visited.has(node)) return;
    this.visited.add(node);
    for (const s of ownSuppressions(node)) {
      if (!this.rules.some((r) => r.id === s.ruleId)) {
        Annotations.of(node).addError(`[guardrails] suppression of unknown rule "${s.ruleId}"; known rules: ${this.rules.map((r) => r.id).join(', ')}`);
      }
    }
    const resource = synthesized(node);
    if (!resource) return;
    const stack = TerraformStack.of(node).node.id;
    for (const rule of this.rules) {
      const severity: Severity | 'off' = this.props.production ? rule.severity : rule.outsideProduction;
      if (severity === 'off') continue;
      for (const problem of rule.check(resource)) {
        const finding = `[${rule.id}] ${resource.address}: ${problem}`;
        const suppression = findSuppression(node, rule.id);
        if (suppression) {
          Annotations.of(node).addInfo(`${finding} (suppressed: ${suppression.reason})`);
          this.log(`guardrails ${stack}: suppressed ${finding} — reason: ${suppression.reason}`);
        } else if (severity === 'error') {
          Annotations.of(node).addError(`${finding}. Why: ${rule.rationale}. To accept it: Guardrails.suppress(construct, '${rule.id}', 'reason').`);
        } else {
          Annotations.of(node).addWarning(`${finding}. Why: ${rule.rationale}.`);
          this.log(`guardrails ${stack}: warning ${finding}`);
        }
      }
    }
  }
}

/** The resource or data source as it will be synthesized, or undefined for other constructs. */
function synthesized(node: IConstruct): SynthesizedResource | undefined {
  const isResource = node instanceof TerraformResource;
  if (!isResource && !(node instanceof TerraformDataSource)) return undefined;
  const element = node as TerraformResource | TerraformDataSource;
  const kind = isResource ? 'resource' : 'data';
  const type = element.terraformResourceType;
  let config: Json;
  try {
    const fragment = Tokenization.resolve(element.toTerraform(), { scope: TerraformStack.of(node), resolver: RESOLVER, preparing: false });
    config = fragment?.[kind]?.[type]?.[element.friendlyUniqueId];
  } catch (e) {
    Annotations.of(node).addWarning(`[guardrails] could not read the synthesized config, so no rule checked it: ${(e as Error).message}`);
    return undefined;
  }
  if (!config) return undefined; // moved away: no block of its own
  const address = `${kind === 'data' ? 'data.' : ''}${type}.${element.friendlyUniqueId}`;
  return { type, address, kind, config: stripMetadata(config), construct: element };
}

function ownSuppressions(node: IConstruct): Suppression[] {
  return node.node.metadata.filter((m) => m.type === SUPPRESSION).map((m) => m.data as Suppression);
}

/** The nearest suppression of `ruleId` on the node or one of its scopes. */
function findSuppression(node: IConstruct, ruleId: string): Suppression | undefined {
  for (const scope of [...node.node.scopes].reverse()) {
    const s = ownSuppressions(scope).find((x) => x.ruleId === ruleId);
    if (s) return s;
  }
  return undefined;
}
