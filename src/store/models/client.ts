// A registered EHR app or module (an OIDC relying party). The adapter turns it into oidc-provider
// client metadata (src/oidc/clients.ts); dynamic registration is off, so this is the only source.
import { Schema, type Connection, type Model, type Types } from 'mongoose';

export const CLIENT_AUTH_METHODS = ['none', 'client_secret_basic', 'client_secret_post', 'private_key_jwt'] as const;
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];

export interface Client {
  /** The client_id. */
  _id: string;
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri?: string;
  /** 'none' = public client (PKCE required). */
  authMethod: ClientAuthMethod;
  /** `sha256:<base64url>` of the client secret; see src/oidc/clients.ts for why not argon2. */
  secretHash?: string;
  /** Public keys for private_key_jwt: inline JWKS or a URL. */
  jwks?: { keys: Record<string, unknown>[] };
  jwksUri?: string;
  /** First-party modules skip the consent screen. */
  firstParty: boolean;
  /** Registered to one practice: every sign-in through it enters that practice (no chooser). */
  practiceId?: Types.ObjectId;
  /**
   * A machine-to-machine client (a lab interface, a scheduling sync): it obtains tokens for itself
   * with the client credentials grant and never signs a user in (no redirect URIs, no code flow).
   */
  serviceAccess: boolean;
  /**
   * Its back-channel logout and jwks_uri URLs may be on a private network (marked by the operator at
   * registration, audited); otherwise, in production, the provider calls public addresses only.
   */
  internal?: boolean;
  /** SMART scopes this client may be granted (src/smart/scopes.ts); none registered: none granted. */
  smartScopes?: string[];
  /**
   * Set on a FHIR server registered as a resource server (src/smart/resource-servers.ts): its base
   * URL, the `aud` apps name. Such a client only introspects tokens meant for it.
   */
  resourceServerUrl?: string;
  /** A FHIR server's patient picker for standalone launches (src/smart/picker/): where, and the keys its selections are signed with. */
  patientPicker?: { url: string; jwks: { keys: Record<string, unknown>[] } };
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<Client>({
  _id: { type: String, required: true },
  name: { type: String, required: true, trim: true, maxlength: 200 },
  // Required for sign-in clients; service clients have none (createClient checks both).
  redirectUris: { type: [String], default: [] },
  postLogoutRedirectUris: { type: [String], default: [] },
  backchannelLogoutUri: { type: String },
  authMethod: { type: String, enum: CLIENT_AUTH_METHODS, required: true },
  secretHash: { type: String },
  jwks: { type: Schema.Types.Mixed },
  jwksUri: { type: String },
  firstParty: { type: Boolean, default: false },
  practiceId: { type: Schema.Types.ObjectId, ref: 'Practice' },
  serviceAccess: { type: Boolean, default: false },
  internal: { type: Boolean, default: false },
  smartScopes: { type: [String], default: undefined },
  resourceServerUrl: { type: String, index: { unique: true, sparse: true } },
  patientPicker: { type: Schema.Types.Mixed },
  active: { type: Boolean, default: true },
}, { timestamps: true, collection: 'clients' });

export type ClientModel = Model<Client>;

export function clientModel(connection: Connection): ClientModel {
  return (connection.models.Client as ClientModel | undefined) ?? connection.model<Client>('Client', schema);
}
