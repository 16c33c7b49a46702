// A software WebAuthn authenticator in Node (node:crypto, ES256 on P-256): it registers with
// attestation "none" and answers sign-in challenges with real signatures, as a platform passkey
// does, so integration tests and the benchmark go through the provider's real verification
// (@simplewebauthn/server) without a browser. Knobs for the attacks: user verification off, a
// signature counter set back (a cloned authenticator), another userHandle.
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

type Cbor = number | Uint8Array | string | Map<Cbor, Cbor>;

function head(major: number, length: number): number[] {
  if (length < 24) return [(major << 5) | length];
  if (length < 256) return [(major << 5) | 24, length];
  return [(major << 5) | 25, length >> 8, length & 0xff];
}

/** The few CBOR shapes WebAuthn needs: integers, byte and text strings, maps. */
function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return Buffer.from(value >= 0 ? head(0, value) : head(1, -1 - value));
  if (typeof value === 'string') return Buffer.concat([Buffer.from(head(3, Buffer.byteLength(value))), Buffer.from(value)]);
  if (value instanceof Uint8Array) return Buffer.concat([Buffer.from(head(2, value.length)), value]);
  return Buffer.concat([Buffer.from(head(5, value.size)), ...[...value].flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();
const FLAG = { userPresent: 0x01, userVerified: 0x04, backupEligible: 0x08, backedUp: 0x10, attested: 0x40 } as const;

export interface SoftCredential {
  id: Buffer;
  privateKey: KeyObject;
  publicCose: Buffer;
  rpId: string;
  /** The user handle the authenticator stores with a discoverable credential. */
  userHandle: string;
  counter: number;
}

export interface AssertOptions {
  userVerified?: boolean;
  /** Sign with this counter (default: one more than the last). */
  counter?: number;
  /** Send another user handle than the stored one (base64url), or none. */
  userHandle?: string | null;
}

/** A credential as plain JSON (to hand from the process that stored it to the one that signs with it). */
export interface ExportedCredential {
  id: string;
  privateKeyPkcs8: string;
  publicCose: string;
  rpId: string;
  userHandle: string;
  counter: number;
}

/** The WebAuthn options a page carries for its script (`<script id="webauthn-options" type="application/json">`). */
export function webauthnOptionsOf<T = { challenge: string; rpId?: string; rp: { id?: string }; user: { id: string } }>(html: string): T {
  const json = /<script id="webauthn-options" type="application\/json">([^<]*)<\/script>/.exec(html)?.[1];
  if (!json) throw new Error('no WebAuthn options on the page');
  return JSON.parse(json) as T;
}

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];

  constructor(readonly origin: string) {}

  /** A new discoverable credential for `rpId` and `userHandle` (base64url), made without a ceremony. */
  create(rpId: string, userHandle: string): SoftCredential {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const publicCose = cbor(new Map<Cbor, Cbor>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, 'base64url')], [-3, Buffer.from(jwk.y!, 'base64url')]]));
    const credential: SoftCredential = { id: randomBytes(16), privateKey, publicCose, rpId, userHandle, counter: 0 };
    this.credentials.push(credential);
    return credential;
  }

  static exported(credential: SoftCredential): ExportedCredential {
    return {
      id: b64url(credential.id), privateKeyPkcs8: credential.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url'),
      publicCose: b64url(credential.publicCose), rpId: credential.rpId, userHandle: credential.userHandle, counter: credential.counter,
    };
  }

  adopt(exported: ExportedCredential): SoftCredential {
    const credential: SoftCredential = {
      id: Buffer.from(exported.id, 'base64url'), privateKey: createPrivateKey({ key: Buffer.from(exported.privateKeyPkcs8, 'base64url'), format: 'der', type: 'pkcs8' }),
      publicCose: Buffer.from(exported.publicCose, 'base64url'), rpId: exported.rpId, userHandle: exported.userHandle, counter: exported.counter,
    };
    this.credentials.push(credential);
    return credential;
  }

  /** Answers registration options (PublicKeyCredentialCreationOptionsJSON) like navigator.credentials.create(). */
  register(options: { challenge: string; rp: { id?: string }; user: { id: string } }): Record<string, unknown> {
    const rpId = options.rp.id ?? new URL(this.origin).hostname;
    const credential = this.create(rpId, options.user.id);
    const { publicCose } = credential;
    const authData = Buffer.concat([
      sha256(rpId), Buffer.from([FLAG.userPresent | FLAG.userVerified | FLAG.attested]), Buffer.alloc(4),
      Buffer.alloc(16), Buffer.from([0, credential.id.length]), credential.id, publicCose,
    ]);
    const clientDataJSON = JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin: this.origin, crossOrigin: false });
    return {
      id: b64url(credential.id), rawId: b64url(credential.id), type: 'public-key', clientExtensionResults: {}, authenticatorAttachment: 'platform',
      response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(cbor(new Map<Cbor, Cbor>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]))), transports: ['internal'] },
    };
  }

  /** Answers request options like navigator.credentials.get(): with `credential`, or the first one it holds. */
  assert(options: { challenge: string; rpId?: string }, credential = this.credentials[0], how: AssertOptions = {}): Record<string, unknown> {
    if (!credential) throw new Error('the authenticator holds no credential');
    credential.counter = how.counter ?? credential.counter + 1;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(credential.counter);
    const flags = FLAG.userPresent | (how.userVerified === false ? 0 : FLAG.userVerified);
    const authData = Buffer.concat([sha256(options.rpId ?? credential.rpId), Buffer.from([flags]), counter]);
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin: this.origin, crossOrigin: false }));
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), credential.privateKey);
    const userHandle = how.userHandle === undefined ? credential.userHandle : how.userHandle;
    return {
      id: b64url(credential.id), rawId: b64url(credential.id), type: 'public-key', clientExtensionResults: {}, authenticatorAttachment: 'platform',
      response: { clientDataJSON: b64url(clientDataJSON), authenticatorData: b64url(authData), signature: b64url(signature), ...(userHandle === null ? {} : { userHandle }) },
    };
  }
}
