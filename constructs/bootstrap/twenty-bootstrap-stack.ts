import { IamWorkloadIdentityPool } from '@cdktf/provider-google/lib/iam-workload-identity-pool';
import { IamWorkloadIdentityPoolProvider } from '@cdktf/provider-google/lib/iam-workload-identity-pool-provider';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ProjectService } from '@cdktf/provider-google/lib/project-service';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { Aspects, LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { Guardrails } from '../guardrails';
import { markGuard } from '../guardrails/rule';
import { checkShape, PropShape } from '../core/props-shape';
import { checkProjectId, checkRegion } from '../gcp/regions';
import { checkBucketName } from '../gcp/values';
import { Problems, quote, reportProblems } from '../core/validation';
import { pauseTokenTraces } from '../core/token-traces';
import { DeployerFrontDoor, deployerRoles, RUNTIME_PROJECT_ROLES } from './deployer-roles';

/** GitHub Actions' OIDC issuer (docs.github.com, "About security hardening with OpenID Connect"). */
export const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com';

export interface GitHubWorkloadIdentityProps {
  /** `owner/name` of the repository whose workflows may deploy; no other repository can. */
  readonly repository: string;
  /**
   * Workload identity pool id (4-32 lowercase letters, digits, hyphens).
   * @default 'github'
   */
  readonly poolId?: string;
  /**
   * Provider id inside the pool.
   * @default 'github'
   */
  readonly providerId?: string;
}

export interface TwentyBootstrapStackProps {
  /** Project that holds the state bucket, the deployer account and the identity pool. */
  readonly projectId: string;
  /** Region of the state bucket (use the environments' region). */
  readonly region: string;
  /** Name of the GCS bucket for Terraform state; each environment's `stateBucket`. */
  readonly stateBucket: string;
  /**
   * Projects the deployer deploys environments into; it gets its roles in each.
   * @default [projectId]
   */
  readonly deployProjects?: readonly string[];
  /**
   * Front doors the environments use; only their roles are granted.
   * @default ['load-balancer', 'firebase']
   */
  readonly frontDoors?: readonly DeployerFrontDoor[];
  /**
   * Account id of the deployer service account (6-30 characters).
   * @default 'twenty-deployer'
   */
  readonly deployerAccountId?: string;
  /**
   * Let GitHub Actions of one repository act as the deployer through Workload Identity
   * Federation (no service account keys).
   * @default no federation
   */
  readonly github?: GitHubWorkloadIdentityProps;
}

/** APIs the bootstrap's own resources call, plus those CI needs to exchange tokens. */
export const BOOTSTRAP_APIS = [
  'cloudresourcemanager.googleapis.com',
  'iam.googleapis.com',
  'iamcredentials.googleapis.com',
  'serviceusage.googleapis.com',
  'storage.googleapis.com',
  'sts.googleapis.com',
] as const;

/**
 * What must exist before the first `cdktf deploy` of an environment, applied once by a
 * project owner with local state: the versioned, private state bucket; a deployer service
 * account with exactly the predefined roles a deploy needs; optionally Workload Identity
 * Federation for GitHub Actions.
 *
 * `new TwentyBootstrapStack(app, 'twenty-bootstrap', { projectId, region, stateBucket })`
 */
/** The props' keys, for strict input (a typo such as `stateBuckt` is refused with a "did you mean"). */
export const BOOTSTRAP_SHAPE: PropShape<TwentyBootstrapStackProps> = {
  projectId: 'string',
  region: 'string',
  stateBucket: 'string',
  deployProjects: 'array?',
  frontDoors: 'array?',
  deployerAccountId: 'string?',
  github: { optional: true, shape: { repository: 'string', poolId: 'string?', providerId: 'string?' } },
};

export class TwentyBootstrapStack extends TerraformStack {
  public readonly stateBucket: StorageBucket;
  public readonly deployer: ServiceAccount;
  /** The provider's full name, for `google-github-actions/auth`'s `workload_identity_provider`. */
  public readonly workloadIdentityProvider?: IamWorkloadIdentityPoolProvider;

  constructor(scope: Construct, id: string, given: TwentyBootstrapStackProps) {
    super(scope, id);
    // cdktf would record a stack trace for each token made below (constructs/core/token-traces.ts).
    const resumeTraces = pauseTokenTraces();
    try {
      const problems = new Problems(`TwentyBootstrapStack ${this.node.path}`);
      const props = checkShape(problems, given, BOOTSTRAP_SHAPE);
      const deployProjects = props.deployProjects ?? [props.projectId];
      const frontDoors = props.frontDoors ?? ['load-balancer', 'firebase'];
      const accountId = props.deployerAccountId ?? 'twenty-deployer';
      validate(problems, props, deployProjects, frontDoors, accountId);
      reportProblems(this, problems);

      // Local state: nothing exists yet to keep it in. It holds no secret (nothing here has one).
      new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
      new GoogleProvider(this, 'google', { project: props.projectId, region: props.region });

      const apis = BOOTSTRAP_APIS.map(
        (api) =>
          new ProjectService(this, `api-${api.split('.')[0]}`, {
            project: props.projectId,
            service: api,
            disableOnDestroy: false,
            disableDependentServices: false,
          }),
      );

      this.stateBucket = new StorageBucket(this, 'state-bucket', {
        name: props.stateBucket,
        project: props.projectId,
        location: props.region,
        // Every state write is a new object generation: a bad apply can be rolled back.
        versioning: { enabled: true },
        uniformBucketLevelAccess: true,
        publicAccessPrevention: 'enforced',
        forceDestroy: false,
        lifecycle: { preventDestroy: true },
        dependsOn: apis,
      });
      markGuard(this.stateBucket, 'lifecycle.prevent_destroy', 'TwentyBootstrapStack');

      this.deployer = new ServiceAccount(this, 'deployer', {
        project: props.projectId,
        accountId,
        displayName: 'Twenty deployer (cdktf deploy)',
        description: 'Deploys the Twenty environments; roles listed in the cdktf-twenty-gcp README',
        dependsOn: apis,
      });
      const member = `serviceAccount:${this.deployer.email}`;

      // State objects only, on this bucket only (the lock file is an object too).
      new StorageBucketIamMember(this, 'deployer-state', {
        bucket: this.stateBucket.name,
        role: 'roles/storage.objectUser',
        member,
      });

      const roles = deployerRoles(frontDoors);
      for (const project of deployProjects) {
        for (const r of roles) {
          const grant = new ProjectIamMember(
            this,
            `deployer-${project}-${r.role.replace(/^roles\//, '').replace(/\./g, '-')}`,
            {
              project,
              role: r.role,
              member,
              dependsOn: apis,
              condition:
                r.role === 'roles/resourcemanager.projectIamAdmin'
                  ? {
                      title: 'Only Twenty runtime roles',
                      description:
                        'The deployer may grant and revoke only the roles the Twenty stacks give their runtime account',
                      expression: `api.getAttribute('iam.googleapis.com/modifiedGrantsByRole', []).hasOnly([${RUNTIME_PROJECT_ROLES.map((x) => `'${x}'`).join(', ')}])`,
                    }
                  : undefined,
            },
          );
          if (r.role === 'roles/secretmanager.admin') {
            Guardrails.suppress(
              grant,
              'IAM-PROJECT-SECRET-ACCESSOR',
              'the deployer creates the secrets and grants access to each (setIamPolicy), which would let it grant itself access under any narrower role too; values stay out of its plans (write-only)',
            );
          }
        }
      }

      if (props.github) this.workloadIdentityProvider = this.addGitHub(props.github, props.projectId, apis);

      new TerraformOutput(this, 'state_bucket', {
        value: this.stateBucket.name,
        description: 'stateBucket of every environment',
      });
      new TerraformOutput(this, 'deployer_service_account', {
        value: this.deployer.email,
        description:
          'Impersonate it to deploy (gcloud --impersonate-service-account, or service_account in google-github-actions/auth)',
      });
      if (this.workloadIdentityProvider) {
        new TerraformOutput(this, 'workload_identity_provider', {
          value: this.workloadIdentityProvider.name,
          description: 'workload_identity_provider for google-github-actions/auth',
        });
      }
      // The same checks as the environments, at production severity (basic roles, public buckets, ...).
      Aspects.of(this).add(new Guardrails({ production: true }));
    } finally {
      resumeTraces();
    }
  }

  private addGitHub(
    github: GitHubWorkloadIdentityProps,
    project: string,
    apis: ProjectService[],
  ): IamWorkloadIdentityPoolProvider {
    const pool = new IamWorkloadIdentityPool(this, 'github-pool', {
      project,
      workloadIdentityPoolId: github.poolId ?? 'github',
      displayName: 'GitHub Actions',
      description: `Workflows of ${github.repository}`,
      dependsOn: apis,
    });
    const provider = new IamWorkloadIdentityPoolProvider(this, 'github-provider', {
      project,
      workloadIdentityPoolId: pool.workloadIdentityPoolId,
      workloadIdentityPoolProviderId: github.providerId ?? 'github',
      displayName: 'GitHub Actions OIDC',
      attributeMapping: {
        'google.subject': 'assertion.sub',
        'attribute.repository': 'assertion.repository',
        'attribute.ref': 'assertion.ref',
        'attribute.environment': 'assertion.environment',
      },
      // Tokens from any other repository are refused before any binding is looked at.
      attributeCondition: `assertion.repository == ${quote(github.repository)}`,
      oidc: { issuerUri: GITHUB_OIDC_ISSUER },
    });
    new ServiceAccountIamMember(this, 'github-deployer', {
      serviceAccountId: this.deployer.name,
      role: 'roles/iam.workloadIdentityUser',
      member: `principalSet://iam.googleapis.com/${pool.name}/attribute.repository/${github.repository}`,
    });
    return provider;
  }
}

function validate(
  p: Problems,
  props: TwentyBootstrapStackProps,
  deployProjects: readonly string[],
  frontDoors: readonly string[],
  accountId: string,
): void {
  p.whenKnown(props.projectId, checkProjectId);
  p.whenKnown(props.region, checkRegion);
  p.whenKnown(props.stateBucket, (b) => checkBucketName(b, 'stateBucket'));
  for (const project of deployProjects)
    p.whenKnown(project, (x) => (checkProjectId(x) ? `deployProjects: ${checkProjectId(x)}` : undefined));
  if (deployProjects.length === 0)
    p.add('deployProjects is empty; give at least the project the environments deploy into');
  for (const door of frontDoors) {
    if (door !== 'firebase' && door !== 'load-balancer')
      p.add(`frontDoors: "${door}" is not a front door; allowed: "load-balancer", "firebase"`);
  }
  p.whenKnown(accountId, (a) =>
    /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(a)
      ? undefined
      : `deployerAccountId "${a}" is invalid; use 6-30 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen`,
  );
  if (props.github) {
    const { repository, poolId, providerId } = props.github;
    p.whenKnown(repository, (r) =>
      /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(r)
        ? undefined
        : `github.repository "${r}" is not "owner/name" (e.g. "acme/crm-infra")`,
    );
    for (const [name, value] of [
      ['poolId', poolId],
      ['providerId', providerId],
    ] as const) {
      p.whenKnown(value, (v) =>
        /^[a-z0-9-]{4,32}$/.test(v) && !v.startsWith('gcp-')
          ? undefined
          : `github.${name} "${v}" is invalid; use 4-32 lowercase letters, digits and hyphens, not starting with "gcp-"`,
      );
    }
  }
}
