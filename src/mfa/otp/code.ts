// The one-time code itself: 6 ASCII digits, drawn uniformly, and the tolerant-but-strict reading of
// what a user types back ("123 456" and "123-456" are fine; letters or full-width digits are not).

export const CODE_LENGTH = 6;
const SPACE = 10 ** CODE_LENGTH;
/** The largest multiple of 10^6 below 2^32: values at or above it are redrawn, so every code is equally likely. */
const ACCEPT_BELOW = Math.floor(2 ** 32 / SPACE) * SPACE;
/** A source that fails this often in a row is broken (the chance for a real one is ~1e-370). */
const MAX_DRAWS = 100;

/** A uniformly random 6-digit code from `randomBytes` (a CSPRNG such as node:crypto randomBytes). */
export function generateCode(randomBytes: (n: number) => Uint8Array): string {
  for (let draw = 0; draw < MAX_DRAWS; draw++) {
    const bytes = randomBytes(4);
    if (bytes.length !== 4) throw new RangeError(`randomBytes(4) returned ${bytes.length} bytes`);
    const value = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
    if (value < ACCEPT_BELOW) return String(value % SPACE).padStart(CODE_LENGTH, '0');
  }
  throw new Error('the random source keeps returning out-of-range values');
}

const SEPARATORS = /[\s\-\u2010-\u2015]/g;
const CODE = new RegExp(`^[0-9]{${CODE_LENGTH}}$`);
const MAX_INPUT = 64;

/** The code in `input` once spaces and dashes are removed, or undefined when it is not 6 ASCII digits. */
export function normalizeCode(input: string): string | undefined {
  if (input.length > MAX_INPUT) return undefined;
  const code = input.replace(SEPARATORS, '');
  return CODE.test(code) ? code : undefined;
}
