import { IConstruct } from 'constructs';

/**
 * Drops the `terraform version` check cdktf's `DataResource` (terraform_data) adds as a node
 * validation. It runs `terraform version` in a child process at every synth, once per
 * resource (about 50 ms each: most of an environment's synth time), and fails the synth on a
 * machine without Terraform, where synth needs none. Every stack of this library sets
 * `required_version >= 1.11.0`, which Terraform itself enforces at init and plan.
 */
export function skipTerraformVersionCheck(resource: IConstruct): void {
  // constructs 10.x keeps a node's validations in `_validations`; the check is cdktf 0.21.0's
  // ValidateTerraformVersion (lib/validations/validate-terraform-version.js).
  const validations = (resource.node as unknown as { _validations?: object[] })._validations;
  if (!Array.isArray(validations)) return;
  for (let i = validations.length - 1; i >= 0; i--) {
    if (validations[i].constructor.name === 'ValidateTerraformVersion') validations.splice(i, 1);
  }
}
