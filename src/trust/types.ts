/**
 * Trust model shared by every credential format.
 *
 * The request path only sees a {@link TrustStore}: an in-memory set of anchors that were loaded and
 * verified ahead of time from trusted lists. Anchors are kept per {@link TrustCategory}; a use case
 * names the categories it accepts for each credential it asks for (ARF OIA_12–OIA_15).
 */

/** The categories of trust anchors. */
export const trustCategories = ['pid', 'eaa', 'mdl', 'representation', 'access', 'wrprc'] as const;
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
  /**
   * What the anchor may verify: credentials (`issuance`, the default) or the status lists of
   * credentials issued under the same trusted entity (`revocation`; TS 119 602 `…/Revocation`
   * services, ETSI TS 119 602). Revocation anchors never validate a credential.
   */
  readonly purpose?: AnchorPurpose;
  /**
   * The trusted entity (TS 119 602 `TrustedEntity`, TS 119 612 `TrustServiceProvider`) that
   * publishes the service, as `<list>#<position>`: ties an entity's revocation service to its
   * issuance services.
   */
  readonly entity?: string;
  /** The anchor is usable from this instant (the service's `StatusStartingTime` when granted). */
  readonly activeFrom?: Date;
  /**
   * The anchor is usable until this instant, exclusive: a later status change (withdrawal) or
   * the list's `NextUpdate` plus the configured grace.
   */
  readonly activeUntil?: Date;
}

export type AnchorPurpose = 'issuance' | 'revocation';

/** True when `anchor` may be used at `now` (its service status and its list's freshness). */
export function isAnchorActive(anchor: TrustAnchor, now: Date): boolean {
  const t = now.getTime();
  return (anchor.activeFrom === undefined || anchor.activeFrom.getTime() <= t) && (anchor.activeUntil === undefined || t < anchor.activeUntil.getTime());
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

/** What a validated status list signer proves (draft-ietf-oauth-status-list §11.1). */
export interface StatusSignerEvidence {
  /** `issuer-chain`: the same anchor as the credential; `revocation-service`: the issuer's revocation service. */
  readonly binding: 'issuer-chain' | 'revocation-service';
  readonly anchorId: string;
  readonly anchorSubject: string;
  readonly list: string;
  readonly service: string;
  readonly signerSubject: string;
}

export interface ValidateStatusListSignerInput {
  /** `x5c` of the status list token: base64 DER, leaf first. */
  readonly x5c: readonly string[];
  /** The trust evidence of the credential whose status is checked. */
  readonly credential: TrustEvidence;
  readonly now: Date;
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
  /** The anchors that may verify credentials (issuance services). */
  readonly anchors: readonly TrustAnchor[];
  /** The anchors that may only verify status lists (revocation services, ETSI TS 119 602). */
  readonly revocationAnchors: readonly TrustAnchor[];
  /**
   * Validates an `x5c` chain (RFC 5280 §6) to an anchor of one of the given categories.
   * Throws a VerificationError (`X5C_*`, `CERT_*`, `ISSUER_UNTRUSTED`, `ISSUER_NOT_AUTHORIZED_FOR_TYPE`).
   */
  validateIssuerChain(input: ValidateIssuerChainInput): Promise<ValidatedIssuer>;
  /**
   * Validates the `x5c` of a status list token and binds its signer to the credential's issuer:
   * the chain ends at the anchor that validated the credential, or at a revocation-service anchor
   * of the same trusted entity and category. Throws a VerificationError
   * (`STATUS_LIST_SIGNER_UNTRUSTED`, or the chain codes `X5C_*` / `CERT_*`).
   */
  validateStatusListSigner(input: ValidateStatusListSignerInput): Promise<{ readonly publicKey: CryptoKey; readonly evidence: StatusSignerEvidence }>;
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
  /** `TSLSequenceNumber` or `LoTESequenceNumber`, when present. */
  readonly sequenceNumber?: number;
  /** TS 119 612 `PointersToOtherTSL` or TS 119 602 `PointersToOtherLoTE`, in document order. */
  readonly pointers?: readonly TrustListPointer[];
}

/** One `OtherTSLPointer` of a list of lists (TS 119 612 §5.3.13) or `OtherLoTEPointer` (TS 119 602 §6.3.13). */
export interface TrustListPointer {
  /** `TSLLocation`: where the pointed list is published. */
  readonly location: string;
  /** DER of the certificates that may sign the pointed list (`ServiceDigitalIdentities`). */
  readonly signerCertsDer: readonly Uint8Array[];
  readonly type?: string;
  readonly territory?: string;
  readonly mimeType?: string;
  /** A TS 119 602 `OtherLoTEPointer` (any LoTE binding), rather than a TS 119 612 `OtherTSLPointer`. */
  readonly lote?: true;
}
