// The language of the request being served, without threading it through every call: a Koa
// middleware opens an AsyncLocalStorage scope per request holding what the request says (switcher
// cookie, Accept-Language); steps that learn more add it (the interaction's `ui_locales`, the
// practice once the user is known). Pages, error messages and the emails and texts sent while the
// request runs all read `currentLanguage()`. Outside any request (CLI, timers) it is the default,
// unless a caller runs the work `withLanguage(...)` (e.g. a notice in its recipient's language).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Middleware } from 'koa';
import { chooseLanguage, DEFAULT_LANGUAGE, isLanguage, requestLanguage, type Language } from './languages.js';
import { translateIn, type Translate } from './translator.js';

/**
 * The switcher's choice: a preference, not a secret (HttpOnly anyway; SameSite=Lax so a link keeps
 * it). A session cookie: the next person at a shared workstation starts from their own browser's
 * language once the browser is closed.
 */
export const LANGUAGE_COOKIE = 'lang';

interface LanguageScope {
  chosen?: string;
  uiLocales?: unknown;
  acceptLanguage?: string;
  practiceDefault?: unknown;
  /** Set by withLanguage: wins over everything the request says. */
  fixed?: Language;
}

const scopes = new AsyncLocalStorage<LanguageScope>();

/**
 * Opens the request's language scope. `?lang=es` (the switcher's links) is remembered in a cookie
 * so the next pages of the same flow (reset, code page) stay in the language picked.
 */
export function languageScope(options: { secureCookies: boolean }): Middleware {
  // The header is read and written by hand: touching ctx.cookies this early would fix Koa's idea of
  // "secure" before the trusted-proxy middleware has read X-Forwarded-Proto.
  const attributes = `; Path=/; HttpOnly; SameSite=Lax${options.secureCookies ? '; Secure' : ''}`;
  return (ctx, next) => {
    const asked = ctx.query.lang;
    let chosen = /(?:^|;\s*)lang=(\w{2})(?:;|$)/.exec(ctx.get('cookie'))?.[1];
    if (typeof asked === 'string' && isLanguage(asked)) {
      chosen = asked;
      ctx.append('Set-Cookie', `${LANGUAGE_COOKIE}=${asked}${attributes}`);
    }
    // ui_locales on the request itself: the provider's own pages for /auth (an unknown client…).
    const uiLocales = ctx.query.ui_locales;
    return scopes.run({ ...(chosen ? { chosen } : {}), ...(typeof uiLocales === 'string' ? { uiLocales } : {}), acceptLanguage: ctx.get('accept-language') }, next);
  };
}

/** The app's `ui_locales` (oidc-provider keeps it in the interaction's params). */
export function useUiLocales(value: unknown): void {
  const scope = scopes.getStore();
  if (scope && value !== undefined) scope.uiLocales = value;
}

/** The practice's default language, for when nothing the request says settles it. */
export function usePracticeLanguage(language: unknown): void {
  const scope = scopes.getStore();
  if (scope) scope.practiceDefault = language;
}

/** Does choosing need the practice default? (Then a caller may look the practice up; else it need not.) */
export function needsPracticeLanguage(): boolean {
  const scope = scopes.getStore();
  return !!scope && !scope.fixed && requestLanguage(scope) === undefined && scope.practiceDefault === undefined;
}

/** The language the request itself asked for (switcher, ui_locales, Accept-Language), if any: what a sign-in remembers. */
export function askedLanguage(): Language | undefined {
  const scope = scopes.getStore();
  return scope && !scope.fixed ? requestLanguage(scope) : undefined;
}

export function currentLanguage(): Language {
  const scope = scopes.getStore();
  if (!scope) return DEFAULT_LANGUAGE;
  return scope.fixed ?? chooseLanguage(scope);
}

/** Runs `work` (and everything it awaits) in one language, e.g. a notice in its recipient's. */
export function withLanguage<T>(language: Language, work: () => T): T {
  return scopes.run({ fixed: language }, work);
}

/** Translates in the current request's language. */
export const t: Translate = (key, options) => translateIn(currentLanguage(), key, options);
