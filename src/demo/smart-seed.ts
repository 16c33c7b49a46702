// Demo data for SMART (development only, like seed.ts): a made-up FHIR server the demo practice's
// tokens are for, its patient picker (served by the charting module, signing with a key made at each
// start), and the demo SMART app as a public client. Idempotent: a later start updates the URLs and
// the picker key to this start's; the demo clinician gets a fhirUser.
import { exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import type { AccountService } from '../accounts/service.js';
import { createClient, hashClientSecret } from '../oidc/clients.js';
import { setFhirUser } from '../smart/fhir-user-service.js';
import { setPatientPicker } from '../smart/picker/registration.js';
import { addResourceServer } from '../smart/resource-servers.js';
import type { Models } from '../store/models/index.js';
import { DEMO_USERS } from './seed.js';
import { SMART_APP_SCOPES } from './smart-app/app.js';

/** A FHIR base URL on a reserved name: nothing answers there, the tokens only name it as their audience. */
export const DEMO_FHIR = { id: 'demo-fhir', name: 'Demo FHIR server (made up)', baseUrl: 'https://fhir.demo-practice.example/r4' } as const;
export const DEMO_SMART_APP = { clientId: 'demo-smart-app', name: 'Growth Chart (demo SMART app)', defaultPort: 3003 } as const;
const PICKER_ALG = 'ES256';

export interface DemoSmart {
  fhirBase: string;
  smartAppClientId: string;
  picker: { resourceServerId: string; key: CryptoKey; kid: string; alg: string };
}

/** The demo clinician's record in the (made-up) health record: the app shows it as fhirUser. */
export const DEMO_CLINICIAN_FHIR_USER = 'Practitioner/demo-casey-rivera';

export async function ensureDemoSmart(deps: { models: Models; accounts: Pick<AccountService, 'findUserByEmail'> }, ports: { charting: number; smartApp: number }): Promise<DemoSmart> {
  const { models } = deps;
  // Left alone once set: an operator may have changed it on purpose.
  const clinician = await deps.accounts.findUserByEmail(DEMO_USERS.clinician.email);
  if (clinician && !clinician.fhirUser) await setFhirUser({ models }, clinician._id, DEMO_CLINICIAN_FHIR_USER);

  if (!(await models.Client.exists({ _id: DEMO_FHIR.id }))) {
    // Nothing introspects here, so the resource server's secret is not kept.
    await addResourceServer({ models, hashSecret: hashClientSecret }, DEMO_FHIR);
  }
  const { publicKey, privateKey } = await generateKeyPair(PICKER_ALG);
  const kid = `demo-picker-${Date.now().toString(36)}`;
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: PICKER_ALG, use: 'sig' };
  await setPatientPicker({ models, production: false }, DEMO_FHIR.id, { url: `http://localhost:${ports.charting}/patient-picker`, jwks: { keys: [jwk] } });

  const redirectUris = [`http://localhost:${ports.smartApp}/callback`];
  // `openid fhirUser` are OpenID scopes; the SMART ones a client may be granted are registered.
  const smartScopes = [...new Set([...SMART_APP_SCOPES.ehr.split(' '), ...SMART_APP_SCOPES.standalone.split(' ')])].filter((scope) => scope.includes('/') || scope === 'launch');
  if (await models.Client.exists({ _id: DEMO_SMART_APP.clientId })) {
    await models.Client.updateOne({ _id: DEMO_SMART_APP.clientId }, { $set: { redirectUris, smartScopes } });
  } else {
    await createClient(models, { clientId: DEMO_SMART_APP.clientId, name: DEMO_SMART_APP.name, redirectUris, authMethod: 'none', smartScopes });
  }
  return { fhirBase: DEMO_FHIR.baseUrl, smartAppClientId: DEMO_SMART_APP.clientId, picker: { resourceServerId: DEMO_FHIR.id, key: privateKey, kid, alg: PICKER_ALG } };
}
