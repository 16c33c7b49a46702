// Login step: email + password. Every failure (unknown user, inactive user, no password, wrong
// password) shows the same message after the same work (one argon2 verification).
import type { Context } from 'koa';
import { authenticatePassword } from '../accounts/authenticate.js';
import { formField } from '../http/middleware/form-body.js';
import { ACR_PASSWORD, AMR } from '../oidc/acr.js';
import { describeClient, finish, renderPage, type InteractionDeps, type InteractionDetails, type Step } from './context.js';

const FAILED = 'The email or password is not correct.';

async function showLogin(ctx: Context, details: InteractionDetails, deps: InteractionDeps, failure?: { email: string }) {
  const client = await describeClient(deps, details);
  const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : '';
  renderPage(ctx, deps, 'login', {
    title: 'Sign in',
    uid: details.uid,
    clientName: client.name,
    email: failure?.email ?? hint,
    error: failure ? FAILED : null,
  }, failure ? 401 : 200);
}

async function submitLogin(ctx: Context, details: InteractionDetails, deps: InteractionDeps) {
  const email = formField(ctx.state, 'email').trim().slice(0, 254);
  const password = formField(ctx.state, 'password');
  const result = await authenticatePassword(deps, email, password);
  if (!result.ok) return showLogin(ctx, details, deps, { email });

  await finish(ctx, deps, {
    login: {
      accountId: result.user.sub,
      acr: ACR_PASSWORD,
      amr: [AMR.password],
      ts: Math.floor(deps.now() / 1000),
      // A browser-session cookie: a shared clinic workstation forgets the sign-in when closed.
      remember: false,
    },
  });
}

export const loginStep: Step = {
  prompt: 'login',
  show: (ctx, details, deps) => showLogin(ctx, details, deps),
  actions: { login: submitLogin },
};
