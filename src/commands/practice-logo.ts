// Set or remove a practice's logo: the one action behind the admin upload (/admin/branding/logo)
// and the operator's `practices logo`. The image is checked by its first bytes and size before
// anything is stored (a refusal changes nothing and records nothing but the refused intent);
// the change is audited as admin.practice.logo_changed with the type, size and digest before and
// after; removing a logo the practice does not have changes and records nothing.
import type { Types } from 'mongoose';
import type { AuditLog } from '../audit/record.js';
import { appError } from '../errors.js';
import { assertInScope, type Actor } from './actor.js';
import { change, recordChange } from './audited.js';

export interface LogoFacts {
  type: string;
  bytes: number;
  digest: string;
}

/** The check's verdict: a type we store, or the sentence that says what to fix. */
export type LogoVerdict<T extends string = string> = { ok: true; type: T } | { ok: false; message: string };

export interface PracticeLogoDeps {
  audit: AuditLog;
  logos: {
    check(bytes: Uint8Array, truncated: boolean): LogoVerdict;
    current(practiceId: Types.ObjectId): Promise<LogoFacts | null>;
    save(practiceId: Types.ObjectId, bytes: Buffer, type: string): Promise<LogoFacts>;
    remove(practiceId: Types.ObjectId): Promise<void>;
  };
}

const EVENT = 'admin.practice.logo_changed';

/** `image` null removes the logo. Returns whether anything changed. */
export async function setPracticeLogo(deps: PracticeLogoDeps, actor: Actor, practiceId: Types.ObjectId, image: { bytes: Buffer; truncated?: boolean } | null): Promise<boolean> {
  assertInScope(actor, practiceId);
  const about = { practiceId };
  if (image) {
    const verdict = deps.logos.check(image.bytes, image.truncated ?? false);
    if (!verdict.ok) throw appError('invalid_input', { detail: 'logo refused', message: verdict.message, field: 'logo' });
    const before = await deps.logos.current(practiceId);
    const after = await change(deps.audit, actor, about, EVENT, () => deps.logos.save(practiceId, image.bytes, verdict.type));
    await recordChange(deps.audit, actor, about, EVENT, { before, after });
    return true;
  }
  const before = await deps.logos.current(practiceId);
  if (!before) return false;
  await change(deps.audit, actor, about, EVENT, () => deps.logos.remove(practiceId));
  await recordChange(deps.audit, actor, about, EVENT, { before, after: null });
  return true;
}
