// May another code be sent now? At least 30 s after the previous send and at most 5 sends in any
// 15 minutes; `retryAfterMs` says when the next one would be allowed (0 when it is). A send exactly
// 15 minutes old has left the window. `history` is the send times in ms, in any order.

export const RESEND_MIN_GAP_MS = 30_000;
export const RESEND_WINDOW_MS = 15 * 60_000;
export const RESEND_MAX_IN_WINDOW = 5;

export function canResend(history: readonly number[], now: number): { allowed: boolean; retryAfterMs: number } {
  const inWindow = history.filter((sent) => sent > now - RESEND_WINDOW_MS).sort((a, b) => a - b);
  const last = inWindow.at(-1);
  const gapReadyAt = last === undefined ? now : last + RESEND_MIN_GAP_MS;
  const excess = inWindow.length - RESEND_MAX_IN_WINDOW;
  const windowReadyAt = excess < 0 ? now : inWindow[excess]! + RESEND_WINDOW_MS;
  const retryAfterMs = Math.max(0, gapReadyAt - now, windowReadyAt - now);
  return { allowed: retryAfterMs === 0, retryAfterMs };
}
