import * as storage from '@pulumi/azure-native/storage';
import type { Placement } from './config';

/**
 * The function apps' storage account: host storage (`AzureWebJobsStorage`, reached by identity) and
 * one deployment container per app. Flex Consumption works with shared keys off when both of
 * those use managed identity, so keys are disabled outright; no public blob access; TLS 1.2+.
 */
export function createStorageAccount({ namePrefix, resourceGroupName }: Placement): storage.StorageAccount {
  // Storage account names allow only lowercase letters and digits, hence no dash.
  return new storage.StorageAccount(`${namePrefix}st`, {
    resourceGroupName,
    kind: 'StorageV2',
    sku: { name: 'Standard_LRS' },
    allowSharedKeyAccess: false,
    defaultToOAuthAuthentication: true,
    allowBlobPublicAccess: false,
    allowCrossTenantReplication: false,
    minimumTlsVersion: 'TLS1_2',
    enableHttpsTrafficOnly: true,
  });
}
