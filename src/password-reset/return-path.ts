// Where the "back to sign-in" link of a reset may lead: only a path on this server, so the reset
// pages can never be used to send someone to another site (open redirect). Anything else is dropped.

const MAX_LENGTH = 512;
/** Starts with one slash (never `//host` or `/\host`), then plain path characters only. */
const LOCAL_PATH = /^\/(?![/\\])[A-Za-z0-9\-._~%/]*$/;

/** The value when it is a safe local path, otherwise undefined. */
export function safeReturnPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_LENGTH || !LOCAL_PATH.test(value)) return undefined;
  // Percent-decoding must not smuggle a slash, backslash or dot-dot segment back in.
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return undefined;
  }
  if (/[\\\p{Cc}]/u.test(decoded) || decoded.startsWith('//') || decoded.split('/').includes('..')) return undefined;
  return value;
}

/** `path?return=<safe path>`, or just `path` when there is nothing safe to return to. */
export function withReturn(path: string, returnPath: string | undefined): string {
  return returnPath ? `${path}?return=${encodeURIComponent(returnPath)}` : path;
}
