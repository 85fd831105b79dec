import { ArtifactRegistryRepository } from '@cdktf/provider-google/lib/artifact-registry-repository';
import { Construct } from 'constructs';
import { Problems, quote, reportProblems } from '../core/validation';

export interface DockerHubMirrorProps {
  readonly project: string;
  /** The environment's region; the repository lives there. */
  readonly region: string;
  /**
   * Repository id (lowercase letters, digits, hyphens; starts with a letter; at most 63).
   * @default 'dockerhub'
   */
  readonly repositoryId?: string;
  /**
   * Labels on the repository.
   * @default none
   */
  readonly labels?: Record<string, string>;
}

/**
 * An Artifact Registry remote repository of Docker Hub in the environment's region. Cloud Run
 * pulls `<region>-docker.pkg.dev/<project>/<id>/twentycrm/twenty` through it, so a deploy does
 * not depend on Docker Hub being up, rate limits do not apply per deploy, and a cached tag stays
 * pullable. Cloud Run imports the image at deploy time (cloud.google.com/run/docs/deploying),
 * with the Cloud Run service agent, which needs no grant on a repository in the same project
 * (cloud.google.com/artifact-registry/docs/integrate-cloud-run); the deployer needs
 * `roles/artifactregistry.reader`.
 */
export class DockerHubMirror extends Construct {
  public readonly repository: ArtifactRegistryRepository;
  /** `<region>-docker.pkg.dev/<project>/<id>`: put a Docker Hub path after it. */
  public readonly registryPath: string;

  constructor(scope: Construct, id: string, props: DockerHubMirrorProps) {
    super(scope, id);
    const repositoryId = props.repositoryId ?? 'dockerhub';
    const problems = new Problems(`DockerHubMirror ${this.node.path}`);
    problems.whenKnown(repositoryId, (r) =>
      /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(r)
        ? undefined
        : `repository id ${quote(r)} is invalid; use lowercase letters, digits and hyphens, start with a letter, at most 63 characters`,
    );
    reportProblems(this, problems);
    this.repository = new ArtifactRegistryRepository(this, 'Repository', {
      project: props.project,
      location: props.region,
      repositoryId,
      format: 'DOCKER',
      mode: 'REMOTE_REPOSITORY',
      description: 'Docker Hub, cached for Cloud Run',
      labels: props.labels,
      remoteRepositoryConfig: {
        description: 'Docker Hub',
        dockerRepository: { publicRepository: 'DOCKER_HUB' },
      },
    });
    // Known strings, not the resource's attributes: the image name feeds the migration job's
    // run_execution_token, which must not change with token numbering.
    this.registryPath = `${props.region}-docker.pkg.dev/${props.project}/${repositoryId}`;
  }
}
