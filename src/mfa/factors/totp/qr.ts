// The enrolment QR code, drawn on the server as an SVG string (no script, no image request): the
// page inlines it. The `qrcode` package encodes; the SVG holds only paths. Its label is in the
// language of the request that asks for it.
import QRCode from 'qrcode';
import { t } from '../../../i18n/request.js';

const escapeAttribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export async function qrSvg(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return svg.replace('<svg ', `<svg role="img" aria-label="${escapeAttribute(t('factors:authenticator.qr_label'))}" width="200" height="200" `);
}
