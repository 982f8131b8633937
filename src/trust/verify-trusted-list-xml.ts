/**
 * Verifies the enveloped XML signature of an ETSI TS 119 612 trusted list, or of the XML binding of
 * a TS 119 602 LoTE (Annex A.2: the same enveloped XAdES signature), (XMLDSig; XAdES baseline-B,
 * ETSI EN 319 132-1) against pinned signer certificates, and returns the signed document exactly
 * as its digest was checked (TS 119 612 V2.4.1 §5.7).
 *
 * Checks, in order, before any cryptography:
 * 1. No DOCTYPE or ENTITY declaration; the parser reports no warning or error; one root element,
 *    `TrustServiceStatusList` in the TS 119 612 namespace or `ListOfTrustedEntities` in the
 *    TS 119 602 one.
 * 2. Exactly one `ds:Signature` in the whole document, and it is a child of the root.
 * 3. One `SignedInfo`, its canonicalization and signature methods on the allow-lists.
 * 4. Exactly one reference to the list: `URI=""` or `URI="#<Id of the root>"`, that Id carried by
 *    no other element; transforms: enveloped-signature, then optionally one canonicalization.
 *    At most one other reference, typed XAdES `SignedProperties`, to an element inside this
 *    signature. No other reference (signature wrapping: a signed copy moved elsewhere, a second
 *    or forged root, an Id duplicated, all fail here or at the digest).
 * 5. The signer is a pinned certificate valid at `now`: a certificate in `KeyInfo` must be one of
 *    the pinned ones and is never trusted by itself; without one, each pinned certificate is tried.
 * Then `xml-crypto` verifies each reference digest and the signature value with the pinned key,
 * and, for XAdES, one `SigningCertificate(V2)` certificate digest (SHA-1 allowed there only, see
 * {@link certDigestMethods}) must match that certificate.
 *
 * The caller reads the list from {@link VerifiedTrustedListXml.signedXml} — the canonical XML whose
 * digest was verified — never from the original text.
 *
 * Does not check: XAdES signed properties other than the signing certificate, signature policies,
 * timestamps, or the list's content.
 */
import { createHash, X509Certificate as NodeX509Certificate } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { ServiceError } from '../errors.ts';
import { bytesEqual, decodeBase64Strict } from './base64.ts';
import { isLoteXmlRoot } from './parse-lote-xml.ts';
import { parseCertificate, type ParsedCertificate } from './parse-certificate.ts';
import { TSL_NAMESPACE } from './service-types.ts';
import { child, children, descendants, DSIG_NAMESPACE, elementsWithId, hasDtd, parseXmlDocument, text, type XmlElement } from './xml-dom.ts';
import { canonicalizationMethods, digestMethods, ENVELOPED_SIGNATURE, isAcceptedDigestMethod, isAcceptedSignatureMethod, useAcceptedAlgorithms } from './xmldsig-algorithms.ts';

/** Largest accepted document, in characters. */
export const MAX_TRUSTED_LIST_XML_CHARS = 32 * 1024 * 1024;

const XADES_NAMESPACE = 'http://uri.etsi.org/01903/v1.3.2#';
const SIGNED_PROPERTIES_TYPE = 'http://uri.etsi.org/01903#SignedProperties';

export interface VerifiedTrustedListXml {
  /** Canonical XML of the signed root, the signature removed: the bytes whose digest was verified. */
  readonly signedXml: string;
  readonly signer: { readonly subject: string; readonly id: string };
  /** XAdES `SigningTime`, when the signature carries signed properties. */
  readonly signingTime?: Date;
}

const invalid = (listName: string, detail: string): ServiceError => new ServiceError('TRUST_LIST_INVALID', `${listName}: XML signature: ${detail}`);

interface ReferenceInfo {
  readonly element: XmlElement;
  readonly uri: string;
  readonly type: string | undefined;
  readonly transforms: string[];
}

function readReference(element: XmlElement, listName: string): ReferenceInfo {
  const digest = child(element, 'DigestMethod', DSIG_NAMESPACE)?.getAttribute('Algorithm') ?? '';
  if (!isAcceptedDigestMethod(digest)) throw invalid(listName, 'a reference uses a digest method that is not allowed');
  const transforms = children(child(element, 'Transforms', DSIG_NAMESPACE), 'Transform', DSIG_NAMESPACE).map((t) => t.getAttribute('Algorithm') ?? '');
  return { element, uri: element.getAttribute('URI') ?? '', type: element.getAttribute('Type') ?? undefined, transforms };
}

function checkListReference(reference: ReferenceInfo, root: XmlElement, listName: string): void {
  const [first, second, ...rest] = reference.transforms;
  if (first !== ENVELOPED_SIGNATURE || rest.length > 0 || (second !== undefined && !canonicalizationMethods.has(second))) {
    throw invalid(listName, 'the list reference must use the enveloped-signature transform, then at most one canonicalization');
  }
  if (reference.uri === '') return;
  const id = reference.uri.slice(1);
  const rootId = root.getAttribute('Id');
  if (!reference.uri.startsWith('#') || rootId === null || rootId !== id) throw invalid(listName, 'the signed reference is not the document root');
  const owner = root.ownerDocument;
  if (owner === null || elementsWithId(owner, id).length !== 1) throw invalid(listName, 'the Id of the signed root is not unique');
}

function checkSignedPropertiesReference(reference: ReferenceInfo, signature: XmlElement, listName: string): XmlElement {
  const owner = signature.ownerDocument;
  const id = reference.uri.startsWith('#') ? reference.uri.slice(1) : '';
  const targets = owner === null || id === '' ? [] : elementsWithId(owner, id);
  const target = targets[0];
  if (targets.length !== 1 || target === undefined || target.localName !== 'SignedProperties' || target.namespaceURI !== XADES_NAMESPACE) {
    throw invalid(listName, 'the SignedProperties reference does not name one XAdES SignedProperties element');
  }
  if (!descendants(signature, 'SignedProperties', XADES_NAMESPACE).includes(target)) throw invalid(listName, 'the signed properties are not inside the signature');
  if (reference.transforms.length > 1 || (reference.transforms[0] !== undefined && !canonicalizationMethods.has(reference.transforms[0]))) {
    throw invalid(listName, 'the SignedProperties reference may use only one canonicalization transform');
  }
  return target;
}

interface SignatureParts {
  readonly signature: XmlElement;
  readonly listReference: ReferenceInfo;
  readonly signedProperties: XmlElement | undefined;
  /** Certificates named in `KeyInfo`: they only select among the pinned signers. */
  readonly keyInfoCertsDer: readonly Uint8Array[];
}

function readSignature(root: XmlElement, listName: string): SignatureParts {
  const signatures = descendants(root, 'Signature', DSIG_NAMESPACE);
  if (signatures.length !== 1) throw invalid(listName, `the document must carry exactly one ds:Signature (found ${signatures.length})`);
  const signature = signatures[0] as XmlElement;
  if (signature.parentNode !== root) throw invalid(listName, 'the ds:Signature is not a child of the document root');
  const signedInfos = children(signature, 'SignedInfo', DSIG_NAMESPACE);
  if (signedInfos.length !== 1) throw invalid(listName, 'the signature must have exactly one SignedInfo');
  const signedInfo = signedInfos[0] as XmlElement;
  const c14n = child(signedInfo, 'CanonicalizationMethod', DSIG_NAMESPACE)?.getAttribute('Algorithm') ?? '';
  if (!canonicalizationMethods.has(c14n)) throw invalid(listName, 'the SignedInfo canonicalization method is not allowed');
  const method = child(signedInfo, 'SignatureMethod', DSIG_NAMESPACE)?.getAttribute('Algorithm') ?? '';
  if (!isAcceptedSignatureMethod(method)) throw invalid(listName, 'the signature method is not allowed');

  const references = children(signedInfo, 'Reference', DSIG_NAMESPACE).map((element) => readReference(element, listName));
  const listReferences = references.filter((r) => r.type !== SIGNED_PROPERTIES_TYPE);
  const propertyReferences = references.filter((r) => r.type === SIGNED_PROPERTIES_TYPE);
  if (listReferences.length !== 1 || propertyReferences.length > 1) {
    throw invalid(listName, 'the signature must reference the list exactly once, and at most once its XAdES signed properties');
  }
  const listReference = listReferences[0] as ReferenceInfo;
  checkListReference(listReference, root, listName);
  const propertiesReference = propertyReferences[0];
  const signedProperties = propertiesReference === undefined ? undefined : checkSignedPropertiesReference(propertiesReference, signature, listName);

  const keyInfo = child(signature, 'KeyInfo', DSIG_NAMESPACE);
  const keyInfoCertsDer = (keyInfo === undefined ? [] : descendants(keyInfo, 'X509Certificate', DSIG_NAMESPACE)).map((element) => {
    const der = decodeBase64Strict((text(element) ?? '').replace(/\s+/g, ''));
    if (der === undefined) throw invalid(listName, 'a KeyInfo certificate is not base64');
    return der;
  });
  return { signature, listReference, signedProperties, keyInfoCertsDer };
}

function candidateSigners(parts: SignatureParts, pinned: readonly Uint8Array[], now: Date, listName: string): ParsedCertificate[] {
  let candidates = pinned;
  if (parts.keyInfoCertsDer.length > 0) {
    candidates = pinned.filter((der) => parts.keyInfoCertsDer.some((named) => bytesEqual(der, named)));
    if (candidates.length === 0) throw invalid(listName, 'the KeyInfo certificate is not a pinned trust list signer');
  }
  if (candidates.length === 0) throw invalid(listName, 'no pinned trust list signer is configured');
  const parsed: ParsedCertificate[] = [];
  for (const der of candidates) {
    const result = parseCertificate(der);
    if (!result.ok) continue;
    const certificate = result.value;
    if (now.getTime() < certificate.notBefore.getTime() || now.getTime() > certificate.notAfter.getTime()) continue;
    parsed.push(certificate);
  }
  if (parsed.length === 0) throw invalid(listName, `no pinned signer certificate is valid at ${now.toISOString()}`);
  return parsed;
}

const toPem = (der: Uint8Array): string => new NodeX509Certificate(der).toString();

/** Verifies with one pinned certificate; returns the canonical signed list, or undefined. */
function tryVerify(xml: string, parts: SignatureParts, signer: ParsedCertificate): string | undefined {
  const verifier = new SignedXml({ publicCert: toPem(signer.der), getCertFromKeyInfo: () => null });
  useAcceptedAlgorithms(verifier);
  try {
    verifier.loadSignature(parts.signature as unknown as Parameters<SignedXml['loadSignature']>[0]);
    if (verifier.checkSignature(xml) !== true) return undefined;
  } catch {
    return undefined;
  }
  const reference = verifier.getReferences().find((r) => r.type !== SIGNED_PROPERTIES_TYPE && (r.uri ?? '') === parts.listReference.uri);
  return reference?.signedReference;
}

/**
 * Digest methods accepted in XAdES `SigningCertificate(V2)/Cert/CertDigest` (ETSI EN 319 132-1
 * V1.1.1 §5.2.2): those of the references, and SHA-1. The certificate digest only names the
 * signing certificate among certificates the verifier already holds (the signer is one of the
 * pinned certificates, tried by its key, never taken from the document), so a SHA-1 collision
 * gains nothing; the XAdES `SigningCertificate` element of EN 319 132-1 and TS 119 612 V2.x
 * lists (Sweden, Italy, Lithuania, the EU list of lists before 2021) digest it with SHA-1. The
 * signature method and every reference digest stay on the SHA-2 allow-list.
 */
export const certDigestMethods: Readonly<Record<string, 'sha1' | 'sha256' | 'sha384' | 'sha512'>> = {
  'http://www.w3.org/2000/09/xmldsig#sha1': 'sha1',
  ...digestMethods,
};

function checkSigningCertificate(signedProperties: XmlElement, signer: ParsedCertificate, listName: string): Date | undefined {
  const signed = child(signedProperties, 'SignedSignatureProperties', XADES_NAMESPACE);
  const certs = children(child(signed, 'SigningCertificateV2', XADES_NAMESPACE) ?? child(signed, 'SigningCertificate', XADES_NAMESPACE), 'Cert', XADES_NAMESPACE);
  const digests = certs.map((cert) => {
    const digest = child(cert, 'CertDigest', XADES_NAMESPACE);
    const method = child(digest, 'DigestMethod', DSIG_NAMESPACE)?.getAttribute('Algorithm') ?? '';
    const value = text(child(digest, 'DigestValue', DSIG_NAMESPACE))?.replace(/\s+/g, '') ?? '';
    const hash = Object.hasOwn(certDigestMethods, method) ? certDigestMethods[method] : undefined;
    return { hash, value };
  });
  // EN 319 132-1 §5.2.2: the signing certificate is one of the referenced certificates (others may be its
  // issuers); a reference whose digest method is not accepted identifies nothing.
  const usable = digests.filter((d): d is { hash: 'sha1' | 'sha256' | 'sha384' | 'sha512'; value: string } => d.hash !== undefined && d.value !== '');
  if (usable.length === 0) throw invalid(listName, 'the XAdES signed properties do not identify the signing certificate');
  const matches = usable.some((d) => d.value === createHash(d.hash).update(signer.der).digest('base64'));
  if (!matches) throw invalid(listName, 'the XAdES signing certificate is not the pinned signer');
  const time = text(child(signed, 'SigningTime', XADES_NAMESPACE))?.trim();
  const parsed = time === undefined ? Number.NaN : Date.parse(time);
  return Number.isNaN(parsed) ? undefined : new Date(parsed);
}

/**
 * Verifies the enveloped signature of a TS 119 612 list with one of `pinnedSignerCertsDer`.
 *
 * @throws ServiceError `TRUST_LIST_INVALID` naming `listName` for any failure.
 */
export function verifyTrustedListXml(xml: string, pinnedSignerCertsDer: readonly Uint8Array[], now: Date, listName: string): VerifiedTrustedListXml {
  if (typeof xml !== 'string' || xml.length > MAX_TRUSTED_LIST_XML_CHARS) throw invalid(listName, 'the document is not text of acceptable size');
  if (hasDtd(xml)) throw invalid(listName, 'DOCTYPE and ENTITY declarations are not allowed');
  const document = parseXmlDocument(xml);
  const root = document?.documentElement ?? undefined;
  if (root === undefined) throw invalid(listName, 'the document is not well-formed XML');
  const trustedList = root.localName === 'TrustServiceStatusList' && root.namespaceURI === TSL_NAMESPACE;
  if (!trustedList && !isLoteXmlRoot(root)) throw invalid(listName, 'the root element is not a TS 119 612 TrustServiceStatusList or a TS 119 602 ListOfTrustedEntities');
  const parts = readSignature(root, listName);
  for (const signer of candidateSigners(parts, pinnedSignerCertsDer, now, listName)) {
    const signedXml = tryVerify(xml, parts, signer);
    if (signedXml === undefined) continue;
    const signingTime = parts.signedProperties === undefined ? undefined : checkSigningCertificate(parts.signedProperties, signer, listName);
    return { signedXml, signer: { subject: signer.subject, id: signer.id }, ...(signingTime ? { signingTime } : {}) };
  }
  throw invalid(listName, 'the signature does not verify with a pinned signer certificate');
}
