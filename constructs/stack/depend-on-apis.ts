import { ProjectService } from '@cdktf/provider-google/lib/project-service';
import { dependable, IAspect, TerraformResource } from 'cdktf';
import { IConstruct } from 'constructs';

/** Makes every resource wait for the APIs it needs (a fresh project comes up in one deploy). */
export class DependOnApis implements IAspect {
  // Made once per stack, not once per resource: each token cdktf creates records a stack trace.
  private fqns?: string[];

  constructor(private readonly apis: ProjectService[]) {}

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource) || node instanceof ProjectService) return;
    this.fqns ??= this.apis.map((a) => dependable(a));
    node.dependsOn = [...new Set([...(node.dependsOn ?? []), ...this.fqns])];
  }
}
