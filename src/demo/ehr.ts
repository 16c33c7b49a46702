/**
 * The demo charting module as an EHR for SMART apps (docs/smart.md):
 *   POST /smart-launch    a signed-in clinician opens the demo SMART app for a patient: the module asks
 *                         the provider for a launch value (POST /smart/launch, its own client id and
 *                         secret) and sends the browser to the app's launch URL with iss and launch
 *   GET  /patient-picker  the FHIR server's patient picker of a standalone launch: made-up patients
 *   POST /patient-picker  returns the browser to the provider with a selection signed by the picker key
 *                         (or error=access_denied when cancelled)
 * The demo picker shows its made-up patients to whoever opens it; a real picker authenticates the
 * user (its EHR session, or a sign-in at the provider) and lists only the patients they may open.
 * The picker trusts no address from the query: the selection is addressed to the configured issuer
 * and only ever goes back to that issuer's interaction pages. The state the provider sent is the
 * picker form's anti-forgery value: it is unguessable and bound to the user's own sign-in.
 */
import { fileURLToPath } from 'node:url';
import { SignJWT, type CryptoKey } from 'jose';
import pug from 'pug';
import { DemoError, readForm } from './http-helpers.js';
import { DEMO_PATIENTS, demoPatient } from './patients.js';
import { cookieName, type ModuleContext, type Route } from './routes.js';
import { readCookie, sameSecret } from './sessions.js';

/** What the charting module needs to act as the demo EHR. */
export interface DemoEhrOptions {
  issuer: string;
  /** The module's own client secret: it authenticates to POST /smart/launch. */
  clientSecret: string;
  practiceId: string;
  /** The demo SMART app: its client id and, once it listens, its URL. */
  smartApp: { clientId: string; url: () => string | undefined };
  fhirBase: string;
  /** The picker's signing key; its public half is registered with the FHIR server (smart-seed.ts). */
  picker: { resourceServerId: string; key: CryptoKey; kid: string; alg: string };
}

const SELECTION_TYP = 'patient-selection+jwt';
const SELECTION_LIFETIME_S = 120;
const pickerPage = pug.compileFile(fileURLToPath(new URL('./views/picker.pug', import.meta.url)));

export const ehrRoutes: Record<string, Route> = {
  'POST /smart-launch': async (ctx, m) => {
    const ehr = ehrOf(m);
    const form = await readForm(ctx);
    const session = m.sessions.get(readCookie(ctx.get('cookie'), cookieName(m)));
    if (!session?.user) throw new DemoError(401, 'Sign in to the charting module first.');
    if (!sameSecret(session.csrfToken, form.get('csrf'))) throw new DemoError(403, 'This form has expired. Reload the page and try again.');
    const patient = demoPatient(form.get('patient'));
    const appUrl = ehr.smartApp.url();
    if (!patient) throw new DemoError(400, 'Choose one of the demo patients.');
    if (!appUrl) throw new DemoError(503, 'The demo SMART app is not running (see the warning printed at start).');
    const response = await fetch(new URL('/smart/launch', ehr.issuer), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${encodeURIComponent(m.clientId)}:${encodeURIComponent(ehr.clientSecret)}`).toString('base64')}` },
      body: JSON.stringify({ client_id: ehr.smartApp.clientId, practice: ehr.practiceId, patient: patient.id, encounter: patient.encounter, need_patient_banner: true }),
    });
    const body = (await response.json().catch(() => ({}))) as { launch?: string; error_description?: string };
    if (response.status !== 201 || !body.launch) throw new DemoError(502, `The provider gave no launch value (${body.error_description ?? response.status}).`);
    const launch = new URL('/launch', `${appUrl}/`);
    launch.search = new URLSearchParams({ iss: ehr.fhirBase, launch: body.launch }).toString();
    ctx.status = 303;
    ctx.redirect(launch.href);
  },

  'GET /patient-picker': async (ctx, m) => {
    const ehr = ehrOf(m);
    const { state, return_uri: returnUri, client_id: clientId } = ctx.query;
    if (typeof state !== 'string' || !state || typeof returnUri !== 'string' || !isInteractionUri(returnUri, ehr.issuer)) {
      throw new DemoError(400, 'The patient picker opens from a sign-in at the practice account only.');
    }
    ctx.type = 'html';
    ctx.body = pickerPage({ state, returnUri, clientId: typeof clientId === 'string' ? clientId : 'An app', patients: DEMO_PATIENTS });
  },

  'POST /patient-picker': async (ctx, m) => {
    const ehr = ehrOf(m);
    const form = await readForm(ctx);
    const state = form.get('state');
    const returnUri = form.get('return_uri');
    if (!state || !returnUri || !isInteractionUri(returnUri, ehr.issuer)) throw new DemoError(400, 'The patient picker opens from a sign-in at the practice account only.');
    const back = new URL(returnUri);
    if (form.get('cancel')) {
      back.search = new URLSearchParams({ error: 'access_denied', state }).toString();
    } else {
      const patient = demoPatient(form.get('patient'));
      if (!patient) throw new DemoError(400, 'Choose one of the demo patients.');
      const now = Math.floor(m.now() / 1000);
      const selection = await new SignJWT({ state, patient: patient.id })
        .setProtectedHeader({ alg: ehr.picker.alg, typ: SELECTION_TYP, kid: ehr.picker.kid })
        .setIssuer(ehr.picker.resourceServerId).setAudience(ehr.issuer)
        .setIssuedAt(now).setExpirationTime(now + SELECTION_LIFETIME_S)
        .sign(ehr.picker.key);
      back.search = new URLSearchParams({ selection }).toString();
    }
    ctx.status = 303;
    ctx.redirect(back.href);
  },
};

function ehrOf(m: ModuleContext): DemoEhrOptions {
  if (!m.ehr) throw new DemoError(404, 'There is no such page in this module.');
  return m.ehr;
}

/** An interaction page of the configured provider: `<issuer>/interaction/<uid>/patient`. */
function isInteractionUri(uri: string, issuer: string): boolean {
  const url = URL.parse(uri);
  const base = issuer.replace(/\/+$/, '');
  return url !== null && !url.search && !url.hash && url.href.startsWith(`${base}/`) && /^\/interaction\/[A-Za-z0-9_-]+\/patient$/.test(url.href.slice(base.length));
}
