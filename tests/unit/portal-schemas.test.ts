/**
 * The representation credential types as published (schemas/representation/, docs/representation.md):
 * the committed JSON Schemas and SD-JWT VC Type Metadata equal what the code checks, a fixture
 * credential of each type conforms, and nature, scope and validity are never selectively
 * disclosable in what the fixture issuer produces.
 *
 * After a deliberate change of a type, regenerate the files with
 * `UPDATE_REPRESENTATION_SCHEMAS=1 npx vitest run tests/unit/portal-schemas.test.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { exportJWK, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLeafCert, createRootCa, x5cOf, type IssuedCert } from '../../src/issuer/pki.ts';
import { issueRepresentationCredential } from '../../src/issuer/issue-representation.ts';
import { decodeSdJwtClaims } from '../../src/wallet/present-sd-jwt-vc.ts';
import { representationJsonSchema, representationSchemaFiles, representationTypeMetadata } from '../../src/portal/representation/type-metadata.ts';
import { partyTypeOfKind, representationKinds, vctOfKind, type RepresentationKind } from '../../src/portal/representation/representation-types.ts';
import { zRepresentationClaims, zRepresentationCredential } from '../../src/portal/representation/z-representation.ts';
import { defaultAuthority, person } from '../helpers/portal-deps.ts';
import { testOrganisations } from '../../src/issuer/test-persons.ts';

const update = process.env['UPDATE_REPRESENTATION_SCHEMAS'] === '1';

describe.each(representationKinds)('%s', (kind) => {
  const files = representationSchemaFiles(kind);

  it('the committed JSON Schema is generated from the checked schema', () => {
    const generated = `${JSON.stringify(representationJsonSchema(kind), null, 2)}\n`;
    if (update) writeFileSync(files.schema, generated);
    expect(readFileSync(files.schema, 'utf8')).toBe(generated);
  });

  it('the committed Type Metadata is generated, names the vct and marks authority never disclosable', () => {
    const generated = `${JSON.stringify(representationTypeMetadata(kind), null, 2)}\n`;
    if (update) writeFileSync(files.metadata, generated);
    expect(readFileSync(files.metadata, 'utf8')).toBe(generated);
    const metadata = representationTypeMetadata(kind) as { vct: string; claims: Array<{ path: unknown[]; sd: string }> };
    expect(metadata.vct).toBe(vctOfKind[kind]);
    for (const claim of metadata.claims) {
      if (claim.path[0] === 'authority' || claim.path[0] === 'cryptographically_bound_to') expect(claim.sd).toBe('never');
    }
    // The identifiers that bind the credential to a PID and name the represented party never are; names may be.
    expect(metadata.claims.find((c) => JSON.stringify(c.path) === '["representative","personal_administrative_number"]')?.sd).toBe('never');
    expect(metadata.claims.find((c) => JSON.stringify(c.path) === '["representative","given_name"]')?.sd).toBe('allowed');
  });
});

let issuer: IssuedCert;
beforeAll(async () => {
  const root = await createRootCa({ subject: 'CN=Test Representation Root, O=Test, C=SE' });
  issuer = await createLeafCert(root, { subject: 'CN=Test Representation Issuer, O=Test, C=SE', dnsNames: ['representation-issuer.test.eudi.example'] });
});

async function issue(kind: RepresentationKind): Promise<string> {
  const holder = await generateKeyPair('ES256');
  const org = testOrganisations[0];
  return issueRepresentationCredential({
    kind,
    represented: partyTypeOfKind(kind) === 'legal_person' ? { organisation_number: org?.organisation_number ?? '', legal_name: org?.legal_name ?? '', legal_form: 'AB' } : { ...pick(person('greta')) },
    representative: pick(person('erik')),
    authority: defaultAuthority(kind),
    issuerKey: issuer.privateKey,
    x5c: x5cOf(issuer),
    iss: 'https://representation-issuer.test.eudi.example',
    holderJwk: await exportJWK(holder.publicKey),
    iat: 1_900_000_000,
    exp: 1_930_000_000,
    status: { idx: 5, uri: 'https://representation-issuer.test.eudi.example/status-lists/1' },
  });
}
const pick = (p: ReturnType<typeof person>) => ({ personal_administrative_number: p.personal_administrative_number, birthdate: p.birthdate, given_name: p.given_name, family_name: p.family_name });

describe.each(representationKinds)('a fixture %s credential', (kind) => {
  it('conforms to its schema, the portal accepts its claims, and its authority is in the signed payload, not in a disclosure', async () => {
    const sdJwt = await issue(kind);
    const all = decodeSdJwtClaims(sdJwt);
    expect(zRepresentationCredential(kind).safeParse(all).success).toBe(true);
    expect(zRepresentationClaims(kind).safeParse(all).success).toBe(true);
    const payload = JSON.parse(Buffer.from(sdJwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(payload['authority']).toEqual(defaultAuthority(kind));
    expect(payload['cryptographically_bound_to']).toBe('urn:eudi:pid:1');
    expect(payload['status']).toEqual({ status_list: { idx: 5, uri: 'https://representation-issuer.test.eudi.example/status-lists/1' } });
    // The identifiers are in the signed payload (never disclosable); only the names are digests.
    const representative = payload['representative'] as Record<string, unknown>;
    expect(representative['personal_administrative_number']).toBe(person('erik').personal_administrative_number);
    expect(Object.keys(representative).sort()).toEqual(['_sd', 'birthdate', 'personal_administrative_number']);
    expect(JSON.stringify(representative)).not.toContain(person('erik').given_name);
  });
});
