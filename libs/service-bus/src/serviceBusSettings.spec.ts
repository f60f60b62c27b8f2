import { serviceBusSettingsFromEnv } from './serviceBusSettings';

const namespace = 'commandflow-dev.servicebus.windows.net';
const clientId = '6f1c2a4e-0b7d-4c55-9a1e-3d2f8b9c0a11';
const emulator =
  'Endpoint=sb://127.0.0.1:5672;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;';

describe('serviceBusSettingsFromEnv', () => {
  it('names the missing namespace when no Service Bus setting is present', () => {
    for (const env of [{}, { ServiceBusConnection__fullyQualifiedNamespace: ' ', AZURE_CLIENT_ID: clientId }]) {
      expect(() => serviceBusSettingsFromEnv(env)).toThrow(
        expect.objectContaining({ code: 'missing_setting', details: { setting: 'ServiceBusConnection__fullyQualifiedNamespace' } }),
      );
    }
  });

  it('connects by managed identity to the namespace, as deployed, with the connection client id or AZURE_CLIENT_ID', () => {
    expect(serviceBusSettingsFromEnv({ ServiceBusConnection__fullyQualifiedNamespace: namespace })).toEqual({
      fullyQualifiedNamespace: namespace,
      credential: 'identity',
    });
    expect(
      serviceBusSettingsFromEnv({ ServiceBusConnection__fullyQualifiedNamespace: namespace, ServiceBusConnection__clientId: clientId }),
    ).toEqual({ fullyQualifiedNamespace: namespace, credential: 'identity', managedIdentityClientId: clientId });
    expect(serviceBusSettingsFromEnv({ ServiceBusConnection__fullyQualifiedNamespace: namespace, AZURE_CLIENT_ID: clientId })).toEqual({
      fullyQualifiedNamespace: namespace,
      credential: 'identity',
      managedIdentityClientId: clientId,
    });
  });

  it('connects by connection string, the emulator’s included', () => {
    expect(serviceBusSettingsFromEnv({ ServiceBusConnection: emulator })).toEqual({ connectionString: emulator });
    const sas = 'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessSignature=SharedAccessSignature sr=x&sig=y&se=1&skn=k';
    expect(serviceBusSettingsFromEnv({ ServiceBusConnection: sas, AZURE_CLIENT_ID: clientId })).toEqual({ connectionString: sas });
  });

  it.each<[string, Record<string, string>, RegExp]>([
    [
      'a namespace that is a URL',
      { ServiceBusConnection__fullyQualifiedNamespace: `sb://${namespace}/` },
      /^Setting ServiceBusConnection__fullyQualifiedNamespace must be a host name/,
    ],
    [
      'a namespace without a domain',
      { ServiceBusConnection__fullyQualifiedNamespace: 'commandflow-dev' },
      /^Setting ServiceBusConnection__fullyQualifiedNamespace must be a host name/,
    ],
    [
      'a client id that is not a GUID',
      { ServiceBusConnection__fullyQualifiedNamespace: namespace, ServiceBusConnection__clientId: 'my-identity' },
      /^Setting ServiceBusConnection__clientId must be a managed identity's client id/,
    ],
    [
      'an AZURE_CLIENT_ID that is not a GUID',
      { ServiceBusConnection__fullyQualifiedNamespace: namespace, AZURE_CLIENT_ID: 'my-identity' },
      /^Setting AZURE_CLIENT_ID must be a managed identity's client id/,
    ],
    [
      'a client id with a connection string',
      { ServiceBusConnection: emulator, ServiceBusConnection__clientId: clientId },
      /^Setting ServiceBusConnection__clientId applies only/,
    ],
    [
      'both a namespace and a connection string',
      { ServiceBusConnection__fullyQualifiedNamespace: namespace, ServiceBusConnection: emulator },
      /^Setting ServiceBusConnection cannot be combined/,
    ],
    ['a connection string without Endpoint', { ServiceBusConnection: 'SharedAccessKeyName=k;SharedAccessKey=v;' }, /^Setting ServiceBusConnection must look like/],
    [
      'a connection string with an https endpoint',
      { ServiceBusConnection: 'Endpoint=https://ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=v' },
      /^Setting ServiceBusConnection must look like/,
    ],
    ['a connection string without a key', { ServiceBusConnection: 'Endpoint=sb://127.0.0.1:5672;' }, /^Setting ServiceBusConnection must look like/],
  ])('rejects %s, naming the setting', (_label, env, message) => {
    expect(() => serviceBusSettingsFromEnv(env)).toThrow(
      expect.objectContaining({ code: 'invalid_setting', message: expect.stringMatching(message) }),
    );
  });

  it('names the missing namespace when only the connection client id is present', () => {
    expect(() => serviceBusSettingsFromEnv({ ServiceBusConnection__clientId: clientId })).toThrow(
      expect.objectContaining({ code: 'missing_setting', details: { setting: 'ServiceBusConnection__fullyQualifiedNamespace' } }),
    );
  });

  it('never echoes the key of a bad connection string', () => {
    const leaky = 'Endpoint=not-a-url;SharedAccessKeyName=k;SharedAccessKey=super-secret-key;';
    expect(() => serviceBusSettingsFromEnv({ ServiceBusConnection: leaky })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('super-secret-key') }),
    );
  });
});
