/**
 * Device-signed data elements must be authorised by the MSO `keyAuthorizations`
 * (ISO/IEC 18013-5 §9.1.2.4): an element is allowed when its namespace is listed in
 * `nameSpaces`, or the element is listed under its namespace in `dataElements`. With no
 * `keyAuthorizations`, no device-signed element is allowed.
 *
 * Authorised or not, device-signed elements are never used as attributes: they are signed by the
 * holder, not the issuer, and `verify-device-response.ts` takes claims from issuer-signed items only.
 */
import { VerificationError } from '../../errors.ts';
import type { CheckLog } from './checks.ts';
import type { DeviceSigned } from './parse-device-signed.ts';
import type { KeyAuthorizations } from './parse-mobile-security-object.ts';

/** @throws {VerificationError} `MDOC_DEVICE_ELEMENT_UNAUTHORIZED` */
export function authorizeDeviceSignedElements(deviceSigned: DeviceSigned, authorizations: KeyAuthorizations, log: CheckLog): void {
  let count = 0;
  for (const [ns, elements] of deviceSigned.nameSpaces) {
    for (const element of elements.keys()) {
      if (!authorizations.nameSpaces.has(ns) && authorizations.dataElements.get(ns)?.has(element) !== true) {
        throw new VerificationError('MDOC_DEVICE_ELEMENT_UNAUTHORIZED', `device-signed element ${ns}/${element} is not authorised by the MSO keyAuthorizations`);
      }
      count++;
    }
  }
  if (count === 0) log.notApplicable('DEVICE_AUTH', 'No device-signed data element is present.');
  else log.passed('DEVICE_AUTH', `Each of the ${count} device-signed data elements is authorised by the MSO keyAuthorizations, and none is used as an attribute.`);
}
