// What a practice logo may be: PNG, JPEG or WebP, read from the file's first bytes (the name and
// the type the browser declares are ignored), at most LOGO_MAX_BYTES. Never SVG: an SVG is a
// document that can carry script.
import { t } from '../../i18n/request.js';

export const LOGO_MAX_BYTES = 100 * 1024;

export type LogoType = 'image/png' | 'image/jpeg' | 'image/webp';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  return bytes.length >= at + prefix.length && prefix.every((byte, index) => bytes[at + index] === byte);
}

/** The image type of `bytes` by its magic number, or undefined for anything else. */
export function imageType(bytes: Uint8Array): LogoType | undefined {
  if (startsWith(bytes, PNG)) return 'image/png';
  if (startsWith(bytes, JPEG)) return 'image/jpeg';
  if (startsWith(bytes, [...Buffer.from('RIFF')]) && startsWith(bytes, [...Buffer.from('WEBP')], 8)) return 'image/webp';
  return undefined;
}

export type LogoCheck = { ok: true; type: LogoType } | { ok: false; message: string };

export function checkLogo(bytes: Uint8Array, truncated: boolean): LogoCheck {
  if (bytes.length === 0) return { ok: false, message: t('admin:logo.choose_file') };
  if (truncated || bytes.length > LOGO_MAX_BYTES) return { ok: false, message: t('admin:logo.too_large', { kb: LOGO_MAX_BYTES / 1024 }) };
  const type = imageType(bytes);
  if (!type) return { ok: false, message: t('admin:logo.wrong_type') };
  return { ok: true, type };
}
