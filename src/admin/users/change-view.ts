// How a pending change reads on the admin pages: what is asked, by whom, what it still waits for.
import type { AccountChange } from '../../store/models/account-change.js';
import { shown } from '../../accounts/account-change/record.js';
import { formatInstant } from '../../mfa/channels/wording.js';
import { t } from '../../i18n/request.js';
import { USER_ROLES } from '../../store/models/user.js';

export function describeChange(change: AccountChange, viewer: { sub: string; timeZone?: string | null }) {
  return {
    id: change._id,
    kind: change.kind,
    what: t(`admin:change.what.${change.kind}`),
    before: change.kind === 'role' && change.before ? roleWord(change.before) : shown(change.kind, change.before) ?? t('admin:none'),
    // Typed by an admin of the practice: shown in full to its admins, like the user's own values.
    after: change.kind === 'role' ? roleWord(change.after) : change.after,
    requestedAt: formatInstant(change.requestedAt, viewer.timeZone),
    expiresAt: formatInstant(change.expiresAt, viewer.timeZone),
    requestedByMe: change.requestedBy.sub === viewer.sub,
    proofNeeded: change.proofNeeded && !change.provenAt,
    approvalNeeded: change.approvalNeeded && !change.approvedBy,
  };
}

/** A role code as the reader says it ("clinician" → "Clínico"). */
function roleWord(role: string): string {
  return (USER_ROLES as readonly string[]).includes(role) ? t(`members:roles.${role}`) : role;
}
