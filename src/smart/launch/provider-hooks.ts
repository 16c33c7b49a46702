// The EHR launch inside oidc-provider:
//   authorization request  `launch` (extraParams): claimed once, for this client only, in time
//   code issued            the claimed launch records the code (its jti)
//   picker (standalone) the resume that issues the code binds the chosen patient's record to it
//   token response         patient, encounter, fhirContext, need_patient_banner, smart_style_url
//                          from the launch of the redeemed code (provider-deps.ts puts patient,
//                          encounter and fhirContext on the JWT too, after the practice check)
import { errors, type KoaContextWithOIDC, type Provider } from 'oidc-provider';
import { bindPickerToCode, PICKER_RESULT } from '../picker/service.js';
import { bindLaunchToCode, claimLaunch, launchForCode, type ClaimRefusal, type LaunchDeps } from './service.js';

export const LAUNCH_PARAM = 'launch';

const REFUSALS: Record<ClaimRefusal, string> = {
  unknown: 'launch is not a launch value this provider issued',
  other_client: 'launch was issued for another app',
  expired: 'launch has expired (it is usable for 5 minutes)',
  used: 'launch was already used',
};

/** Validates and claims `launch` at the authorization request (oidc-provider extraParams validator). */
export function checkLaunchParam(deps: LaunchDeps) {
  return async (ctx: KoaContextWithOIDC, value: unknown, client: { clientId: string } | undefined): Promise<void> => {
    const asked = String(ctx.oidc.route === 'authorization' ? ctx.query.scope ?? '' : ctx.oidc.params?.scope ?? '').split(' ');
    if (value === undefined) {
      if (asked.includes('launch')) throw new errors.InvalidRequest('the launch scope needs the launch parameter the EHR gave the app');
      return;
    }
    if (typeof value !== 'string' || !client) throw new errors.InvalidRequest('launch must be one value');
    if (!asked.includes('launch')) throw new errors.InvalidRequest('the launch parameter goes with the launch scope');
    const refusal = await claimLaunch(deps, value, client.clientId);
    if (refusal) throw new errors.InvalidRequest(REFUSALS[refusal]);
  };
}

/** `readsFor`: the request's shared reads, which may already hold the code's launch (oidc/read-ahead.ts). */
type LaunchReads = (ctx: object) => { launchForCode(codeId: string): Promise<{ context?: object } | null> };

export function installLaunchContext(provider: Provider, deps: LaunchDeps, readsFor?: LaunchReads): void {
  provider.use(async (ctx, next) => {
    await next();
    const oidc = (ctx as KoaContextWithOIDC).oidc;
    if (!oidc) return;
    const code = oidc.entities.AuthorizationCode as { jti?: string } | undefined;
    if (!code?.jti) return;
    const launch = oidc.params?.[LAUNCH_PARAM];
    if ((oidc.route === 'authorization' || oidc.route === 'resume') && typeof launch === 'string') {
      await bindLaunchToCode(deps, launch, code.jti);
      return;
    }
    // A standalone launch's patient, chosen in the picker (src/smart/picker/).
    const chosen = (oidc.result as Record<string, unknown> | undefined)?.[PICKER_RESULT];
    if (oidc.route === 'resume' && typeof chosen === 'string' && oidc.session?.accountId) {
      await bindPickerToCode(deps, chosen, code.jti, oidc.session.accountId);
      return;
    }
    if (oidc.route === 'token' && ctx.status === 200 && ctx.body && typeof ctx.body === 'object') {
      const found = readsFor ? await readsFor(ctx).launchForCode(code.jti) : await launchForCode(deps, code.jti);
      if (found) Object.assign(ctx.body as Record<string, unknown>, found.context);
    }
  });
}
