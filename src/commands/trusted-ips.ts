// Trust an address or range for a practice or one of its users, or stop trusting one. The trusted-IP
// service checks the entry (a valid address or range, not too wide, not already trusted, an expiry
// in the future); the audit entries name the user an entry belongs to, in both directions.
import type { Types } from 'mongoose';
import type { AuditLog } from '../audit/record.js';
import { NotFoundError } from '../errors.js';
import type { TrustedIpInput } from '../mfa/trusted-ips.js';
import type { TrustedIp } from '../store/models/trusted-ip.js';
import { assertInScope, auditActor, type Actor } from './actor.js';
import { change, recordChange } from './audited.js';

export interface TrustedIpsDeps {
  audit: AuditLog;
  trustedIps: {
    add(input: TrustedIpInput): Promise<TrustedIp>;
    find(practiceId: Types.ObjectId, id: string): Promise<TrustedIp | null>;
    remove(practiceId: Types.ObjectId, id: string): Promise<TrustedIp | null>;
  };
  /** The user of this practice an entry belongs to (null: gone, or of another practice). */
  practiceUser(practiceId: Types.ObjectId, userId: Types.ObjectId | string): Promise<{ sub: string; email: string } | null>;
}

export interface TrustedIpRequest {
  entry: string;
  /** Trusted for this user of the practice only; absent: the whole practice. */
  userId?: Types.ObjectId | string;
  description?: string;
  expiresAt?: Date;
}

/** What the audit log shows of an entry. */
export function auditView(entry: { _id: unknown; entry: string; description: string; expiresAt?: Date }, scope: string) {
  return { id: String(entry._id), entry: entry.entry, scope, description: entry.description, expires: entry.expiresAt?.toISOString() ?? null };
}

export async function addTrustedIp(deps: TrustedIpsDeps, actor: Actor, practiceId: Types.ObjectId, request: TrustedIpRequest): Promise<{ entry: TrustedIp; scope: string }> {
  assertInScope(actor, practiceId);
  const owner = request.userId === undefined ? null : await deps.practiceUser(practiceId, request.userId);
  if (request.userId !== undefined && !owner) throw new NotFoundError(`no user ${String(request.userId)} in practice ${String(practiceId)}`);
  const about = { practiceId, ...(owner ? { userSub: owner.sub } : {}) };
  const entry = await change(deps.audit, actor, about, 'admin.trusted_ip.added', () => deps.trustedIps.add({
    practiceId, entry: request.entry, addedBy: auditActor(actor).sub,
    ...(request.userId !== undefined ? { userId: request.userId } : {}),
    ...(request.description !== undefined ? { description: request.description } : {}),
    ...(request.expiresAt ? { expiresAt: request.expiresAt } : {}),
  }));
  const scope = owner ? owner.email : 'practice';
  await recordChange(deps.audit, actor, about, 'admin.trusted_ip.added', { after: auditView(entry, scope) });
  return { entry, scope };
}

/** Not found (or another practice's): a NotFoundError, and nothing changes. */
export async function removeTrustedIp(deps: TrustedIpsDeps, actor: Actor, practiceId: Types.ObjectId, id: string): Promise<TrustedIp> {
  assertInScope(actor, practiceId);
  const existing = await deps.trustedIps.find(practiceId, id);
  if (!existing) throw new NotFoundError(`no trusted IP ${id} in practice ${String(practiceId)}`);
  const owner = existing.userId ? await deps.practiceUser(practiceId, existing.userId) : null;
  const about = { practiceId, ...(owner ? { userSub: owner.sub } : {}) };
  const removed = await change(deps.audit, actor, about, 'admin.trusted_ip.removed', () => deps.trustedIps.remove(practiceId, id));
  if (!removed) throw new NotFoundError(`trusted IP ${id} already removed`);
  await recordChange(deps.audit, actor, about, 'admin.trusted_ip.removed', { before: auditView(removed, removed.userId ? owner?.email ?? 'a removed user' : 'practice') });
  return removed;
}
