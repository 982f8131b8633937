/**
 * `issuing_country`, when disclosed, must equal the countryName of the document signer
 * certificate's subject (ISO/IEC 18013-5 §9.3.1; the PID Rulebook keeps the same rule for
 * `eu.europa.ec.eudi.pid.1`). Checked in every namespace that discloses the element.
 *
 * Does not check: `issuing_jurisdiction` against stateOrProvinceName.
 */
import { VerificationError } from '../../errors.ts';
import type { CheckLog } from './checks.ts';
import type { DocumentSigner } from './document-signer.ts';
import type { IssuerSignedItem } from './parse-issuer-signed-item.ts';

/** @throws {VerificationError} `MDOC_ISSUING_COUNTRY_MISMATCH` */
export function checkIssuingCountry(items: ReadonlyMap<string, readonly IssuerSignedItem[]>, signer: DocumentSigner, log: CheckLog): void {
  let seen = false;
  for (const [ns, list] of items) {
    for (const item of list) {
      if (item.elementIdentifier !== 'issuing_country') continue;
      seen = true;
      if (signer.country === undefined || item.elementValue !== signer.country) {
        throw new VerificationError('MDOC_ISSUING_COUNTRY_MISMATCH', `${ns}/issuing_country is not the countryName of the document signer certificate`);
      }
    }
  }
  if (seen) log.passed('ISSUER_AUTH', 'The disclosed issuing_country equals the countryName of the document signer certificate.');
  else log.notApplicable('ISSUER_AUTH', 'issuing_country is not disclosed, so it is not compared with the document signer certificate.');
}
