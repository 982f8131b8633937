/**
 * The caches of the verification rooms: imported holder keys (SD-JWT VC `cnf.jwk`), the parsed
 * headers of issuer-signed JWTs whose signature verified, parsed mdoc document signers, imported
 * mdoc device keys. Each is a bounded LRU of facts that do not depend on time. They are created and sized where the service is composed and passed in through the
 * verification contexts; a context without them verifies with fresh, empty caches (nothing kept).
 */
import type { KeyObject } from 'node:crypto';
import type { JsonObject } from '../util/strict-json.ts';
import type { CosePublicKey } from '../cose/cose-key.ts';
import { BoundedCache } from '../util/bounded-cache.ts';
import type { DocumentSigner } from './mdoc/document-signer.ts';

export interface FormatCaches {
  /** `cnf.jwk` as received (RFC 7638 thumbprint input) → imported key. */
  readonly holderKeys: BoundedCache<string, KeyObject>;
  /**
   * The `<protected>` text of an issuer-signed JWT and its parsed header, deeply frozen; kept only
   * once the JWT's signature verified with a key from a validated chain (ADR 0310). Keyed by a
   * short excerpt of the text; an entry is used only when its whole text equals the one received.
   */
  readonly issuerHeaders: BoundedCache<string, { readonly text: string; readonly header: JsonObject }>;
  /** Certificate id (SHA-256 of the DER) → parsed document signer facts. */
  readonly documentSigners: BoundedCache<string, DocumentSigner>;
  /** Curve and coordinates → imported device key. */
  readonly deviceKeys: BoundedCache<string, CosePublicKey>;
}

export interface FormatCacheSizes {
  readonly holderKeys?: number;
  readonly issuerHeaders?: number;
  readonly documentSigners?: number;
  readonly deviceKeys?: number;
}

export function createFormatCaches(sizes: FormatCacheSizes = {}): FormatCaches {
  return {
    holderKeys: new BoundedCache(sizes.holderKeys ?? 1024),
    issuerHeaders: new BoundedCache(sizes.issuerHeaders ?? 256),
    documentSigners: new BoundedCache(sizes.documentSigners ?? 256),
    deviceKeys: new BoundedCache(sizes.deviceKeys ?? 1024),
  };
}

/** Caches that keep nothing: for a verification without caches of its own. */
export const noCaches = (): FormatCaches => createFormatCaches({ holderKeys: 0, issuerHeaders: 0, documentSigners: 0, deviceKeys: 0 });
