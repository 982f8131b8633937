/**
 * The format-independent result of verifying one presentation.
 *
 * Both formats produce this shape, so the query layer and the portal never see wire formats.
 */
import type { TrustEvidence } from '../trust/types.ts';

export type CredentialFormat = 'dc+sd-jwt' | 'mso_mdoc';

export interface VerifiedCredential {
  readonly format: CredentialFormat;
  /** `vct` for SD-JWT VC, `docType` for mdoc. */
  readonly type: string;
  /** `iss` for SD-JWT VC; the issuer certificate's subject for mdoc. */
  readonly issuer: string;
  readonly trust: TrustEvidence;
  /**
   * All verified claims after processing. SD-JWT VC: the processed payload without the registered
   * JWT claims (`iss`, `vct`, `cnf`, `status`, `iat`, `nbf`, `exp`, `_sd_alg`).
   * mdoc: `{ [namespace]: { [element]: value } }`.
   */
  readonly claims: Readonly<Record<string, unknown>>;
  /** Technical validity of the credential, ISO 8601. */
  readonly validity: { readonly validFrom?: string; readonly validUntil?: string };
  /** True when the holder proved possession of the credential's key (KB-JWT or device signature). */
  readonly holderBound: boolean;
  /** The credential's status reference (Token Status List), if it has one. */
  readonly status?: { readonly idx: number; readonly uri: string };
  /**
   * mdoc only: the MSO `identifier_list` reference (ISO/IEC 18013-5 2nd ed. §12.3.6): `id` as
   * base64url, the list's `uri`, and the list signer's `certificate` (base64 DER) when the MSO
   * names one. Checked like a status list (`status/check-identifier-list.ts`): revoked when `id`
   * is listed.
   */
  readonly identifierList?: { readonly id: string; readonly uri: string; readonly certificate?: string };
  /** The checks that passed, in order, as readable requirement sentences without personal data. */
  readonly checks: readonly string[];
}
