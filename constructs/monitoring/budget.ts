/** The optional billing budget on the project. */
import type { BillingBudget } from '@cdktf/provider-google/lib/billing-budget';
import { Construct } from 'constructs';
import type { TwentyBillingBudgetProps } from './props';

/** A monthly budget on `project` that notifies `channels`. */
export function billingBudget(
  scope: Construct,
  project: string,
  prefix: string,
  budget: TwentyBillingBudgetProps,
  channels: string[],
): BillingBudget {
  // Loaded only when a budget is asked for: parsing these bindings costs every synth ~10 ms.
  /* eslint-disable @typescript-eslint/no-require-imports -- lazy load, typed by the import() types */
  const { DataGoogleProject } =
    require('@cdktf/provider-google/lib/data-google-project') as typeof import('@cdktf/provider-google/lib/data-google-project');
  const { BillingBudget: Budget } =
    require('@cdktf/provider-google/lib/billing-budget') as typeof import('@cdktf/provider-google/lib/billing-budget');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const projectData = new DataGoogleProject(scope, 'Project', { projectId: project });
  return new Budget(scope, 'BillingBudget', {
    billingAccount: budget.billingAccountId,
    displayName: `${prefix} monthly budget`,
    budgetFilter: { projects: [`projects/${projectData.number}`], calendarPeriod: 'MONTH' },
    amount: { specifiedAmount: { currencyCode: budget.currency ?? 'USD', units: String(budget.monthlyAmount) } },
    thresholdRules: [
      ...(budget.thresholds ?? [0.5, 0.9, 1.0]).map((t) => ({ thresholdPercent: t })),
      { thresholdPercent: 1.0, spendBasis: 'FORECASTED_SPEND' },
    ],
    allUpdatesRule: channels.length > 0 ? { monitoringNotificationChannels: channels } : undefined,
  });
}
