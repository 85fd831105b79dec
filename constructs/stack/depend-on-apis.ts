import { ProjectService } from '@cdktf/provider-google/lib/project-service';
import { IAspect, TerraformResource } from 'cdktf';
import { IConstruct } from 'constructs';

/** Makes every resource wait for the APIs it needs (a fresh project comes up in one deploy). */
export class DependOnApis implements IAspect {
  // The addresses as plain strings, made once per stack: `dependable(api)` tokens resolve to the
  // same text, but every resource's list (~11 APIs, 800 entries per environment) went through
  // cdktf's token resolver one by one. The APIs are in this stack, so no cross-stack reference is
  // lost; their logical ids are read here, at synth, after the app's own code has run.
  private fqns?: string[];

  constructor(private readonly apis: ProjectService[]) {}

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource) || node instanceof ProjectService) return;
    this.fqns ??= this.apis.map((a) => `${a.terraformResourceType}.${a.friendlyUniqueId}`);
    node.dependsOn = [...new Set([...(node.dependsOn ?? []), ...this.fqns])];
  }
}
