/**
 * mdoc authentication (ISO/IEC 18013-5 §9.1.3; OpenID4VP 1.0 Appendix B.2.6): the holder proves
 * possession of the device key in the MSO over DeviceAuthenticationBytes, which bind the
 * presentation to this request through the SessionTranscript the verifier rebuilt itself.
 *
 * - `deviceSignature` (COSE_Sign1, detached payload): `alg` from the protected header,
 *   allow-listed (ES256, ES384, ES512) and fitting the device key's curve; the signature over
 *   `Sig_structure` with DeviceAuthenticationBytes as payload.
 * - `deviceMac` (COSE_Mac0, HMAC 256/256, detached payload): only where a reader key exists
 *   (ISO 18013-5 proximity flows, the Annex D vector). OpenID4VP requests carry no reader key, so
 *   there it is `MDOC_DEVICE_MAC_UNSUPPORTED`.
 *
 * Does not check: the device-signed elements' authorisation (`authorize-device-signed.ts`).
 */
import type { KeyObject } from 'node:crypto';
import { VerificationError } from '../../errors.ts';
import { invalid } from '../../cbor/read-structure.ts';
import type { CheckLog } from './checks.ts';
import { COSE_HMAC_256_256, coseSignatureAlgorithm } from '../../cose/cose-algorithms.ts';
import { importCosePublicKey } from '../../cose/cose-key.ts';
import type { FormatCaches } from '../caches.ts';
import { HEADER, parseCoseMessage } from '../../cose/parse-cose-message.ts';
import { verifyCoseSignature } from '../../cose/verify-cose-sign1.ts';
import { deriveEMacKey, verifyHmac256 } from '../../cose/verify-cose-mac0.ts';
import { deviceAuthenticationBytes } from './device-authentication.ts';
import type { DeviceSigned } from './parse-device-signed.ts';
import type { MobileSecurityObject } from './parse-mobile-security-object.ts';

export interface DeviceAuthContext {
  /** The bare CBOR SessionTranscript, built by the verifier from its own request values. */
  readonly sessionTranscript: Uint8Array;
  /** The reader's private EC key, for deviceMac; absent in OpenID4VP flows. */
  readonly readerKey?: KeyObject;
  /** Where imported device keys are kept between presentations (formats/caches.ts). */
  readonly caches?: Pick<FormatCaches, 'deviceKeys'>;
}

/**
 * @throws {VerificationError} `MDOC_DEVICE_MAC_UNSUPPORTED`, `MDOC_DEVICE_KEY_INVALID`,
 *   `MDOC_DEVICE_AUTH_ALG_NOT_ALLOWED`, `MDOC_DEVICE_SIGNATURE_INVALID`, `MDOC_DEVICE_MAC_INVALID`,
 *   `MDOC_STRUCTURE_INVALID`, `MDOC_COSE_HEADER_INVALID`
 */
export function verifyDeviceAuth(deviceSigned: DeviceSigned, docType: string, mso: MobileSecurityObject, ctx: DeviceAuthContext, log: CheckLog): void {
  const { kind } = deviceSigned.auth;
  if (kind === 'deviceMac' && ctx.readerKey === undefined) {
    throw new VerificationError('MDOC_DEVICE_MAC_UNSUPPORTED', 'deviceMac was sent, but this request has no reader key to derive EMacKey');
  }
  const what = `deviceSigned.deviceAuth.${kind}`;
  const message = parseCoseMessage(deviceSigned.auth.message, kind === 'deviceSignature' ? 'sign1' : 'mac0', what);
  if (message.payload !== null) invalid(`${what}.payload`, 'is not detached (nil)');
  const deviceKey = importCosePublicKey(mso.deviceKey, 'MSO deviceKeyInfo.deviceKey', ctx.caches?.deviceKeys);
  const payload = deviceAuthenticationBytes(ctx.sessionTranscript, docType, deviceSigned.nameSpacesBytes.encoded);

  if (kind === 'deviceSignature') {
    const alg = coseSignatureAlgorithm(message.protectedHeader.get(HEADER.alg));
    if (alg === undefined || alg.curve !== deviceKey.curve) {
      throw new VerificationError('MDOC_DEVICE_AUTH_ALG_NOT_ALLOWED', 'deviceSignature "alg" is absent from the protected header, not ES256, ES384 or ES512, or does not fit the device key');
    }
    log.passed('DEVICE_AUTH', `The deviceSignature algorithm ${alg.name} is read from the protected header, is allowed and fits the device key.`);
    if (!verifyCoseSignature(alg, deviceKey.key, message.protectedBytes, payload, message.signature)) {
      throw new VerificationError('MDOC_DEVICE_SIGNATURE_INVALID', 'deviceSignature does not verify with the MSO device key over DeviceAuthentication with this request\'s SessionTranscript');
    }
    log.passed('DEVICE_AUTH', 'The deviceSignature verifies with the MSO device key over DeviceAuthentication bound to this request\'s SessionTranscript.');
    return;
  }

  if (message.protectedHeader.get(HEADER.alg) !== COSE_HMAC_256_256) {
    throw new VerificationError('MDOC_DEVICE_AUTH_ALG_NOT_ALLOWED', 'deviceMac "alg" is absent from the protected header or is not HMAC 256/256 (5)');
  }
  log.passed('DEVICE_AUTH', 'The deviceMac algorithm HMAC 256/256 is read from the protected header and is allowed.');
  const key = deriveEMacKey(ctx.readerKey as KeyObject, deviceKey.key, ctx.sessionTranscript);
  if (!verifyHmac256(key, message.protectedBytes, payload, message.signature)) {
    throw new VerificationError('MDOC_DEVICE_MAC_INVALID', 'deviceMac does not verify over DeviceAuthentication with the session transcript');
  }
  log.passed('DEVICE_AUTH', 'The deviceMac verifies with EMacKey (ECDH of the reader key and the MSO device key) over DeviceAuthentication bound to the session transcript.');
}
