// The fields of the audit entries the audit pages write about the admin's own reading (export,
// chain check): their practice, and where the request came from (src/admin/page.ts).
import type { Context } from 'koa';
import { adminOf, requestWhere } from '../page.js';

/** The admin's practice and where the request came from. */
export function requestInfo(ctx: Context) {
  return { practiceId: adminOf(ctx).practiceId.toHexString(), ...requestWhere(ctx) };
}
