// oidc-provider storage: every model in the `oidc_records` collection, except `Client`, which is
// read from our own clients collection (registered by the operator, see clients.ts). Because all
// state lives here, a restarted or second instance continues any flow.
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Models } from '../store/models/index.js';
import type { OidcRecordModel } from '../store/models/oidc-record.js';
import { toClientMetadata } from './clients.js';

export function createAdapterFactory(models: Models): (name: string) => Adapter {
  return (name) => (name === 'Client' ? new ClientAdapter(models) : new RecordAdapter(name, models.OidcRecord));
}

class RecordAdapter implements Adapter {
  constructor(private readonly kind: string, private readonly records: OidcRecordModel) {}

  private key(id: string): string {
    return `${this.kind}:${id}`;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    await this.records.replaceOne(
      { _id: this.key(id) },
      {
        _id: this.key(id),
        kind: this.kind,
        payload: JSON.stringify(payload),
        ...(payload.grantId ? { grantId: payload.grantId } : {}),
        ...(payload.uid ? { uid: payload.uid } : {}),
        ...(payload.userCode ? { userCode: payload.userCode } : {}),
        ...(payload.accountId ? { accountId: payload.accountId } : {}),
        ...(expiresIn ? { expiresAt: new Date(Date.now() + expiresIn * 1000) } : {}),
      },
      { upsert: true },
    );
  }

  find(id: string) {
    return this.findOne({ _id: this.key(id) });
  }

  findByUid(uid: string) {
    return this.findOne({ kind: this.kind, uid });
  }

  findByUserCode(userCode: string) {
    return this.findOne({ kind: this.kind, userCode });
  }

  async consume(id: string): Promise<void> {
    await this.records.updateOne({ _id: this.key(id) }, { $set: { consumed: new Date() } });
  }

  async destroy(id: string): Promise<void> {
    await this.records.deleteOne({ _id: this.key(id) });
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.records.deleteMany({ grantId });
  }

  /** The TTL sweep runs about once a minute, so expiry is also checked on read. */
  private async findOne(filter: Record<string, unknown>): Promise<AdapterPayload | undefined> {
    const record = await this.records.findOne(filter).lean();
    if (!record || (record.expiresAt && record.expiresAt.getTime() <= Date.now())) return undefined;
    const payload = JSON.parse(record.payload) as AdapterPayload;
    return record.consumed ? { ...payload, consumed: Math.floor(record.consumed.getTime() / 1000) } : payload;
  }
}

/** Clients are managed by our services (createClient...), never by the provider itself. */
class ClientAdapter implements Adapter {
  constructor(private readonly models: Models) {}

  async find(id: string): Promise<AdapterPayload | undefined> {
    const client = await this.models.Client.findOne({ _id: id, active: true }).lean();
    return client ? toClientMetadata(client) : undefined;
  }

  async upsert(): Promise<void> {
    throw new Error('clients are registered through the client service, not the provider');
  }

  async destroy(): Promise<void> {
    throw new Error('clients are removed through the client service, not the provider');
  }

  async findByUid() {
    return undefined;
  }

  async findByUserCode() {
    return undefined;
  }

  async consume(): Promise<void> {}

  async revokeByGrantId(): Promise<void> {}
}
