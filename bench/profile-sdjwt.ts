/** Profiling driver (not part of `npm run bench`): runs the SD-JWT VC bench operation in a loop. */
import { createPrivateKey, createPublicKey, sign, verify, type JsonWebKey as NodeJwk } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import { anchorFromCertificate, createTrustStore } from '../src/trust/index.ts';
import { createLeafCert, createRootCa, x5cOf } from '../src/issuer/pki.ts';
import { issueSdJwtVc } from '../src/issuer/issue-sd-jwt-vc.ts';
import { presentSdJwtVc } from '../src/wallet/present-sd-jwt-vc.ts';
import { verifySdJwtVcPresentation, type SdJwtVcVerifyContext } from '../src/formats/sd-jwt-vc/verify-sd-jwt-vc.ts';

const DAY = 86_400_000;
const now = new Date();
const root = await createRootCa({ subject: 'CN=Bench PID Root, C=SE', notBefore: new Date(now.getTime() - DAY) });
const issuer = await createLeafCert(root, { subject: 'CN=Bench PID Issuer, C=SE', dnsNames: ['issuer.bench.example'], notBefore: new Date(now.getTime() - DAY) });
const trust = createTrustStore([anchorFromCertificate(root.der, ['pid'], { list: 'bench', listType: 'etsi-119602', service: 'bench', serviceType: 'bench' })]);
const holder = await generateKeyPair('ES256', { extractable: true });
const nowS = Math.floor(now.getTime() / 1000);
const claims = { given_name: 'Anna', family_name: 'Andersson', birthdate: '1985-03-14', personal_administrative_number: '198503142382', nationalities: ['SE'] };
const issued = await issueSdJwtVc({ issuerKey: issuer.privateKey, x5c: x5cOf(issuer), iss: 'https://issuer.bench.example', vct: 'urn:eudi:pid:1', claims, disclosable: Object.keys(claims).map((k) => [k]), holderJwk: await exportJWK(holder.publicKey), iat: nowS - 60, exp: nowS + 30 * 86_400 });
const presentation = await presentSdJwtVc(issued, { claimPaths: Object.keys(claims).map((k) => [k]), holderKey: holder.privateKey, nonce: 'bench-nonce', audience: 'x509_hash:bench', iat: nowS });
const ctx: SdJwtVcVerifyContext = { now, nonce: 'bench-nonce', audience: 'x509_hash:bench', acceptedVcts: ['urn:eudi:pid:1'], categories: ['pid'], trust };

const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
const priv = createPrivateKey({ key: (await exportJWK(privateKey)) as NodeJwk, format: 'jwk' });
const pub = createPublicKey({ key: (await exportJWK(publicKey)) as NodeJwk, format: 'jwk' });
const data = Buffer.alloc(600, 7);
const signature = sign('sha256', data, { key: priv, dsaEncoding: 'ieee-p1363' });

const es256 = (): void => {
  if (!verify('sha256', data, { key: pub, dsaEncoding: 'ieee-p1363' }, signature)) throw new Error('yardstick');
};
const sdJwt = (): Promise<unknown> => verifySdJwtVcPresentation(presentation, ctx);

/** Interleaved 25 ms slices, as bench/run.ts measures; `sd` as the 3rd argument profiles the SD-JWT op alone. */
async function slice(op: () => unknown, ms: number): Promise<{ n: number; t: number }> {
  const start = performance.now();
  let n = 0;
  let t = 0;
  do {
    for (let i = 0; i < 4; i++) {
      const r = op();
      if (r instanceof Promise) await r;
    }
    n += 4;
    t = performance.now() - start;
  } while (t < ms);
  return { n, t };
}
const rounds = Number(process.argv[2] ?? 5);
const only = process.argv[3] === 'sd';
const ratios: number[] = [];
for (let r = 0; r < rounds; r++) {
  const tot = { es: { n: 0, t: 0 }, sd: { n: 0, t: 0 } };
  for (let k = 0; k < 40; k++) {
    if (!only) {
      const a = await slice(es256, 25);
      tot.es.n += a.n;
      tot.es.t += a.t;
    }
    const b = await slice(sdJwt, 25);
    tot.sd.n += b.n;
    tot.sd.t += b.t;
  }
  const es = tot.es.n / (tot.es.t / 1000);
  const sd = tot.sd.n / (tot.sd.t / 1000);
  ratios.push(sd / es);
  console.log(`es256 ${es.toFixed(0)}/s  sd-jwt ${sd.toFixed(0)}/s  ratio ${(sd / es).toFixed(3)}`);
}
ratios.sort((a, b) => a - b);
console.log(`median ratio ${ratios[Math.floor(ratios.length / 2)]?.toFixed(3)} (min ${ratios[0]?.toFixed(3)}, max ${ratios[ratios.length - 1]?.toFixed(3)})`);
