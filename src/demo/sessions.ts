/**
 * In-memory browser sessions of one demo module, keyed by a random cookie value. A demo keeps them in
 * memory on purpose: restarting the module signs everyone out of it, never out of the provider.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** What /login remembers until /callback: the values the authorization response is checked against. */
export interface PendingLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** What /callback stores once the provider signed the user in. */
export interface SignedInUser {
  idToken: string;
  accessToken: string;
  claims: Readonly<Record<string, unknown>>;
  /** Claims from the UserInfo endpoint (name, practice, roles…): the ID token carries only `openid` ones. */
  profile: Readonly<Record<string, unknown>>;
  /** `sid` and `sub` from the ID token: what a back-channel logout token names. */
  sid: string | undefined;
  sub: string;
}

export interface DemoSession {
  readonly id: string;
  /** Per-session secret a state-changing form must echo back. */
  readonly csrfToken: string;
  expiresAt: number;
  pending?: PendingLogin;
  user?: SignedInUser;
}

export interface SessionStoreOptions {
  now?: () => number;
  /** Idle lifetime of a session in ms (default 8 hours: one clinic shift). */
  ttlMs?: number;
  /** Sessions kept at most; the oldest go first, so a flood of /login hits cannot grow memory. */
  maxSessions?: number;
}

export class SessionStore {
  private readonly sessions = new Map<string, DemoSession>();
  private readonly now: () => number;
  private readonly ttlMs: number;
  private readonly maxSessions: number;

  constructor(options: SessionStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.ttlMs = options.ttlMs ?? 8 * 60 * 60 * 1000;
    this.maxSessions = options.maxSessions ?? 10_000;
  }

  /** The live session with this id, its idle timer renewed; undefined when unknown or expired. */
  get(id: string | undefined): DemoSession | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    session.expiresAt = this.now() + this.ttlMs;
    return session;
  }

  create(): DemoSession {
    while (this.sessions.size >= this.maxSessions) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
    const session: DemoSession = { id: randomToken(), csrfToken: randomToken(), expiresAt: this.now() + this.ttlMs };
    this.sessions.set(session.id, session);
    return session;
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }

  /** Ends every signed-in session the predicate picks; returns how many ended. */
  endWhere(matches: (user: SignedInUser) => boolean): number {
    let ended = 0;
    for (const [id, session] of this.sessions) {
      if (session.user && matches(session.user)) {
        this.sessions.delete(id);
        ended += 1;
      }
    }
    return ended;
  }
}

/** 256 bits from the CSPRNG, URL- and cookie-safe. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison for secrets such as the CSRF token. */
export function sameSecret(expected: string, actual: unknown): boolean {
  if (typeof actual !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(actual);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Reads one cookie from a Cookie header (a ten-line parser beats a dependency). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** A Set-Cookie value: HttpOnly and SameSite=Lax always, Secure when the module is served over TLS. */
export function sessionCookie(name: string, value: string, secure: boolean, clear = false): string {
  const parts = [`${name}=${clear ? '' : value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (secure) parts.push('Secure');
  if (clear) parts.push('Max-Age=0');
  return parts.join('; ');
}
