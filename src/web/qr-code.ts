/**
 * The QR code of a wallet request, rendered on the server as inline SVG (the `qrcode` package): no
 * script, no inline style, nothing fetched — it passes the pages' Content-Security-Policy. The SVG
 * is an image with its accessible name taken from the caption beside it.
 */
import { toString as qrToString } from 'qrcode';
import { unsafeRaw, type SafeHtml } from './html.ts';

export async function qrCodeSvg(text: string, labelledBy: string): Promise<SafeHtml> {
  const svg = await qrToString(text, { type: 'svg', margin: 2, errorCorrectionLevel: 'M', color: { dark: '#000000', light: '#ffffff' } });
  if (!svg.startsWith('<svg ')) throw new Error('unexpected QR code output');
  // The qrcode package writes only paths and attributes; the label id is ours (not user input).
  return unsafeRaw(svg.replace('<svg ', `<svg role="img" aria-labelledby="${labelledBy}" focusable="false" class="qr-svg" `));
}
