// oidc-provider storage: every model in the `oidc_records` collection, except `Client`, which is
// read from our own clients collection (registered by the operator, see clients.ts). Because all
// state lives here, a restarted or second instance continues any flow.
import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';
import type { Models } from '../store/models/index.js';
import type { Collection } from 'mongodb';
import type { OidcRecord, OidcRecordModel } from '../store/models/oidc-record.js';
import { toClientMetadata } from './clients.js';
import { currentRequest, type RequestReads, type RequestReadsFor } from './request-reads.js';
import { ended, hold, writeHeld } from './write-behind.js';

/**
 * `readsFor` shares reads within the request being served (a provider request, or one of our
 * interaction pages: request-reads.ts): a record is read once per request, a code or an
 * interaction with what the request reads next. Outside a request every read goes to the store.
 */
export function createAdapterFactory(models: Models, readsFor: RequestReadsFor): (name: string) => Adapter {
  const reads = () => readsFor(currentRequest());
  return (name) => (name === 'Client' ? new ClientAdapter(reads) : new RecordAdapter(name, models.OidcRecord, reads));
}

/**
 * Records go through the model's driver collection, not mongoose queries: every field is a plain
 * string or Date that needs no casting, reads are lean anyway, and this is the hottest path of the
 * token endpoint (mongoose's query layer cost more than the store round trip itself).
 */
class RecordAdapter implements Adapter {
  private readonly records: Collection<OidcRecord>;

  constructor(private readonly kind: string, model: OidcRecordModel, private readonly reads: () => RequestReads) {
    this.records = model.collection as unknown as Collection<OidcRecord>;
  }

  private key(id: string): string {
    return `${this.kind}:${id}`;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const record: OidcRecord = {
      _id: this.key(id),
      kind: this.kind,
      payload: JSON.stringify(payload),
      ...(payload.grantId ? { grantId: payload.grantId } : {}),
      ...(payload.uid ? { uid: payload.uid } : {}),
      ...(payload.userCode ? { userCode: payload.userCode } : {}),
      ...(payload.accountId ? { accountId: payload.accountId } : {}),
      ...(payload.sessionUid ? { sessionUid: payload.sessionUid } : {}),
      // Keys the read-ahead joins on (read-ahead.ts): the app, and who an interaction signed in.
      ...(clientIdOf(payload) ? { clientId: clientIdOf(payload) } : {}),
      ...(signedInAs(payload) ? { signedInAs: signedInAs(payload) } : {}),
      ...(expiresIn ? { expiresAt: new Date(Date.now() + expiresIn * 1000) } : {}),
    };
    const reads = this.reads();
    reads.forget(record._id);
    // An authorization request's records go in one command at its end (write-behind.ts); a read
    // meanwhile finds them (a session looked up by uid is read again, after they are written).
    if (hold(record)) return reads.remember(record);
    // The replacement keeps its _id (equal to the filter's), as a mongoose replaceOne sends it.
    await writeHeld(this.records, record);
  }

  find(id: string) {
    const key = this.key(id);
    // Only the token endpoint looks a code up, to exchange it; an interaction is looked up by its
    // pages and the resume: read with them what those requests read next.
    const reads = this.reads();
    if (READ_AHEAD_KINDS.has(this.kind)) return this.payload(writeHeld(this.records).then(() => reads.recordWithRelated(key)));
    return this.payload(reads.record(key));
  }

  findByUid(uid: string) {
    return this.payload(writeHeld(this.records).then(() => (this.kind === 'Session' ? this.reads().sessionByUid(uid) : this.records.findOne({ kind: this.kind, uid }))));
  }

  findByUserCode(userCode: string) {
    return this.payload(writeHeld(this.records).then(() => this.records.findOne({ kind: this.kind, userCode })));
  }

  /**
   * Marks a code (or another single-use record) consumed, only if nothing consumed it first: two
   * token requests sent with one code at the same moment both read it unconsumed, and oidc-provider
   * consumes without a condition. The loser is refused, and the grant is revoked with every token
   * issued from it (RFC 6749 §4.1.2: a code used twice may have been stolen).
   */
  async consume(id: string): Promise<void> {
    const key = this.key(id);
    this.reads().forget(key);
    await writeHeld(this.records);
    const { matchedCount } = await this.records.updateOne({ _id: key, consumed: { $exists: false } }, { $set: { consumed: new Date() } });
    if (matchedCount === 1) return;
    const record = await this.records.findOne({ _id: key }, { projection: { grantId: 1 } });
    if (record?.grantId) {
      // The grant goes too: a token the winner saves after this finds no grant and is refused.
      await this.revokeByGrantId(record.grantId);
      await this.records.deleteOne({ _id: `Grant:${record.grantId}` });
    }
    throw new errors.InvalidGrant('authorization code already consumed');
  }

  async destroy(id: string): Promise<void> {
    const key = this.key(id);
    // The interaction a resume ends, or a session's old identifier, goes with the code (write-behind.ts `ended`).
    const gone = ended(key, this.kind, new Date());
    this.reads().forget(key);
    if (hold(gone)) return this.reads().remember(gone);
    await writeHeld(this.records);
    await this.records.deleteOne({ _id: key });
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    this.reads().forgetRecords();
    await writeHeld(this.records);
    await this.records.deleteMany({ grantId });
  }

  /** The TTL sweep runs about once a minute, so expiry is also checked on read. */
  private async payload(read: Promise<OidcRecord | null>): Promise<AdapterPayload | undefined> {
    const record = await read;
    if (!record || (record.expiresAt && record.expiresAt.getTime() <= Date.now())) return undefined;
    const payload = JSON.parse(record.payload) as AdapterPayload;
    return record.consumed ? { ...payload, consumed: Math.floor(record.consumed.getTime() / 1000) } : payload;
  }
}

const READ_AHEAD_KINDS = new Set(['AuthorizationCode', 'Interaction']);

function clientIdOf(payload: AdapterPayload): string | undefined {
  const id = payload.clientId ?? (payload.params as { client_id?: unknown } | undefined)?.client_id;
  return typeof id === 'string' ? id : undefined;
}

/** The account an interaction's finished login names (the resume reads that user). */
function signedInAs(payload: AdapterPayload): string | undefined {
  const id = (payload.result as { login?: { accountId?: unknown } } | undefined)?.login?.accountId;
  return typeof id === 'string' ? id : undefined;
}

/** Clients are managed by our services (createClient...), never by the provider itself. */
class ClientAdapter implements Adapter {
  constructor(private readonly reads: () => RequestReads) {}

  async find(id: string): Promise<AdapterPayload | undefined> {
    // `active` is checked here, not in the filter: a filter on `_id` alone is the store's exact
    // key lookup (the embedded store skips its query engine for it). Read once per request, never
    // kept longer: a rotated secret or a disabled client stops working at once.
    const client = await this.reads().client(id);
    return client?.active === true ? toClientMetadata(client) : undefined;
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
