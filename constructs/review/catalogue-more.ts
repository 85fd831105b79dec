import type { CatalogueEntry } from './catalogue';

/**
 * The rest of the review catalogue (constructs/review/catalogue.ts, whose header says how each
 * entry was read): the two non-Google types the library emits, and data stores it does not emit,
 * listed so that a destroy of one a user adds next to it is flagged too.
 */
export const NOT_GOOGLE_OR_NOT_EMITTED: Readonly<Record<string, CatalogueEntry>> = {
  terraform_data: {
    forceNew: ['triggers_replace'],
    source: {
      provider: 'terraform',
      file: 'built in; replace_paths [["triggers_replace"]] observed in terraform 1.11.4 plans (__tests__/review/review-dangers.test.ts)',
      tag: 'v1.11.4',
    },
  },
  time_sleep: {
    forceNew: ['triggers'],
    source: { provider: 'time', file: 'internal/provider/resource_time_sleep.go', tag: 'v0.13.1' },
  },
  // Data stores the library does not emit: what they lose; their identity stands in for the forcing arguments.
  google_alloydb_cluster: { loses: 'the AlloyDB cluster and its data', identity: 'cluster_id' },
  google_bigquery_dataset: { loses: 'the dataset and its tables', identity: 'dataset_id' },
  google_bigquery_table: { loses: 'the table and its rows', identity: 'table_id' },
  google_compute_disk: { loses: 'the disk and its data', identity: 'name' },
  google_filestore_instance: { loses: 'the file share and its files', identity: 'name' },
  google_firestore_database: { loses: 'the database and its documents', identity: 'name' },
  google_kms_crypto_key: { loses: 'the key: data encrypted with it can no longer be decrypted', identity: 'name' },
  google_redis_instance: { loses: 'the Redis instance and its data', identity: 'name' },
  google_secret_manager_regional_secret: { loses: 'the secret and all its versions', identity: 'secret_id' },
  google_secret_manager_regional_secret_version: { loses: 'the secret value', identity: '' },
  google_spanner_database: { loses: 'the database and its data', identity: 'name' },
};
