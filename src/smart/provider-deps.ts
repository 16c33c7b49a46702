// The store-backed dependencies of the SMART provider options (provider-options.ts).
import type { Types } from 'mongoose';
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type { Models } from '../store/models/index.js';
import { resolveFhirUser } from './fhir-user.js';
import { launchForCode, type LaunchDeps } from './launch/service.js';
import type { SmartProviderDeps } from './provider-options.js';
import { findResourceServer } from './resource-servers.js';

export function createSmartProviderDeps(models: Pick<Models, 'Client' | 'User' | 'SmartLaunch' | 'PracticeEntry'>, now: () => number): SmartProviderDeps {
  const launches: LaunchDeps = { models, now };
  return {
    launches,
    findResourceServer: (baseUrl) => findResourceServer({ models }, baseUrl),
    async soleResourceServer() {
      const servers = await models.Client.find({ resourceServerUrl: { $exists: true }, active: true }, { resourceServerUrl: 1 }).limit(2).lean();
      return servers.length === 1 ? servers[0]!.resourceServerUrl : undefined;
    },
    async tokenClaims(ctx: KoaContextWithOIDC, token) {
      const audience = (token as { aud?: string | string[] }).aud;
      const baseUrl = Array.isArray(audience) ? audience[0] : audience;
      if (!token.accountId || !baseUrl) return undefined;
      const found = await models.User.findOne({ sub: token.accountId }, { fhirUser: 1 }).lean();
      if (!found) return undefined;
      // The practice this token's grant entered (src/oidc/practice-grant.ts).
      const grantId = (token as { grantId?: string }).grantId;
      const entry = grantId ? await models.PracticeEntry.findById(grantId, { practiceId: 1 }).lean() : null;
      const user = { ...found, practiceId: entry?.practiceId };
      const code = ctx.oidc.entities.AuthorizationCode as { jti?: string } | undefined;
      const launch = code?.jti ? await launchForCode(launches, code.jti) : undefined;
      // The patient belongs to the practice the EHR launched from: a member of another practice gets nothing.
      if (launch && !launchFitsUser(launch, token.accountId, user.practiceId)) throw new errors.InvalidGrant('the launch belongs to another practice than the signed-in user');
      const { patient, encounter, fhirContext } = launch?.context ?? {};
      return {
        ...(user.fhirUser ? { fhirUser: resolveFhirUser(user.fhirUser, baseUrl) } : {}),
        ...(patient ? { patient } : {}),
        ...(encounter ? { encounter } : {}),
        ...(fhirContext ? { fhirContext } : {}),
      };
    },
  };
}

/**
 * An EHR launch is for the members of its practice; a patient chosen in the picker of a standalone
 * launch (src/smart/picker/) is for the user who chose it.
 */
function launchFitsUser(launch: { practiceId?: Types.ObjectId; picker?: { accountId: string } }, accountId: string, practiceId: Types.ObjectId | undefined): boolean {
  if (launch.picker) return launch.picker.accountId === accountId;
  return practiceId !== undefined && launch.practiceId?.equals(practiceId) === true;
}
