/**
 * `eudi-verifier dev-cert [--host <name-or-ip>]…`: a local CA and an HTTPS server certificate for
 * this machine's LAN addresses (issuer/dev-tls.ts), written under DATA_DIR/tls, with the two
 * settings to serve HTTPS and how to trust the CA on a phone.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { networkInterfaces, hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load-config.ts';
import { createDevTls } from '../issuer/dev-tls.ts';
import { UsageError } from './user-mistake.ts';

/** A DNS host name (RFC 1123 §2.1): labels of letters, digits and inner hyphens, at most 253 characters. */
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

export async function devCertCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { host: { type: 'string', multiple: true }, out: { type: 'string' } } });
  for (const host of values.host ?? []) {
    if (isIP(host) === 0 && !DNS_NAME.test(host)) throw new UsageError(`--host "${host}" is neither an IP address nor a host name (letters, digits, hyphens and dots)`);
  }
  const config = loadConfig();
  const lan = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).filter((i) => i.family === 'IPv4' && !i.internal).map((i) => i.address));
  const hosts = [...new Set([...(values.host ?? []), ...lan, `${hostname()}.local`, 'localhost', '127.0.0.1'])];
  const dir = resolve(values.out ?? join(config.DATA_DIR, 'tls'));
  const tls = await createDevTls(hosts);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'dev-ca.pem'), tls.ca.pem);
  await writeFile(join(dir, 'dev-ca.cer'), Buffer.from(tls.ca.der));
  await writeFile(join(dir, 'dev-ca.key.pem'), tls.caKeyPem, { mode: 0o600 });
  await writeFile(join(dir, 'server.pem'), tls.certChainPem);
  await writeFile(join(dir, 'server.key.pem'), tls.keyPem, { mode: 0o600 });
  const ip = lan[0] ?? hosts[0] ?? 'localhost';
  const port = config.PORT;
  console.log(`A development CA and a server certificate for ${hosts.join(', ')} are in ${dir}.

Serve HTTPS on the LAN:
  HOST=0.0.0.0 TLS_CERT_FILE=${join(dir, 'server.pem')} TLS_KEY_FILE=${join(dir, 'server.key.pem')} PUBLIC_BASE_URL=https://${ip}:${port} npm start

Trust the CA on the phone (development only; remove it afterwards):
  1. Send ${join(dir, 'dev-ca.cer')} to the phone (AirDrop, e-mail, or serve it once on the LAN).
  2. iPhone: open it, Settings > General > VPN & Device Management > install the profile, then
     Settings > General > About > Certificate Trust Settings > turn on full trust for "EUDI Verifier Development CA".
  3. Android: Settings > Security > Encryption & credentials > Install a certificate > CA certificate.
     Chrome trusts user CAs; a wallet app trusts them only if its network security config allows user CAs.
  4. Open https://${ip}:${port}/healthz on the phone: it must load without a warning.`);
  return 0;
}
