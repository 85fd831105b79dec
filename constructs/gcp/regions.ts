/**
 * Google Cloud regions where both Cloud Run and Cloud SQL for PostgreSQL are offered
 * (cloud.google.com/run/docs/locations and /sql/docs/postgres/locations, November 2026).
 */
export const GCP_REGIONS: readonly string[] = [
  'africa-south1',
  'asia-east1',
  'asia-east2',
  'asia-northeast1',
  'asia-northeast2',
  'asia-northeast3',
  'asia-south1',
  'asia-south2',
  'asia-southeast1',
  'asia-southeast2',
  'australia-southeast1',
  'australia-southeast2',
  'europe-central2',
  'europe-north1',
  'europe-north2',
  'europe-southwest1',
  'europe-west1',
  'europe-west2',
  'europe-west3',
  'europe-west4',
  'europe-west6',
  'europe-west8',
  'europe-west9',
  'europe-west10',
  'europe-west12',
  'me-central1',
  'me-central2',
  'me-west1',
  'northamerica-northeast1',
  'northamerica-northeast2',
  'northamerica-south1',
  'southamerica-east1',
  'southamerica-west1',
  'us-central1',
  'us-east1',
  'us-east4',
  'us-east5',
  'us-south1',
  'us-west1',
  'us-west2',
  'us-west3',
  'us-west4',
];

/** Returns an error message when `region` is not a known region, else undefined. */
export function checkRegion(region: string): string | undefined {
  if (GCP_REGIONS.includes(region)) return undefined;
  const hint = /^[a-z]+-[a-z]+-\d+$/.test(region)
    ? ` (that looks like an AWS region; Google writes regions without the second dash, e.g. "us-east1")`
    : '';
  return `region "${region}" is not a Google Cloud region with Cloud Run and Cloud SQL${hint}; allowed: ${GCP_REGIONS.join(', ')}`;
}

/** Returns an error message when a resource's region differs from the environment's. */
export function checkSameRegion(what: string, given: string, expected: string): string | undefined {
  return given === expected
    ? undefined
    : `${what} region "${given}" differs from the environment's region "${expected}"; one environment uses one region everywhere`;
}

/** Project ids: 6-30 characters, lowercase letters, digits and hyphens, starting with a letter. */
export function checkProjectId(projectId: string): string | undefined {
  return /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(projectId)
    ? undefined
    : `project id "${projectId}" is invalid; it must be 6-30 characters of lowercase letters, digits and hyphens, start with a letter and not end with a hyphen`;
}
