// A software WebAuthn authenticator in Node (node:crypto, ES256 on P-256): it registers with
// attestation "none" and answers sign-in challenges with real signatures, as a platform passkey
// does, so integration tests and the benchmark go through the provider's real verification
// (@simplewebauthn/server) without a browser. Knobs for the attacks: user verification off, a
// signature counter set back (a cloned authenticator), another userHandle.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

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

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];

  constructor(readonly origin: string) {}

  /** Answers registration options (PublicKeyCredentialCreationOptionsJSON) like navigator.credentials.create(). */
  register(options: { challenge: string; rp: { id?: string }; user: { id: string } }): Record<string, unknown> {
    const rpId = options.rp.id ?? new URL(this.origin).hostname;
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const publicCose = cbor(new Map<Cbor, Cbor>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, 'base64url')], [-3, Buffer.from(jwk.y!, 'base64url')]]));
    const credential: SoftCredential = { id: randomBytes(16), privateKey, publicCose, rpId, userHandle: options.user.id, counter: 0 };
    this.credentials.push(credential);
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
