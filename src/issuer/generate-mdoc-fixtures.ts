/**
 * The mdoc part of the development fixtures: two test IACAs (ISO/IEC 18013-5 Annex B.1.2) with a
 * document signer each (Annex B.1.4: EKU 1.0.18013.5.1.2, critical), and for every test person
 * an mdoc PID (`eu.europa.ec.eudi.pid.1`, PID Rulebook element names) and an mDL
 * (`org.iso.18013.5.1.mDL`, ISO/IEC 18013-5 §7.2.1), each bound to its own device key.
 *
 * Trust: the PID IACA is published in the PID providers LoTE (category `pid`: one list anchors
 * both PID formats); the mDL IACA in its own signed LoTE, `dev-mdl-iaca.lote.jws`, with the local
 * service type `urn:se:eudi:svctype:mdl-iaca` (category `mdl`). Keeping them apart means an mDL
 * document signer cannot issue a PID.
 *
 * Also written, for the developer wallet's `expired-mso` misbehaviour only: a PID whose MSO
 * validity ended an hour before generation, marked `test_variant: 'expired-mso'`.
 *
 * Files: `pki/{pid-iaca,pid-mdoc-ds,mdl-iaca,mdl-ds}.pem` (+ `.key.pem`) under the fixtures
 * directory, `dev-mdl-iaca.lote.jws` in the trust-list directory.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { localServiceTypes } from '../trust/service-types.ts';
import { x509 } from '../trust/x509.ts';
import { MDOC_DS_EKU } from '../formats/mdoc/document-signer.ts';
import type { MdocWalletCredential } from './generate-fixtures.ts';
import { fullDate, issueMdoc, type MdocNameSpaces } from './issue-mdoc.ts';
import { createLeafCert, createRootCa, privateKeyPem, type IssuedCert } from './pki.ts';
import type { TestPerson } from './test-persons.ts';
import { buildLote, signLote, type TrustListService } from './trust-list-writer.ts';

export const PID_MDOC_DOCTYPE = 'eu.europa.ec.eudi.pid.1';
export const PID_MDOC_NAMESPACE = 'eu.europa.ec.eudi.pid.1';
export const MDL_DOCTYPE = 'org.iso.18013.5.1.mDL';
export const MDL_NAMESPACE = 'org.iso.18013.5.1';
export const MDL_IACA_LIST_FILE = 'dev-mdl-iaca.lote.jws';

/** ETSI TS 119 602 PID issuance service type (ETSI TS 119 602): the same service publishes both PID formats. */
const PID_ISSUANCE_SERVICE_TYPE = 'http://uri.etsi.org/19602/SvcType/PID/Issuance';

const DAY = 86_400_000;
const HOUR = 3_600_000;

export interface MdocFixturesInput {
  readonly fixturesDir: string;
  readonly trustListDir: string;
  /** Signs `dev-mdl-iaca.lote.jws` (the fixtures' trusted-list operator). */
  readonly listSigner: IssuedCert;
  readonly now: Date;
  /** Until when the issued mdocs are valid. */
  readonly validUntil: Date;
  /** `ListIssueDateTime` and `NextUpdate` of the written list. */
  readonly issued: string;
  readonly nextUpdate: string;
}

export interface MdocFixtures {
  /** Services to publish in the PID providers LoTE (the PID IACA). */
  readonly pidProviderServices: readonly TrustListService[];
  /** The mdoc credentials of one test person; `pidStatus` puts a Token Status List reference in the PID's MSO. */
  credentialsFor(person: TestPerson, opts?: { readonly pidStatus?: { readonly idx: number; readonly uri: string } }): Promise<MdocWalletCredential[]>;
}

const dsExtensions = (): x509.Extension[] => [new x509.ExtendedKeyUsageExtension([MDOC_DS_EKU], true)];

/** A minimal JPEG (SOI, JFIF APP0, EOI) standing in for a portrait. Not a picture of anyone. */
const PLACEHOLDER_PORTRAIT = Buffer.from('ffd8ffe000104a46494600010101004800480000ffd9', 'hex');

async function writeCert(dir: string, name: string, cert: IssuedCert): Promise<void> {
  await writeFile(join(dir, 'pki', `${name}.pem`), cert.pem);
  await writeFile(join(dir, 'pki', `${name}.key.pem`), await privateKeyPem(cert), { mode: 0o600 });
}

const addYears = (date: string, years: number): string => `${Number(date.slice(0, 4)) + years}${date.slice(4)}`;

function pidElements(person: TestPerson, now: Date): MdocNameSpaces {
  const issuance = now.toISOString().slice(0, 10);
  const { street_address, postal_code, locality, country } = person.address;
  return {
    [PID_MDOC_NAMESPACE]: {
      family_name: person.family_name,
      given_name: person.given_name,
      birth_date: fullDate(person.birthdate),
      nationality: [...person.nationalities],
      resident_address: `${street_address}, ${postal_code} ${locality}`,
      resident_street: street_address,
      resident_postal_code: postal_code,
      resident_city: locality,
      resident_country: country,
      personal_administrative_number: person.personal_administrative_number,
      issuing_authority: 'Test PID Provider',
      issuing_country: 'SE',
      issuance_date: fullDate(issuance),
      expiry_date: fullDate(addYears(issuance, 5)),
    },
  };
}

function mdlElements(person: TestPerson, now: Date): MdocNameSpaces {
  const issue = now.toISOString().slice(0, 10);
  const expiry = addYears(issue, 10);
  const adult = Number(now.toISOString().slice(0, 4)) - Number(person.birthdate.slice(0, 4)) > 18;
  return {
    [MDL_NAMESPACE]: {
      family_name: person.family_name,
      given_name: person.given_name,
      birth_date: fullDate(person.birthdate),
      issue_date: fullDate(issue),
      expiry_date: fullDate(expiry),
      issuing_country: 'SE',
      issuing_authority: 'Test Driving Licence Authority',
      document_number: `T${person.personal_administrative_number.slice(2, 10)}`,
      portrait: PLACEHOLDER_PORTRAIT,
      driving_privileges: [new Map<string, unknown>([['vehicle_category_code', 'B'], ['issue_date', fullDate(issue)], ['expiry_date', fullDate(expiry)]])],
      un_distinguishing_sign: 'S',
      age_over_18: adult,
    },
  };
}

/**
 * Creates the mdoc PKI, writes its certificates and the mDL IACA list, and returns what the
 * PID providers list must publish and a function that issues a person's mdocs.
 */
export async function generateMdocFixtures(input: MdocFixturesInput): Promise<MdocFixtures> {
  const { now } = input;
  const notBefore = new Date(now.getTime() - 30 * DAY);
  const caUntil = new Date(now.getTime() + 10 * 365 * DAY);
  const dsUntil = new Date(input.validUntil.getTime() + 30 * DAY);
  const pidIaca = await createRootCa({ subject: 'CN=Test PID IACA, O=EUDI Verifier Fixtures, C=SE', notBefore, notAfter: caUntil, pathLength: 0 });
  const pidDs = await createLeafCert(pidIaca, { subject: 'CN=Test PID Document Signer, O=EUDI Verifier Fixtures, C=SE', notBefore, notAfter: dsUntil, extraExtensions: dsExtensions() });
  const mdlIaca = await createRootCa({ subject: 'CN=Test mDL IACA, O=EUDI Verifier Fixtures, C=SE', notBefore, notAfter: caUntil, pathLength: 0 });
  const mdlDs = await createLeafCert(mdlIaca, { subject: 'CN=Test mDL Document Signer, O=EUDI Verifier Fixtures, C=SE', notBefore, notAfter: dsUntil, extraExtensions: dsExtensions() });
  for (const [name, cert] of Object.entries({ 'pid-iaca': pidIaca, 'pid-mdoc-ds': pidDs, 'mdl-iaca': mdlIaca, 'mdl-ds': mdlDs })) await writeCert(input.fixturesDir, name, cert);

  const mdlLote = buildLote({
    loteType: 'urn:se:eudi:lotetype:mdl-iaca-list',
    issued: input.issued,
    nextUpdate: input.nextUpdate,
    services: [{ name: 'Test mDL IACA', serviceType: localServiceTypes.mdlIaca, certDer: mdlIaca.der }],
  });
  await writeFile(join(input.trustListDir, MDL_IACA_LIST_FILE), await signLote(mdlLote, input.listSigner));

  const current = { signed: now, validFrom: now, validUntil: input.validUntil };
  const issue = async (id: string, docType: string, nameSpaces: MdocNameSpaces, signer: IssuedCert, validity = current, status?: { idx: number; uri: string }): Promise<MdocWalletCredential> => {
    const device = await generateKeyPair('ES256', { extractable: true });
    const issuerSigned = await issueMdoc({ docType, nameSpaces, signer, deviceKey: await exportJWK(device.publicKey), validity, ...(status === undefined ? {} : { status }) });
    return { id, format: 'mso_mdoc', doctype: docType, issuer_signed: Buffer.from(issuerSigned).toString('base64url'), device_private_jwk: await exportJWK(device.privateKey) };
  };
  return {
    pidProviderServices: [{ name: 'Test PID IACA', serviceType: PID_ISSUANCE_SERVICE_TYPE, certDer: pidIaca.der }],
    credentialsFor: async (person, opts = {}) => {
      const expired = { signed: new Date(now.getTime() - 2 * DAY), validFrom: new Date(now.getTime() - 2 * DAY), validUntil: new Date(now.getTime() - HOUR) };
      return [
        await issue('pid-mdoc', PID_MDOC_DOCTYPE, pidElements(person, now), pidDs, current, opts.pidStatus),
        await issue('mdl', MDL_DOCTYPE, mdlElements(person, now), mdlDs),
        { ...(await issue('pid-mdoc-expired', PID_MDOC_DOCTYPE, pidElements(person, now), pidDs, expired)), test_variant: 'expired-mso' as const },
      ];
    },
  };
}
