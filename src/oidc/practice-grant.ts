// A grant answers for one practice. When an authorization request's practice is decided
// (practice-choice.ts), the grant it uses is bound to that practice in `practice_entries` (once,
// never changed). A module switching practice gets a NEW grant carrying the same consent (consent is
// per app; the practice is per grant), so the tokens issued before the switch keep answering for the
// practice they were issued in, and deactivating a membership can revoke exactly the grants and end
// exactly the sessions that entered through it (src/accounts/memberships.ts `entriesThrough`).
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Models } from '../store/models/index.js';
import type { SessionActivityTracker } from '../sessions/activity.js';
import { TTL } from '../sessions/ttl.js';
import type { PracticeFor } from './practice-choice.js';
import type { RequestReadsFor } from './request-reads.js';

type Grant = InstanceType<KoaContextWithOIDC['oidc']['provider']['Grant']>;

export function createPracticeGrants(deps: { models: Models; readsFor: RequestReadsFor; practiceFor: PracticeFor; activity: Pick<SessionActivityTracker, 'entered'>; now: () => number }) {
  const { models, readsFor, practiceFor, activity, now } = deps;

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
    const sessionUid = oidc.session!.uid;
    let grant = existing;
    if (!grant) return grant;
    // Written once (a second request for the same grant finds it there) and read in the same
    // command: a grant that already entered another practice is not reused for this one.
    const bind = async (grantId: string) => {
      const at = now();
      return models.PracticeEntry.findOneAndUpdate(
        { _id: grantId },
        { $setOnInsert: { accountId, practiceId, clientId: oidc.client!.clientId, sessionUid, createdAt: new Date(at), expiresAt: new Date(at + TTL.Grant * 1000) } },
        { upsert: true, returnDocument: 'before', lean: true },
      );
    };
    // The session's grant for this app had its entry read to decide the practice (practice-choice.ts):
    // bound already, nothing to write. A grant made for this request is bound now.
    const sessionGrant = Boolean(grant.jti) && oidc.session!.grantIdFor(oidc.client.clientId) === grant.jti;
    const known = sessionGrant ? await readsFor(ctx).entry(grant.jti!) : null;
    const before = known ?? await bind(grant.jti ? grant.jti : await grant.save());
    if (before && !before.practiceId.equals(practiceId)) {
      grant = await copyOf(ctx, grant);
      await bind(grant.jti!);
    }
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

  /**
   * The authorization succeeded (a code for the app): from now on the browser session works in the
   * practice it entered (its idle time-out; the practice /account and /admin serve). Not before:
   * oidc-provider loads the grant ahead of the request's prompts, and a request into another
   * practice abandoned at its password or code page must not move the session there. A sign-in
   * just made writes the practice with its activity record (activity.ts `signedIn`).
   */
  async function entered(ctx: KoaContextWithOIDC): Promise<void> {
    const { oidc } = ctx;
    const accountId = oidc.session?.accountId;
    if (!accountId || oidc.result?.login) return;
    const { decision } = await practiceFor(ctx, accountId);
    if (decision.kind !== 'entered') return;
    const { practiceId } = decision.membership;
    const sessionUid = oidc.session!.uid;
    const current = await readsFor(ctx).activity(sessionUid);
    if (current && !current.practiceId.equals(practiceId)) {
      await activity.entered(sessionUid, practiceId);
    }
  }

  /** Provider middleware: `entered` once an authorization request ends with a code for the app. */
  function install(provider: Provider): void {
    provider.use(async (ctx, next) => {
      await next();
      const oidcCtx = ctx as KoaContextWithOIDC;
      const route = oidcCtx.oidc?.route;
      if ((route !== 'authorization' && route !== 'resume') || !oidcCtx.oidc.entities.AuthorizationCode) return;
      if (String(ctx.response.get('location')).includes('error=')) return;
      await entered(oidcCtx);
    });
  }

  return { forPractice, install };
}
