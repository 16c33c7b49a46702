// Consent step. First-party modules of the EHR are approved without asking; other apps show what
// they ask for, and the user approves (grant saved) or denies (access_denied back to the app).
import type { Context } from 'koa';
import { formField } from '../http/middleware/form-body.js';
import { t } from '../i18n/request.js';
import { describeSmartScope } from '../smart/scope-text.js';
import { scopeSentence } from '../i18n/smart-scopes.js';
import { describeClient, finish, type InteractionDeps, type InteractionDetails, type Step } from './context.js';
import { renderPage } from '../http/page.js';

const SCOPES_DESCRIBED = new Set(['openid', 'profile', 'email', 'offline_access']);

async function approve(ctx: Context, details: InteractionDetails, deps: InteractionDeps) {
  const provider = deps.provider();
  const { prompt, params, session, grantId } = details;
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session!.accountId, clientId: String(params.client_id) });
  if (!grant) throw new Error('grant referenced by the interaction no longer exists');

  const missing = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  await finish(ctx, details, { consent: { grantId: await grant.save() } });
}

async function showConsent(ctx: Context, details: InteractionDetails, deps: InteractionDeps) {
  const client = await describeClient(deps, details);
  if (client.firstParty) return approve(ctx, details, deps);
  const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
  // SMART scopes for the FHIR server (src/smart/scope-text.ts) follow the OIDC ones.
  const resourceScopes = Object.values(missing.missingResourceScopes ?? {}).flat();
  const scopes = [...(missing.missingOIDCScope ?? []), ...resourceScopes].map((scope) => (SCOPES_DESCRIBED.has(scope) ? t(`signin:consent.scope.${scope}`) : smartSentence(scope)));
  renderPage(ctx, deps.render, 'consent', {
    title: t('signin:consent.title', { client: client.name }),
    uid: details.uid,
    clientName: client.name,
    scopes,
    claims: missing.missingOIDCClaims ?? [],
  });
}

async function decide(ctx: Context, details: InteractionDetails, deps: InteractionDeps) {
  if (formField(ctx.state, 'decision') === 'approve') return approve(ctx, details, deps);
  await finish(ctx, details, { error: 'access_denied', error_description: 'The user did not allow access.' });
}

export const consentStep: Step = {
  prompt: 'consent',
  show: showConsent,
  actions: { consent: decide },
};

/** A SMART scope in the reader's words; a scope SMART does not define shows as written. */
function smartSentence(scope: string): string {
  const text = describeSmartScope(scope);
  return text ? scopeSentence(text) : scope;
}
