// Pug rendering for our pages. Templates are compiled once; pug escapes every `#{}` and `=`
// interpolation, so user-controlled values are safe unless a template uses `!=` (only for the
// provider's own logout form, see oidc/pages.ts).
import { fileURLToPath } from 'node:url';
import pug from 'pug';
import { LANGUAGE_NAMES, LANGUAGES } from '../i18n/languages.js';
import { currentLanguage, t } from '../i18n/request.js';

export const VIEWS_DIR = fileURLToPath(new URL('../../views/', import.meta.url));

export type Render = (view: string, locals?: Record<string, unknown>) => string;

/**
 * Compiled templates by file, shared by every renderer in the process: the files do not change while
 * it runs, and compiling one costs 10 to 20 ms of CPU, which a process building several apps or
 * renderers (an in-process CLI run, a test process starting a server per file) would otherwise pay
 * again for each.
 */
const compiledByFile = new Map<string, pug.compileTemplate>();

export function createRenderer(viewsDir = VIEWS_DIR): Render {
  return (view, locals = {}) => {
    const file = `${viewsDir}${view}.pug`;
    let template = compiledByFile.get(file);
    if (!template) {
      template = pug.compileFile(file, { basedir: viewsDir });
      compiledByFile.set(file, template);
    }
    // Every template may translate (`t('namespace:key')`) and names its language (`<html lang>`).
    const lang = currentLanguage();
    const otherLanguages = LANGUAGES.filter((other) => other !== lang).map((code) => ({ code, name: LANGUAGE_NAMES[code] }));
    return template({ t, lang, otherLanguages, ...locals });
  };
}

/**
 * Our pages: no script at all (`script-src 'none'` is spelled out so the provider's form_post page
 * can add the hash of its one inline script, see middleware/security-headers.ts), styles and images
 * from our origin only, never framed. Sent on every response, not only on pages.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'";

/** On every response (middleware/security-headers.ts). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Headers for every HTML page we render: the security headers, and never cached. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  ...SECURITY_HEADERS,
  'cache-control': 'no-store',
};
