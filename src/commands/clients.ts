// Client registration, the operator's alone (no admin page registers or changes an app): register,
// issue a new secret, remove. Each is audited intent-first with the client id; a secret is returned
// to be shown once and is never part of an entry.
import type { AuditLog } from '../audit/record.js';
import { AppError } from '../errors.js';
import type { OperatorActor } from './actor.js';
import { change, recordChange } from './audited.js';

/** What the audit entry shows of a registered client (src/oidc/clients.ts stores it). */
export interface RegisteredClient {
  _id: string;
  name: string;
  authMethod: string;
  firstParty: boolean;
  serviceAccess?: boolean;
  internal?: boolean;
  redirectUris: string[];
  backchannelLogoutUri?: string;
  jwksUri?: string;
}

/** The client's registration as src/oidc/clients.ts takes it (its own checks apply; the surface's
 *  wiring names its full type, which method parameters accept). */
export interface ClientRegistration {
  clientId?: string;
}

export interface CreatedClient {
  client: RegisteredClient;
  /** Shown once; never audited. */
  clientSecret?: string;
}

export interface ClientsDeps {
  audit: AuditLog;
  clients: {
    create(input: ClientRegistration): Promise<CreatedClient>;
    rotateSecret(clientId: string): Promise<string>;
    /** Whether a client was deleted. */
    remove(clientId: string): Promise<boolean>;
  };
}

export async function registerClient(deps: ClientsDeps, actor: OperatorActor, input: ClientRegistration): Promise<CreatedClient> {
  const about = input.clientId ? { clientId: input.clientId } : {};
  const created = await change(deps.audit, actor, about, 'admin.client.created', () => deps.clients.create(input));
  const { client } = created;
  // internal_targets: the operator allowed this client's URLs on a private network.
  await recordChange(deps.audit, actor, { clientId: client._id }, 'admin.client.created', {
    after: {
      authMethod: client.authMethod, firstParty: client.firstParty, serviceAccess: client.serviceAccess ?? false, internal: client.internal ?? false,
      redirectUris: client.redirectUris, backchannelLogoutUri: client.backchannelLogoutUri ?? null, jwksUri: client.jwksUri ?? null,
    },
  }, client.internal ? ['internal_targets'] : []);
  return created;
}

/** The new secret, to be shown once; the old one stops working at once. */
export async function rotateClientSecret(deps: ClientsDeps, actor: OperatorActor, clientId: string): Promise<string> {
  const secret = await change(deps.audit, actor, { clientId }, 'admin.client.secret_rotated', () => deps.clients.rotateSecret(clientId));
  await recordChange(deps.audit, actor, { clientId }, 'admin.client.secret_rotated', {});
  return secret;
}

export async function removeClient(deps: ClientsDeps, actor: OperatorActor, clientId: string): Promise<void> {
  const removed = await change(deps.audit, actor, { clientId }, 'admin.client.removed', () => deps.clients.remove(clientId));
  if (!removed) throw new AppError('client not found', { status: 404, code: 'client_not_found', userMessage: `No client with id ${clientId}.` });
  await recordChange(deps.audit, actor, { clientId }, 'admin.client.removed', { before: { clientId } });
}
