// The provider's only outgoing HTTP: back-channel logout POSTs and client jwks_uri GETs, to URLs an
// operator registered. With `publicOnly` (production's default) a URL may reach public addresses
// only, unless its client was registered as internal (audited, `clients create --internal`).
// The check happens at call time, on the addresses the connection will use: the name is resolved,
// every address checked, and the socket connects to a checked address (no second lookup a
// rebinding DNS server could answer differently). Redirects are never followed: a 3xx is returned
// as is (the provider then treats the call as failed). No request body or token is ever logged.
import { lookup as dnsLookup } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPublicAddress } from '../net/public-address.js';

export interface OutboundPolicy {
  /** Refuse non-public addresses (unless `isInternal`). */
  publicOnly: boolean;
  /** Was this exact URL registered by a client marked internal? */
  isInternal(url: string): Promise<boolean>;
  /** Told of each refused call (host and reason only). */
  onRefused?(url: URL, reason: string): void;
}

export class OutboundRefused extends Error {}

type FetchInit = { method?: string; headers?: ConstructorParameters<typeof Headers>[0]; body?: unknown; signal?: AbortSignal | null };

const NO_BODY_STATUSES = new Set([101, 204, 205, 304]);
/** A JWKS or a logout answer is a few KiB; a module cannot make the provider buffer more than this. */
export const MAX_RESPONSE_BYTES = 256 * 1024;

export function createOutboundFetch(policy: OutboundPolicy) {
  return async function outboundFetch(input: string | URL, init: FetchInit = {}): Promise<Response> {
    const url = new URL(String(input));
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new OutboundRefused(`${url.protocol} URLs are not called`);
    const guarded = policy.publicOnly && !(await policy.isInternal(url.href));
    const refuse = (reason: string) => {
      policy.onRefused?.(url, reason);
      return new OutboundRefused(`${url.host}: ${reason}`);
    };
    const literal = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (guarded && isIP(literal) && !isPublicAddress(literal)) throw refuse(`${literal} is not a public address`);

    const lookup: LookupFunction = (hostname, options, callback) => {
      dnsLookup(hostname, { all: true, ...(options.family ? { family: options.family } : {}) }, (err, addresses) => {
        if (err) return callback(err, '', 4);
        const blocked = guarded ? addresses.find(({ address }) => !isPublicAddress(address)) : undefined;
        if (blocked) return callback(refuse(`${hostname} resolves to ${blocked.address}, not a public address`), '', 4);
        if (options.all) return (callback as unknown as (e: null, a: typeof addresses) => void)(null, addresses);
        return callback(null, addresses[0]!.address, addresses[0]!.family);
      });
    };

    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const body = init.body === undefined || init.body === null ? undefined : String(init.body);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = send(url, { method: init.method ?? 'GET', headers, lookup, ...(init.signal ? { signal: init.signal } : {}) }, resolve);
      req.on('error', reject);
      req.end(body);
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response) {
      size += (chunk as Buffer).length;
      if (size > MAX_RESPONSE_BYTES) {
        response.destroy();
        throw new OutboundRefused(`${url.host}: response over ${MAX_RESPONSE_BYTES} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      for (const one of [value ?? []].flat()) responseHeaders.append(name, one);
    }
    const status = response.statusCode ?? 502;
    return new Response(NO_BODY_STATUSES.has(status) ? null : Buffer.concat(chunks), { status, headers: responseHeaders });
  };
}
