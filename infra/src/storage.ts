import type * as pulumi from '@pulumi/pulumi';
import * as storage from '@pulumi/azure-native/storage';

export interface StorageAccountArgs {
  readonly resourceGroupName: pulumi.Input<string>;
}

/**
 * A locked-down storage account: shared keys off (everything reaches it by managed identity),
 * no public blob access, HTTPS and TLS 1.2+. `name` holds lowercase letters and digits only (Azure
 * allows no dash) and at most 16 of them, so the random suffix Pulumi adds keeps it within 24.
 */
export function createStorageAccount(
  name: string,
  { resourceGroupName }: StorageAccountArgs,
  opts?: pulumi.CustomResourceOptions,
): storage.StorageAccount {
  if (!/^[a-z0-9]{3,16}$/.test(name)) throw new Error(`Storage account name '${name}' must be 3–16 lowercase letters or digits`);
  return new storage.StorageAccount(
    name,
    {
      resourceGroupName,
      kind: 'StorageV2',
      sku: { name: 'Standard_LRS' },
      allowSharedKeyAccess: false,
      defaultToOAuthAuthentication: true,
      allowBlobPublicAccess: false,
      allowCrossTenantReplication: false,
      minimumTlsVersion: 'TLS1_2',
      enableHttpsTrafficOnly: true,
    },
    opts,
  );
}
