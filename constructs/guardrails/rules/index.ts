import { GuardrailRule } from '../rule';
import { API_DISABLE_ON_DESTROY } from './api-disable-on-destroy';
import { BUCKET_PUBLIC } from './bucket-public';
import { IAM_PRIMITIVE_ROLE } from './iam-primitive-role';
import { IAM_PROJECT_SECRET_ACCESSOR } from './iam-project-secret-accessor';
import { IMAGE_UNPINNED } from './image-unpinned';
import { LB_TLS_POLICY } from './lb-tls-policy';
import { PROD_IMAGE_DIGEST } from './prod-image-digest';
import { PROD_LB_ARMOR } from './prod-lb-armor';
import { PROD_SQL_CONNECTORS } from './prod-sql-connectors';
import { PROD_SQL_RETAIN_BACKUPS } from './prod-sql-retain-backups';
import { PROD_ALERT_CHANNEL } from './prod-alert-channel';
import { PROD_DELETION_PROTECTION } from './prod-deletion-protection';
import { PROD_SQL_REGIONAL } from './prod-sql-regional';
import { RUN_DEFAULT_SERVICE_ACCOUNT } from './run-default-service-account';
import { SECRET_IN_STATE } from './secret-in-state';
import { SQL_BACKUPS } from './sql-backups';
import { SQL_OPEN_NETWORK } from './sql-open-network';
import { SQL_PITR } from './sql-pitr';
import { SQL_UNENCRYPTED_TCP } from './sql-unencrypted-tcp';

/** Every built-in rule, in the order of the README table. */
export const GUARDRAIL_RULES: readonly GuardrailRule[] = [
  SQL_BACKUPS,
  SQL_PITR,
  SQL_OPEN_NETWORK,
  SQL_UNENCRYPTED_TCP,
  PROD_SQL_REGIONAL,
  PROD_DELETION_PROTECTION,
  RUN_DEFAULT_SERVICE_ACCOUNT,
  IAM_PRIMITIVE_ROLE,
  IAM_PROJECT_SECRET_ACCESSOR,
  SECRET_IN_STATE,
  BUCKET_PUBLIC,
  API_DISABLE_ON_DESTROY,
  IMAGE_UNPINNED,
  PROD_SQL_RETAIN_BACKUPS,
  PROD_SQL_CONNECTORS,
  LB_TLS_POLICY,
  PROD_LB_ARMOR,
  PROD_IMAGE_DIGEST,
  PROD_ALERT_CHANNEL,
];

export {
  API_DISABLE_ON_DESTROY,
  BUCKET_PUBLIC,
  IAM_PRIMITIVE_ROLE,
  IAM_PROJECT_SECRET_ACCESSOR,
  IMAGE_UNPINNED,
  LB_TLS_POLICY,
  PROD_ALERT_CHANNEL,
  PROD_DELETION_PROTECTION,
  PROD_IMAGE_DIGEST,
  PROD_LB_ARMOR,
  PROD_SQL_CONNECTORS,
  PROD_SQL_RETAIN_BACKUPS,
  PROD_SQL_REGIONAL,
  RUN_DEFAULT_SERVICE_ACCOUNT,
  SECRET_IN_STATE,
  SQL_BACKUPS,
  SQL_OPEN_NETWORK,
  SQL_PITR,
  SQL_UNENCRYPTED_TCP,
};
