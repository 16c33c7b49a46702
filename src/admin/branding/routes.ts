// The practice's logo, set by its admin on Practice security and shown on its users' pages.
//
// POST /admin/branding/logo          upload (multipart: _csrf + logo): PNG, JPEG or WebP by its
//                                    first bytes, at most 100 KB; a mistake is said next to the field
// POST /admin/branding/logo/remove   remove it
// GET  /practice-logo/:practice/:digest   the image, with its own type, `nosniff` and a CSP that
//                                    lets nothing run; cached for good (a new logo is a new URL)
//
// Both run the logo command (src/commands/practice-logo.ts), as the CLI's `practices logo` does.
import Router from '@koa/router';
import { Types } from 'mongoose';
import { requireSignIn } from '../../console/guard.js';
import { setPracticeLogo } from '../../commands/index.js';
import { NotFoundError } from '../../errors.js';
import { csrfProtection } from '../../http/middleware/csrf.js';
import type { AdminRouterDeps } from '../router.js';
import { adminActor, adminCommandDeps } from '../commands.js';
import { adminOf, formMistake, redirectWithNotice } from '../page.js';
import { showSecurityPage } from '../security.js';
import { logoForm, type Upload } from './multipart.js';

export function createBrandingRouter(services: AdminRouterDeps): Router {
  const router = new Router({ prefix: '/admin/branding' });
  router.use(logoForm(), csrfProtection({ secure: services.secureCookies }), requireSignIn(services, { mfa: true, role: 'admin' }));

  router.post('/logo', async (ctx) => {
    const upload = ctx.state.upload as Upload | undefined;
    try {
      await setPracticeLogo(adminCommandDeps(services), adminActor(ctx), adminOf(ctx).practiceId, { bytes: upload?.bytes ?? Buffer.alloc(0), truncated: upload?.truncated ?? false });
    } catch (err) {
      const mistake = formMistake(err);
      if (mistake) return showSecurityPage(ctx, services, mistake);
      throw err;
    }
    redirectWithNotice(ctx, '/admin/security', 'logo_saved');
  });

  router.post('/logo/remove', async (ctx) => {
    const removed = await setPracticeLogo(adminCommandDeps(services), adminActor(ctx), adminOf(ctx).practiceId, null);
    redirectWithNotice(ctx, '/admin/security', removed ? 'logo_removed' : 'unchanged');
  });
  return router;
}

/** Serves a logo by practice and digest; anything else is a 404. */
export function createPracticeLogoRouter(services: AdminRouterDeps): Router {
  const router = new Router();
  router.get('/practice-logo/:practice/:digest', async (ctx) => {
    const { practice, digest } = ctx.params;
    if (!practice || !Types.ObjectId.isValid(practice) || !/^[A-Za-z0-9_-]{43}$/.test(digest ?? '')) throw new NotFoundError('malformed logo URL');
    const logo = await services.models.PracticeLogo.findOne({ _id: practice, digest }).lean();
    if (!logo) throw new NotFoundError('no such logo');
    ctx.set({
      'content-security-policy': "default-src 'none'; sandbox",
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'same-origin',
      'cache-control': 'public, max-age=31536000, immutable',
    });
    ctx.type = logo.type;
    ctx.body = Buffer.from(logo.base64, 'base64');
  });
  return router;
}
