// Reads the logo form (multipart/form-data): its CSRF field into ctx.state.form, where the CSRF
// check looks for it, and the one file into ctx.state.upload, bounded: at most LOGO_MAX_BYTES + 1
// bytes are kept (the extra byte tells "too large"), few short fields, one file. Parsed by busboy.
// A url-encoded POST (the removal) goes to the usual form parser.
import busboy from 'busboy';
import type { Context, Middleware, Next } from 'koa';
import { AppError } from '../../errors.js';
import { formBody } from '../../http/middleware/form-body.js';
import { LOGO_MAX_BYTES } from './image.js';

export interface Upload {
  bytes: Buffer;
  truncated: boolean;
}

const unreadable = () => new AppError('unreadable upload', { status: 400, code: 'invalid_request', userMessage: 'This form could not be read. Please reload the page and try again.' });

export function logoForm(): Middleware {
  const urlEncoded = formBody();
  return async (ctx: Context, next: Next) => {
    if (ctx.method !== 'POST' || !ctx.is('multipart/form-data')) return urlEncoded(ctx, next);
    const form: Record<string, string> = Object.create(null);
    const upload: Upload = { bytes: Buffer.alloc(0), truncated: false };
    await new Promise<void>((resolve, reject) => {
      let parser: busboy.Busboy;
      try {
        parser = busboy({ headers: ctx.req.headers, limits: { fields: 5, fieldSize: 1024, files: 1, fileSize: LOGO_MAX_BYTES + 1, parts: 6 } });
      } catch {
        return reject(unreadable());
      }
      parser.on('field', (name, value) => {
        if (name === '_csrf') form._csrf = value;
      });
      parser.on('file', (name, stream) => {
        if (name !== 'logo') return stream.resume();
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('limit', () => { upload.truncated = true; });
        stream.on('close', () => { upload.bytes = Buffer.concat(chunks); });
      });
      parser.on('error', () => reject(unreadable()));
      parser.on('close', () => resolve());
      ctx.req.pipe(parser);
    });
    ctx.state.form = form;
    ctx.state.upload = upload;
    await next();
  };
}
