// The enrolment QR code, drawn on the server as an SVG string (no script, no image request): the
// page inlines it. The `qrcode` package encodes; the SVG holds only paths.
import QRCode from 'qrcode';

export async function qrSvg(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return svg.replace('<svg ', '<svg role="img" aria-label="QR code for your authenticator app" width="200" height="200" ');
}
