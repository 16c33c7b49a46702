// Where the console gate sends a form it refuses (a session below what the page needs: signed out,
// idle, below the MFA level or, where the practice requires passkeys, below phr). The form is not
// replayed after the sign-in; the browser goes to a page, which then steps the session up and comes
// back to itself. Many forms post to an address that has no page of its own (/account/devices/
// forget-all, /admin/security/passkeys/phishing-resistant): landing there would be "not found" and
// no step-up at all. So: the form's own address when it has a page, else the nearest address above
// it that has one (/account/devices, /admin/security/passkeys), else the console's home.
import type { RouterContext } from '@koa/router';
import type { Context } from 'koa';

export function pageOfForm(ctx: Context): string {
  const router = (ctx as Partial<RouterContext>).router;
  // Only segments of this request's own path: the answer is always a path on this site.
  const segments = ctx.path.split('/').filter(Boolean);
  for (let length = segments.length; length > 1; length--) {
    const path = `/${segments.slice(0, length).join('/')}`;
    if (router?.match(path, 'GET').route) return path;
  }
  return `/${segments[0] ?? ''}`;
}
