// A grant answers for one practice. When an authorization request's practice is decided
// (practice-choice.ts), the grant it uses is bound to that practice in `practice_entries` (once,
// never changed). A module switching practice gets a NEW grant carrying the same consent (consent is
// per app; the practice is per grant), so the tokens issued before the switch keep answering for the
// practice they were issued in, and deactivating a membership can revoke exactly the grants and end
// exactly the sessions that entered through it (src/accounts/memberships.ts `entriesThrough`).
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Models } from '../store/models/index.js';
import { TTL } from '../sessions/ttl.js';
import type { PracticeFor } from './practice-choice.js';
import type { RequestReadsFor } from './request-reads.js';

type Grant = InstanceType<KoaContextWithOIDC['oidc']['provider']['Grant']>;

export function createPracticeGrants(deps: { models: Models; readsFor: RequestReadsFor; practiceFor: PracticeFor; now: () => number }) {
  const { models, readsFor, practiceFor, now } = deps;

  /**
   * The grant to use for this request: `existing` when it entered the decided practice (or nothing
   * is decided yet, or it entered none); otherwise a new grant with the same consent.
   */
  async function forPractice(ctx: KoaContextWithOIDC, existing: Grant | undefined): Promise<Grant | undefined> {
    const { oidc } = ctx;
    const accountId = oidc.session?.accountId;
    if (!accountId || !oidc.client) return existing;
    const { decision } = await practiceFor(ctx, accountId);
    if (decision.kind !== 'entered') return existing;
    const { practiceId } = decision.membership;
    let grant = existing;
    if (grant?.jti) {
      const entry = await readsFor(ctx).entry(grant.jti);
      if (entry && !entry.practiceId.equals(practiceId)) grant = await copyOf(ctx, grant);
    }
    if (!grant) return grant;
    const grantId = grant.jti ? grant.jti : await grant.save();
    const at = now();
    // Written once: a second request for the same grant and practice finds it there.
    await models.PracticeEntry.updateOne(
      { _id: grantId },
      { $setOnInsert: { accountId, practiceId, clientId: oidc.client.clientId, sessionUid: oidc.session!.uid, createdAt: new Date(at), expiresAt: new Date(at + TTL.Grant * 1000) } },
      { upsert: true },
    );
    await models.SessionActivity.updateOne({ _id: oidc.session!.uid, practiceId: { $ne: practiceId } }, { $set: { practiceId } });
    return grant;
  }

  async function copyOf(ctx: KoaContextWithOIDC, from: Grant): Promise<Grant> {
    const grant = new ctx.oidc.provider.Grant({ accountId: from.accountId!, clientId: from.clientId! });
    const scope = from.getOIDCScope();
    if (scope) grant.addOIDCScope(scope);
    const claims = from.getOIDCClaims();
    if (claims.length > 0) grant.addOIDCClaims(claims);
    for (const [indicator, value] of Object.entries(from.resources ?? {})) {
      if (typeof value === 'string' && value) grant.addResourceScope(indicator, value);
    }
    await grant.save();
    return grant;
  }

  return { forPractice };
}
