// Pug rendering for our pages. Templates are compiled once; pug escapes every `#{}` and `=`
// interpolation, so user-controlled values are safe unless a template uses `!=` (only for the
// provider's own logout form, see oidc/pages.ts).
import { fileURLToPath } from 'node:url';
import pug from 'pug';

export const VIEWS_DIR = fileURLToPath(new URL('../../views/', import.meta.url));

export type Render = (view: string, locals?: Record<string, unknown>) => string;

export function createRenderer(viewsDir = VIEWS_DIR): Render {
  const compiled = new Map<string, pug.compileTemplate>();
  return (view, locals = {}) => {
    let template = compiled.get(view);
    if (!template) {
      template = pug.compileFile(`${viewsDir}${view}.pug`, { basedir: viewsDir });
      compiled.set(view, template);
    }
    return template(locals);
  };
}

/** Headers for every HTML page we render: no framing, no scripts, no sniffing. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};
