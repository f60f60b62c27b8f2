import * as applicationinsights from '@pulumi/azure-native/applicationinsights';
import * as operationalinsights from '@pulumi/azure-native/operationalinsights';
import type { Placement } from './config';

export interface Monitoring {
  readonly workspace: operationalinsights.Workspace;
  /** Workspace-based; local auth off, so only Entra identities (Monitoring Metrics Publisher) can send telemetry. */
  readonly appInsights: applicationinsights.Component;
}

/** Log Analytics workspace and the Application Insights component the three apps report to. */
export function createMonitoring({ namePrefix, resourceGroupName }: Placement): Monitoring {
  const workspace = new operationalinsights.Workspace(`${namePrefix}-logs`, {
    resourceGroupName,
    sku: { name: 'PerGB2018' },
    retentionInDays: 30,
    features: { disableLocalAuth: true },
  });
  const appInsights = new applicationinsights.Component(`${namePrefix}-insights`, {
    resourceGroupName,
    kind: 'web',
    applicationType: 'web',
    ingestionMode: 'LogAnalytics',
    workspaceResourceId: workspace.id,
    disableLocalAuth: true,
  });
  return { workspace, appInsights };
}
