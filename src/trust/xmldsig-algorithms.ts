/**
 * The XML Signature algorithms accepted for trusted lists, as `xml-crypto` plug-ins
 * (W3C XMLDSig 1.1 §6; RFC 9231 for the URIs).
 *
 * `xml-crypto` ships RSA (PKCS#1 v1.5 with SHA-1/256/512, PSS with SHA-256) and SHA-1/256/512
 * digests. Trusted lists are also signed with ECDSA (EU LOTL signers use both), so ECDSA with
 * SHA-256/384/512 — signature value `r || s` (XMLDSig 1.1 §6.4.3) — RSA with SHA-384 and the
 * SHA-384 digest are added here. SHA-1 and HMAC are never accepted for the signature or a
 * reference; only a XAdES `CertDigest`, which names a certificate the verifier already holds, may
 * be SHA-1 (`certDigestMethods` in verify-trusted-list-xml.ts).
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyLike } from 'node:crypto';
import type { SignedXml } from 'xml-crypto';

/** Signature method URIs → Node hash name and key type. */
export const signatureMethods = {
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256': { hash: 'sha256', ec: true },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384': { hash: 'sha384', ec: true },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512': { hash: 'sha512', ec: true },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': { hash: 'sha256', ec: false },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384': { hash: 'sha384', ec: false },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': { hash: 'sha512', ec: false },
} as const;
export type SignatureMethod = keyof typeof signatureMethods;

/** Digest method URIs → Node hash name. */
export const digestMethods = {
  'http://www.w3.org/2001/04/xmlenc#sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384': 'sha384',
  'http://www.w3.org/2001/04/xmlenc#sha512': 'sha512',
} as const;
export type DigestMethod = keyof typeof digestMethods;

/** Canonicalization methods accepted for `SignedInfo` and as reference transforms. */
export const canonicalizationMethods: ReadonlySet<string> = new Set([
  'http://www.w3.org/2001/10/xml-exc-c14n#',
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
]);

export const ENVELOPED_SIGNATURE = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

const isSignatureMethod = (uri: string): uri is SignatureMethod => Object.hasOwn(signatureMethods, uri);
export const isAcceptedSignatureMethod = isSignatureMethod;
export const isAcceptedDigestMethod = (uri: string): uri is DigestMethod => Object.hasOwn(digestMethods, uri);

function signatureAlgorithm(uri: SignatureMethod): new () => unknown {
  const { hash, ec } = signatureMethods[uri];
  const encoding = ec ? { dsaEncoding: 'ieee-p1363' as const } : {};
  return class {
    getAlgorithmName(): string {
      return uri;
    }
    getSignature(signedInfo: string | Uint8Array, privateKey: KeyLike): string {
      return sign(hash, Buffer.from(signedInfo), { key: createPrivateKey(privateKey as string), ...encoding }).toString('base64');
    }
    verifySignature(material: string, key: KeyLike, signatureValue: string): boolean {
      try {
        return verify(hash, Buffer.from(material, 'utf8'), { key: createPublicKey(key as string), ...encoding }, Buffer.from(signatureValue.replace(/\s+/g, ''), 'base64'));
      } catch {
        return false;
      }
    }
  };
}

function sha384Digest(): new () => unknown {
  return class {
    getAlgorithmName(): string {
      return 'http://www.w3.org/2001/04/xmldsig-more#sha384';
    }
    getHash(xml: string): string {
      return createHash('sha384').update(xml, 'utf8').digest('base64');
    }
  };
}

/**
 * Restricts `signedXml` to the accepted algorithms: the ones above replace the built-in table,
 * so SHA-1, HMAC and anything unknown fail as "not supported".
 */
export function useAcceptedAlgorithms(signedXml: SignedXml): void {
  const signatures: Record<string, new () => unknown> = {};
  for (const uri of Object.keys(signatureMethods) as SignatureMethod[]) signatures[uri] = signatureAlgorithm(uri);
  const builtInHashes = signedXml.HashAlgorithms as Record<string, new () => unknown>;
  const hashes: Record<string, new () => unknown> = {
    'http://www.w3.org/2001/04/xmlenc#sha256': builtInHashes['http://www.w3.org/2001/04/xmlenc#sha256'] as new () => unknown,
    'http://www.w3.org/2001/04/xmldsig-more#sha384': sha384Digest(),
    'http://www.w3.org/2001/04/xmlenc#sha512': builtInHashes['http://www.w3.org/2001/04/xmlenc#sha512'] as new () => unknown,
  };
  signedXml.SignatureAlgorithms = signatures as SignedXml['SignatureAlgorithms'];
  signedXml.HashAlgorithms = hashes as SignedXml['HashAlgorithms'];
}
