// The signed selection a patient picker returns (docs/smart.md "Patient picker"): a compact JWS
// signed with a key registered for that picker, typed so no other JWT of the same key passes for it.
//
//   header  { "alg": "ES256", "typ": "patient-selection+jwt", "kid": "…" }
//   claims  { "iss": "<resource server id>", "aud": "<our issuer>", "state": "<the state we sent>",
//             "patient": "123", "encounter": "456" (optional), "iat": …, "exp": … (≤ 5 minutes later) }
//
// Only signature, type, issuer, audience, times and shape are checked here; the state's binding to
// the interaction, the session and single use are the service's (service.ts).
import { createLocalJWKSet, errors, jwtVerify } from 'jose';
import { SELECTION_ALGS, type PatientPicker } from './registration.js';

export const SELECTION_TYP = 'patient-selection+jwt';
/** How long a selection may live from its iat to its exp. */
export const SELECTION_MAX_LIFETIME_S = 5 * 60;
/** Clock difference between the picker and us that is tolerated. */
const CLOCK_TOLERANCE_S = 30;
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

export interface Selection {
  state: string;
  patient: string;
  encounter?: string;
}

export type SelectionRefusal = 'forged' | 'expired' | 'malformed';

export async function verifySelection(jws: string, picker: PatientPicker, o: { issuer: string; now: number }): Promise<Selection | SelectionRefusal> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(jws, createLocalJWKSet(picker.jwks as Parameters<typeof createLocalJWKSet>[0]), {
      algorithms: [...SELECTION_ALGS],
      typ: SELECTION_TYP,
      issuer: picker.id,
      audience: o.issuer,
      currentDate: new Date(o.now),
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ['iat', 'exp', 'state', 'patient'],
    }));
  } catch (error) {
    return error instanceof errors.JWTExpired ? 'expired' : 'forged';
  }
  const { iat, exp, state, patient, encounter } = payload as { iat: number; exp: number; state: unknown; patient: unknown; encounter?: unknown };
  if (exp - iat > SELECTION_MAX_LIFETIME_S || iat * 1000 > o.now + CLOCK_TOLERANCE_S * 1000) return 'expired';
  if (typeof state !== 'string' || typeof patient !== 'string' || !FHIR_ID.test(patient)) return 'malformed';
  if (encounter !== undefined && (typeof encounter !== 'string' || !FHIR_ID.test(encounter))) return 'malformed';
  return { state, patient, ...(encounter !== undefined ? { encounter } : {}) };
}
