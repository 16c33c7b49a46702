// The practice's logo, set by its admin on Practice security and shown on its users' pages.
//
// POST /admin/branding/logo          upload (multipart: _csrf + logo): PNG, JPEG or WebP by its
//                                    first bytes, at most 100 KB; a mistake is said next to the field
// POST /admin/branding/logo/remove   remove it
// GET  /practice-logo/:practice/:digest   the image, with its own type, `nosniff` and a CSP that
//                                    lets nothing run; cached for good (a new logo is a new URL)
//
// Both changes are audited as admin.practice.logo_changed (type, size and digest before/after).
import Router from '@koa/router';
import { Types } from 'mongoose';
import { requireSignIn } from '../../console/guard.js';
import { AppError, NotFoundError } from '../../errors.js';
import { csrfProtection } from '../../http/middleware/csrf.js';
import type { AdminRouterDeps } from '../router.js';
import { adminChange, adminOf, auditAdminAction, redirectWithNotice } from '../page.js';
import { showSecurityPage } from '../security.js';
import { checkLogo } from './image.js';
import { currentLogo, removeLogo, saveLogo } from './logo-store.js';
import { logoForm, type Upload } from './multipart.js';

const EVENT = 'admin.practice.logo_changed';

export function createBrandingRouter(services: AdminRouterDeps): Router {
  const router = new Router({ prefix: '/admin/branding' });
  router.use(logoForm(), csrfProtection({ secure: services.secureCookies }), requireSignIn(services, { mfa: true, role: 'admin' }));

  router.post('/logo', async (ctx) => {
    const upload = ctx.state.upload as Upload | undefined;
    const check = checkLogo(upload?.bytes ?? Buffer.alloc(0), upload?.truncated ?? false);
    if (!check.ok) {
      return showSecurityPage(ctx, services, new AppError('logo refused', { status: 400, code: 'invalid_input', userMessage: check.message, field: 'logo' }));
    }
    const { practiceId } = adminOf(ctx);
    const before = await currentLogo(services.models, practiceId);
    const after = await adminChange(ctx, services, { event: EVENT }, () => saveLogo(services.models, practiceId, upload!.bytes, check.type, new Date(services.now())));
    await auditAdminAction(ctx, services, { event: EVENT, details: { before, after } });
    redirectWithNotice(ctx, '/admin/security', 'logo_saved');
  });

  router.post('/logo/remove', async (ctx) => {
    const { practiceId } = adminOf(ctx);
    const before = await currentLogo(services.models, practiceId);
    if (!before) return redirectWithNotice(ctx, '/admin/security', 'unchanged');
    await adminChange(ctx, services, { event: EVENT }, () => removeLogo(services.models, practiceId));
    await auditAdminAction(ctx, services, { event: EVENT, details: { before, after: null } });
    redirectWithNotice(ctx, '/admin/security', 'logo_removed');
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
