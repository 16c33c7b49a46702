// "Exactly what changed" for audit entries: the fields whose value differs, before and after.
// Absent values are written as null so the JSON entry shows a removal.

export interface Changes {
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

export function changesBetween(before: Record<string, unknown>, after: Record<string, unknown>): Changes {
  const changes: Changes = { before: {}, after: {} };
  for (const key of Object.keys(after)) {
    const was = before[key] ?? null;
    const now = after[key] ?? null;
    if (isRecord(was) && isRecord(now)) {
      const inner = changesBetween(was, now);
      if (Object.keys(inner.after).length === 0) continue;
      changes.before[key] = inner.before;
      changes.after[key] = inner.after;
    } else if (was !== now) {
      changes.before[key] = was;
      changes.after[key] = now;
    }
  }
  return changes;
}

export function nothingChanged(changes: Changes): boolean {
  return Object.keys(changes.after).length === 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
