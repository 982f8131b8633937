/**
 * Registration certificates (ETSI TS 119 475 WRPRC; oid4vp/registration-certificate.ts), loaded and
 * checked once at start: for each RP client (against its own access certificate, or the service's), one per use case, from the files its entry in
 * RP_CLIENTS_FILE names (`registration_certificates`), or in development issued by the fixture WRPRC
 * provider when the trust lists hold its anchor. Each must chain to a WRPRC providers anchor, be in
 * force, name the relying party of the access certificate, and register every claim the use case
 * asks for; otherwise the service does not start, and the message names the client, the use case
 * and what is wrong.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../config/load-config.ts';
import type { RpClientRegistry } from '../config/rp-clients.ts';
import { isServiceError } from '../errors.ts';
import { organizationIdentifierOf, registrationCovers, verifyRegistrationCertificate, type RegistrationCertificate } from '../oid4vp/registration-certificate.ts';
import type { VerifierIdentity } from '../oid4vp/verifier-identity.ts';
import type { TrustStore } from '../trust/types.ts';
import type { StatusChecker } from '../status/types.ts';
import type { UseCase } from '../use-cases/z-use-case.ts';
import type { DevelopmentDefaults } from './development.ts';

/** RP client id → use case id → its verified registration certificate. */
export type Registrations = ReadonlyMap<string, ReadonlyMap<string, RegistrationCertificate>>;

export interface RegistrationInputs {
  readonly clients: RpClientRegistry;
  readonly useCases: ReadonlyMap<string, UseCase>;
  readonly identity: VerifierIdentity;
  /** RP clients' own signing identities; a client without one signs with `identity`. */
  readonly clientIdentities: ReadonlyMap<string, VerifierIdentity>;
  readonly trust: TrustStore;
  /** Checks each certificate's Token Status List entry, when it has one. */
  readonly status?: StatusChecker;
  readonly now: Date;
  /** Development defaults, when the development client (not an RP_CLIENTS_FILE) is in use. */
  readonly dev?: DevelopmentDefaults;
  readonly warn: (message: string) => void;
}

export async function composeRegistrations(input: RegistrationInputs): Promise<Registrations> {
  const out = new Map<string, Map<string, RegistrationCertificate>>();
  for (const client of input.clients.clients) {
    const jwts = new Map<string, string>();
    for (const [useCaseId, file] of Object.entries(client.registration_certificates ?? {})) {
      if (!client.use_cases.includes(useCaseId)) throw new ConfigError(`RP_CLIENTS_FILE: client "${client.id}": registration_certificates names use case "${useCaseId}", which the client may not start`);
      try {
        jwts.set(useCaseId, await readFile(file, 'utf8'));
      } catch {
        throw new ConfigError(`RP_CLIENTS_FILE: client "${client.id}" use case "${useCaseId}": cannot read registration certificate ${file}`);
      }
    }
    if (input.dev !== undefined && jwts.size === 0) {
      for (const [useCaseId, jwt] of await devRegistrations(input)) if (client.use_cases.includes(useCaseId)) jwts.set(useCaseId, jwt);
    }
    const verified = new Map<string, RegistrationCertificate>();
    const access = input.clientIdentities.get(client.id) ?? input.identity;
    for (const [useCaseId, jwt] of jwts) verified.set(useCaseId, await checked(input, access, client.id, useCaseId, jwt));
    if (verified.size > 0) out.set(client.id, verified);
  }
  return out;
}

async function checked(input: RegistrationInputs, access: VerifierIdentity, clientId: string, useCaseId: string, jwt: string): Promise<RegistrationCertificate> {
  const useCase = input.useCases.get(useCaseId);
  const where = `RP_CLIENTS_FILE: client "${clientId}" use case "${useCaseId}"`;
  if (useCase === undefined) throw new ConfigError(`${where}: no such use case`);
  let registration: RegistrationCertificate;
  try {
    registration = await verifyRegistrationCertificate(jwt, { trust: input.trust, now: input.now, accessCertificateDer: access.leafDer, ...(input.status !== undefined && { status: input.status }) });
  } catch (err) {
    if (isServiceError(err)) throw new ConfigError(`${where}: ${err.code}: ${err.detail ?? err.publicMessage}`);
    throw err;
  }
  // Revoked or suspended fails above; a status list that cannot be had now does not stop the service, it is logged.
  if (registration.status === 'unavailable') input.warn(`${where}: the status list of the registration certificate could not be had; it is sent unchecked`);
  const uncovered = registrationCovers(registration.credentials, useCase.query);
  if (uncovered.length > 0) throw new ConfigError(`${where}: REGISTRATION_CERTIFICATE_NOT_COVERING: the use case asks for more than is registered: ${uncovered.join('; ')}`);
  return registration;
}

/** Development: certificates from the fixture provider, when the trust lists publish it (a directory of some lists only has none). */
async function devRegistrations(input: RegistrationInputs): Promise<ReadonlyMap<string, string>> {
  const dev = input.dev;
  if (dev === undefined) return new Map();
  if (!input.trust.anchors.some((a) => a.categories.has('wrprc'))) {
    input.warn('no WRPRC providers anchor in the trust lists: requests carry no registration certificate');
    return new Map();
  }
  const sub = organizationIdentifierOf(input.identity.leafDer);
  if (sub === undefined) return new Map();
  return dev.registrationCertificates([...input.useCases.values()], sub, input.now);
}
