import { FRONT_DOORS, TwentyFrontDoor } from '../front-door/front-doors';
import { monitoringEnabled, TwentyStackConfig } from './config';

/** Every API the stack's resources call. */
export const REQUIRED_APIS = [
  'artifactregistry.googleapis.com',
  'cloudresourcemanager.googleapis.com',
  'iam.googleapis.com',
  'run.googleapis.com',
  'secretmanager.googleapis.com',
  'sql-component.googleapis.com',
  'sqladmin.googleapis.com',
  'storage.googleapis.com',
] as const;

/** APIs each front door adds (enabled only when the environment uses it). */
export const FRONT_DOOR_APIS: Readonly<Record<TwentyFrontDoor['kind'], readonly string[]>> = Object.fromEntries(
  Object.entries(FRONT_DOORS).map(([kind, door]) => [kind, door.apis]),
) as Record<TwentyFrontDoor['kind'], readonly string[]>;

/** APIs monitoring adds (log-based metrics need Logging; a budget needs Billing Budgets). */
export const MONITORING_APIS = ['logging.googleapis.com', 'monitoring.googleapis.com'] as const;
export const BILLING_BUDGET_API = 'billingbudgets.googleapis.com';

/** Every API an environment's stack enables. */
export function requiredApis(config: Pick<TwentyStackConfig, 'frontDoor' | 'monitoring' | 'production'>): string[] {
  const monitoring = monitoringEnabled(config)
    ? [...MONITORING_APIS, ...(config.monitoring?.billingBudget ? [BILLING_BUDGET_API] : [])]
    : [];
  return [...REQUIRED_APIS, ...(FRONT_DOOR_APIS[config.frontDoor?.kind] ?? []), ...monitoring];
}
