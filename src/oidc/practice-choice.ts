// Which practice an authorization request enters, decided in one place for every step that needs it
// (the login step after the password, the `select_account` prompt, the mfa prompt, the session
// time-out check, findAccount and the grant). In order:
//   1. the app is registered to one practice (client `practice_id`): that one, or nothing at all
//      when the person is not an active member of it;
//   2. the practice chosen on the chooser in this very interaction;
//   3. `prompt=select_account`: the chooser, whatever else is known;
//   4. `practice_hint` naming a practice the person is an active member of. A hint naming any
//      other practice (unknown, another's, deactivated) counts as no hint: the person goes on as
//      without it, so the hint tells its sender nothing about memberships it did not already get
//      in the `practice` claim;
//   5. only one active membership: that one;
//   6. the practice this app's grant in this browser session already entered (a silent renew
//      stays where it was);
//   7. the person's default practice, when still active;
//   8. otherwise the chooser.
import type { Types } from 'mongoose';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Identity, Membership } from '../store/models/index.js';
import type { RequestReadsFor } from './request-reads.js';

export const PRACTICE_HINT = 'practice_hint';
/** The interaction result key of the chooser's answer: `{ practiceId }`. */
export const PRACTICE_CHOSEN = 'select_account';

export type PracticeDecision =
  | { kind: 'entered'; membership: Membership; by: 'client' | 'chosen' | 'hint' | 'only' | 'grant' | 'default' }
  | { kind: 'choose'; memberships: Membership[] }
  /** No active membership at all: the person cannot sign in. */
  | { kind: 'none' }
  /** The app belongs to a practice the person is not an active member of. */
  | { kind: 'client_refused' };

export interface ChoiceInput {
  active: readonly Membership[];
  clientPracticeId?: string | undefined;
  chosen?: string | undefined;
  selectAccount?: boolean;
  hint?: string | undefined;
  grantPractice?: string | undefined;
  defaultPractice?: string | undefined;
}

export function decidePractice(input: ChoiceInput): PracticeDecision {
  const { active } = input;
  if (active.length === 0) return { kind: 'none' };
  const find = (id: string | undefined) => (id ? active.find((membership) => String(membership.practiceId) === id) : undefined);
  if (input.clientPracticeId) {
    const membership = find(input.clientPracticeId);
    return membership ? { kind: 'entered', membership, by: 'client' } : { kind: 'client_refused' };
  }
  const chosen = find(input.chosen);
  if (chosen) return { kind: 'entered', membership: chosen, by: 'chosen' };
  if (input.selectAccount && active.length > 1) return { kind: 'choose', memberships: [...active] };
  const hinted = find(input.hint);
  if (hinted) return { kind: 'entered', membership: hinted, by: 'hint' };
  if (active.length === 1) return { kind: 'entered', membership: active[0]!, by: 'only' };
  const kept = find(input.grantPractice);
  if (kept) return { kind: 'entered', membership: kept, by: 'grant' };
  const preferred = find(input.defaultPractice);
  if (preferred) return { kind: 'entered', membership: preferred, by: 'default' };
  return { kind: 'choose', memberships: [...active] };
}

/** A string parameter, or undefined. */
export function stringParam(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= 64 ? value : undefined;
}

/** The practice the client is registered to (client metadata `practice_id`), if any. */
export function clientPractice(client: { metadata(): Record<string, unknown> } | undefined): string | undefined {
  return stringParam(client?.metadata().practice_id);
}

export type PracticeFor = (ctx: KoaContextWithOIDC, accountId: string) => Promise<{ identity: Identity | null; decision: PracticeDecision }>;

/** The decision for a provider request (memoized per request: several checks ask). */
export function createPracticeFor(readsFor: RequestReadsFor): PracticeFor {
  const memo = new WeakMap<object, Map<string, Promise<{ identity: Identity | null; decision: PracticeDecision }>>>();
  return (ctx, accountId) => {
    let byAccount = memo.get(ctx);
    if (!byAccount) memo.set(ctx, (byAccount = new Map()));
    let pending = byAccount.get(accountId);
    if (!pending) {
      pending = decide(ctx, accountId);
      byAccount.set(accountId, pending);
    }
    return pending;
  };

  async function decide(ctx: KoaContextWithOIDC, accountId: string) {
    const reads = readsFor(ctx);
    const identity = await reads.user(accountId);
    if (!identity) return { identity, decision: { kind: 'none' } as const };
    const { oidc } = ctx;
    const params = oidc.params ?? {};
    const result = oidc.result as Record<string, { practiceId?: unknown } | undefined> | undefined;
    const grantId = oidc.client && oidc.session?.accountId === accountId ? oidc.session.grantIdFor(oidc.client.clientId) : undefined;
    const [active, entry] = await Promise.all([reads.activeMemberships(identity._id), grantId ? reads.entry(grantId) : null]);
    const decision = decidePractice({
      active,
      clientPracticeId: clientPractice(oidc.client),
      chosen: stringParam(result?.[PRACTICE_CHOSEN]?.practiceId),
      selectAccount: String(params.prompt ?? '').split(' ').includes('select_account'),
      hint: stringParam(params[PRACTICE_HINT]),
      grantPractice: entry ? String(entry.practiceId) : undefined,
      defaultPractice: identity.defaultPracticeId ? String(identity.defaultPracticeId) : undefined,
    });
    return { identity, decision };
  }
}

export function practiceIdOf(decision: PracticeDecision): Types.ObjectId | undefined {
  return decision.kind === 'entered' ? decision.membership.practiceId : undefined;
}
