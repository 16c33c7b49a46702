// The practice chooser: a person with several active memberships says which practice this sign-in
// enters. Two moments ask: a new sign-in right after its password (held on the interaction,
// signed in nowhere; the chosen practice's rules then decide about a code: login.ts
// enterPractice), and an SSO request whose practice is not decided (the `select_account` prompt;
// the mfa prompt then applies the chosen practice's rules). Only the person's own active
// practices are listed and accepted.
import type { Context } from 'koa';
import { joinMember } from '../accounts/memberships.js';
import { formField } from '../http/middleware/form-body.js';
import { renderPage } from '../http/page.js';
import { t } from '../i18n/request.js';
import { PRACTICE_CHOSEN } from '../oidc/practice-choice.js';
import { appError } from '../errors.js';
import { describeClient, finish, type InteractionDeps, type InteractionDetails, type Step } from './context.js';
import { enterPractice } from './login.js';
import { pendingSignIn, samePassword } from './pending-sign-in.js';

async function chooser(deps: InteractionDeps, details: InteractionDetails) {
  const pending = pendingSignIn(details);
  const sub = pending?.accountId ?? details.session?.accountId;
  const identity = sub ? await deps.models.User.findOne({ sub }).lean() : null;
  if (!identity || (pending && !samePassword(pending, identity))) throw appError('interaction_ended', { detail: 'practice chooser without a signed-in person' });
  const memberships = await deps.models.Membership.find({ userId: identity._id, status: 'active' }).sort({ createdAt: 1, _id: 1 }).lean();
  const practices = await deps.models.Practice.find({ _id: { $in: memberships.map((m) => m.practiceId) } }, { name: 1 }).sort({ name: 1 }).lean();
  return { identity, memberships, practices, held: Boolean(pending) };
}

async function show(ctx: Context, details: InteractionDetails, deps: InteractionDeps, error?: string) {
  const { practices } = await chooser(deps, details);
  const client = await describeClient(deps, details);
  renderPage(ctx, deps.render, 'practice', {
    title: t('signin:practice.title'),
    uid: details.uid,
    clientName: client.name,
    practices: practices.map((practice) => ({ id: String(practice._id), name: practice.name })),
    error: error ?? null,
  }, error ? 400 : 200);
}

async function choose(ctx: Context, details: InteractionDetails, deps: InteractionDeps) {
  const { identity, memberships, held } = await chooser(deps, details);
  const picked = formField(ctx.state, 'practice');
  const membership = memberships.find((m) => String(m.practiceId) === picked);
  if (!membership) return show(ctx, details, deps, t('signin:practice.not_member'));
  // A new sign-in: the chosen practice's rules decide about the code, then it completes.
  if (held) return enterPractice(ctx, details, deps, joinMember(identity, membership));
  // An SSO request: the answer to select_account; the mfa prompt applies this practice's rules next.
  await finish(ctx, details, { [PRACTICE_CHOSEN]: { practiceId: String(membership.practiceId) } });
}

export const practiceStep: Step = {
  prompt: 'select_account',
  show: (ctx, details, deps) => show(ctx, details, deps),
  actions: { practice: choose },
};
