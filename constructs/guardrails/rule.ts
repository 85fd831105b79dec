import { TerraformDataSource, TerraformResource } from 'cdktf';
import { Json } from '../internal/json';

export type Severity = 'error' | 'warning';

/** One resource or data source as it will be written to `cdk.tf.json`. */
export interface SynthesizedResource {
  /** Terraform type, e.g. `google_sql_database_instance`. */
  readonly type: string;
  /** Terraform address, e.g. `google_sql_database_instance.database_Instance_1B6129A2`. */
  readonly address: string;
  readonly kind: 'resource' | 'data';
  /** The synthesized config (snake_case, references as `${...}`, no `//` metadata). */
  readonly config: Json;
  readonly construct: TerraformResource | TerraformDataSource;
}

/** A check run on every resource of a stack at synth. */
export interface GuardrailRule {
  /** Stable id, used in messages and suppressions. */
  readonly id: string;
  /** One line: why the rule exists. */
  readonly rationale: string;
  /** Severity in production environments. */
  readonly severity: Severity;
  /** Severity elsewhere; `'off'` for rules that only matter in production. */
  readonly outsideProduction: Severity | 'off';
  /** The problems of one resource, each naming the value found and what is allowed; empty when compliant or unknown at synth. */
  check(resource: SynthesizedResource): readonly string[];
}

/** A Cloud SQL instance that is not a read replica (replicas take no backups and follow their primary). */
export function isPrimarySqlInstance({ type, config }: SynthesizedResource): boolean {
  return type === 'google_sql_database_instance' && !config.master_instance_name;
}
