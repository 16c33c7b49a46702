// GET /dev/outbox (development only): the messages the outbox stood in for, newest first, so a
// newcomer can read the sign-in code without SMS or SMTP. It exists only while a channel is the
// outbox, which production never allows; anywhere else the path is an ordinary 404. In the
// request's language, like every page.
import type { Middleware } from 'koa';
import type { Outbox } from '../../mfa/channels/outbox.js';
import { t } from '../../i18n/request.js';
import { formatInstant } from '../../mfa/channels/wording.js';
import { renderPage } from '../page.js';
import type { Render } from '../render.js';

export const OUTBOX_PATH = '/dev/outbox';

export function devOutbox(outbox: Outbox | undefined, production: boolean, render: Render): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== OUTBOX_PATH || ctx.method !== 'GET' || !outbox || production) return next();
    renderPage(ctx, render, 'dev-outbox', {
      title: t('outbox:title'),
      // The server's messages, not one practice's: the instant in UTC, in the reader's language.
      entries: outbox.list().map((entry) => ({ ...entry, at: formatInstant(entry.at, 'UTC') })),
    });
  };
}
