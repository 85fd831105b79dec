/**
 * The one container template the server, the worker and the migration job share: same image,
 * same service account, the `/cloudsql` socket mounted, env from the table (env.ts). Each
 * caller adds only what differs (ports and probes, command, resources).
 */
import type { CloudSqlMount } from '../database/cloud-sql-socket-database';
import type { EnvEntry } from './env';

export interface Workload {
  readonly serviceAccountEmail: string;
  readonly image: string;
  readonly mount: CloudSqlMount;
}

/** `serviceAccount`, `volumes` and `containers` of a Cloud Run template running Twenty. */
export function workloadTemplate<C extends { readonly name: string; readonly env: EnvEntry[] }>(
  w: Workload,
  container: C,
) {
  return {
    serviceAccount: w.serviceAccountEmail,
    volumes: [w.mount.volume],
    containers: [{ ...container, image: w.image, volumeMounts: [w.mount.volumeMount] }],
  };
}
