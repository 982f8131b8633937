/**
 * Trust model shared by every credential format.
 *
 * The request path only sees a {@link TrustStore}: an in-memory set of anchors that were loaded and
 * verified ahead of time from trusted lists. Anchors are kept per {@link TrustCategory}; a use case
 * names the categories it accepts for each credential it asks for (ARF OIA_12–OIA_15).
 */

/** The categories of trust anchors. */
export const trustCategories = ['pid', 'eaa', 'mdl', 'representation', 'access'] as const;
export type TrustCategory = (typeof trustCategories)[number];

/** One trust anchor, as read from a trusted list. */
export interface TrustAnchor {
  /** DER bytes of the anchor certificate. */
  readonly der: Uint8Array;
  /** base64url SHA-256 of the DER, used as the anchor's stable id. */
  readonly id: string;
  /** Subject DN of the anchor certificate, for evidence. */
  readonly subject: string;
  /** Categories this anchor is trusted for. */
  readonly categories: ReadonlySet<TrustCategory>;
  /** Where the anchor came from: list file or URL, the service's name. */
  readonly source: { readonly list: string; readonly listType: 'etsi-119612' | 'etsi-119602'; readonly service: string; readonly serviceType: string };
}

/** What a validated issuer certificate path proves; it is kept with the verified credential. */
export interface TrustEvidence {
  readonly anchorId: string;
  readonly anchorSubject: string;
  readonly category: TrustCategory;
  readonly list: string;
  readonly service: string;
  /** Subject DN of the end-entity (issuer) certificate. */
  readonly leafSubject: string;
  /** base64url SHA-256 of the DER of the end-entity certificate. */
  readonly leafId: string;
}

/** Result of validating an `x5c` chain to an anchor. */
export interface ValidatedIssuer {
  /** The end-entity public key, imported once, for the issuer signature. */
  readonly publicKey: CryptoKey;
  /** dNSName and URI subjectAltNames of the leaf, to bind `iss`. */
  readonly sanDnsNames: readonly string[];
  readonly sanUris: readonly string[];
  readonly evidence: TrustEvidence;
}

export interface ValidateIssuerChainInput {
  /** `x5c` as in the JOSE header: base64 (not base64url) DER certificates, leaf first. */
  readonly x5c: readonly string[];
  /** The categories acceptable for the credential being verified. */
  readonly categories: readonly TrustCategory[];
  readonly now: Date;
}

/** The verified, in-memory anchor set used on the request path. */
export interface TrustStore {
  readonly anchors: readonly TrustAnchor[];
  /**
   * Validates an `x5c` chain (RFC 5280 §6) to an anchor of one of the given categories.
   * Throws a VerificationError (`X5C_*`, `CERT_*`, `ISSUER_UNTRUSTED`, `ISSUER_NOT_AUTHORIZED_FOR_TYPE`).
   */
  validateIssuerChain(input: ValidateIssuerChainInput): Promise<ValidatedIssuer>;
}

/**
 * A trusted list after parsing (ETSI TS 119 612 XML or TS 119 602 LoTE), before its anchors
 * enter a store. Parsing never verifies a signature.
 */
export interface ParsedTrustList {
  /** Anchors from services of a known type whose status is active. */
  readonly anchors: TrustAnchor[];
  /**
   * The document carries a signature (an enveloped `ds:Signature` in XML). This says nothing
   * about whether it verifies: see `verifyLoteJws` for signed LoTEs.
   */
  readonly signed: boolean;
  /** `NextUpdate`; absent for a closed list. */
  readonly nextUpdate?: Date;
  /** `ListIssueDateTime`. */
  readonly issued?: Date;
  /** `TSLType` or `LoTEType`, when present. */
  readonly type?: string;
}
