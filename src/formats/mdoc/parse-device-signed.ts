/**
 * Parses the DeviceSigned part of a Document (ISO/IEC 18013-5 §8.3.2.1.2.2):
 *
 * ```cddl
 * DeviceSigned = { "nameSpaces": DeviceNameSpacesBytes, "deviceAuth": DeviceAuth }
 * DeviceNameSpacesBytes = #6.24(bstr .cbor DeviceNameSpaces)
 * DeviceNameSpaces = { * NameSpace => { + DataElementIdentifier => DataElementValue } }
 * DeviceAuth = { "deviceSignature": DeviceSignature // "deviceMac": DeviceMac }
 * ```
 *
 * A missing `deviceSigned`, a missing `deviceAuth` or a `deviceAuth` with neither member is
 * `MDOC_DEVICE_AUTH_MISSING`: device authentication is always required. DeviceNameSpacesBytes keep
 * their received bytes, which DeviceAuthentication covers.
 *
 * Does not check: the signature or MAC (`verify-device-auth.ts`), or whether the device-signed
 * elements are authorised (`authorize-device-signed.ts`).
 */
import { VerificationError } from '../../errors.ts';
import { type CborMap, type CborValue, type EmbeddedCbor, decodeEmbedded } from '../../cbor/decode-cbor.ts';
import { asEmbedded, asMap, invalid, member, optionalMember } from '../../cbor/read-structure.ts';
import { MDOC_CBOR_LIMITS } from './limits.ts';

export interface DeviceSigned {
  /** DeviceNameSpacesBytes as received. */
  readonly nameSpacesBytes: EmbeddedCbor;
  /** Namespace → element identifier → value. */
  readonly nameSpaces: ReadonlyMap<string, ReadonlyMap<string, CborValue>>;
  readonly auth: { readonly kind: 'deviceSignature' | 'deviceMac'; readonly message: CborValue };
}

/** @throws {VerificationError} `MDOC_DEVICE_AUTH_MISSING`, `MDOC_STRUCTURE_INVALID`, `MDOC_MALFORMED` */
export function parseDeviceSigned(value: CborMap | undefined, what: string): DeviceSigned {
  if (value === undefined) throw new VerificationError('MDOC_DEVICE_AUTH_MISSING', `${what} is absent`);
  const deviceAuth = optionalMember(value, 'deviceAuth', what);
  if (deviceAuth === undefined) throw new VerificationError('MDOC_DEVICE_AUTH_MISSING', `${what}.deviceAuth is absent`);
  const auth = asMap(deviceAuth, `${what}.deviceAuth`);
  const signature = optionalMember(auth, 'deviceSignature', `${what}.deviceAuth`);
  const mac = optionalMember(auth, 'deviceMac', `${what}.deviceAuth`);
  if (signature === undefined && mac === undefined) throw new VerificationError('MDOC_DEVICE_AUTH_MISSING', `${what}.deviceAuth has neither deviceSignature nor deviceMac`);
  if (signature !== undefined && mac !== undefined) invalid(`${what}.deviceAuth`, 'has both deviceSignature and deviceMac');

  const nameSpacesBytes = asEmbedded(member(value, 'nameSpaces', what), `${what}.nameSpaces`);
  const nameSpaces = new Map<string, Map<string, CborValue>>();
  for (const [ns, elements] of asMap(decodeEmbedded(nameSpacesBytes, `${what}.nameSpaces`, MDOC_CBOR_LIMITS), `${what}.nameSpaces`)) {
    if (typeof ns !== 'string') invalid(`${what}.nameSpaces`, 'has a key that is not a namespace (tstr)');
    const map = new Map<string, CborValue>();
    const entries = asMap(elements, `${what}.nameSpaces[${ns}]`);
    if (entries.size === 0) invalid(`${what}.nameSpaces[${ns}]`, 'is empty');
    for (const [element, elementValue] of entries) {
      if (typeof element !== 'string') invalid(`${what}.nameSpaces[${ns}]`, 'has a key that is not an element identifier (tstr)');
      map.set(element, elementValue);
    }
    nameSpaces.set(ns, map);
  }
  return { nameSpacesBytes, nameSpaces, auth: signature !== undefined ? { kind: 'deviceSignature', message: signature } : { kind: 'deviceMac', message: mac } };
}
