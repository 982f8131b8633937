/**
 * Unit-test support for portal/: PortalDeps over memory stores with a pinned clock, the shipped use
 * cases, portal policies and forms, and verified transactions put straight into the transaction
 * store (no cryptography: the verifier's own tests cover that; these tests are about what the
 * portal does with verified results).
 */
import { createLeafCert, createRootCa, privateKeyPem } from '../../src/issuer/pki.ts';
import { testOrganisations, testPersons, type TestPerson } from '../../src/issuer/test-persons.ts';
import { hashResponseCode } from '../../src/oid4vp/post-wallet-response.ts';
import { newNonce, newRequestId, newResponseCode, newTransactionId, type StoredCredentialResult, type Transaction } from '../../src/oid4vp/transaction.ts';
import type { VerifierDeps } from '../../src/oid4vp/verifier-deps.ts';
import { loadVerifierIdentity, type VerifierIdentity } from '../../src/oid4vp/verifier-identity.ts';
import { loadForms } from '../../src/portal/load-forms.ts';
import { portalPolicies } from '../../src/portal/load-portal-policies.ts';
import type { PortalAuditEvent, PortalDeps } from '../../src/portal/portal-deps.ts';
import { noRoleStatusSource, type RoleStatusCheck } from '../../src/portal/role-status.ts';
import { vctOfKind, type RepresentationKind } from '../../src/portal/representation/representation-types.ts';
import type { Authority } from '../../src/portal/representation/z-representation.ts';
import { loadUseCases } from '../../src/use-cases/load-use-cases.ts';
import { MemorySessionStore } from '../../src/store/memory-session-store.ts';
import { MemorySharingLogStore } from '../../src/store/memory-sharing-log-store.ts';
import { MemoryTransactionStore } from '../../src/store/memory-transaction-store.ts';
import { createTrustStore } from '../../src/trust/trust-store.ts';
import { representationTypeRules } from '../../src/portal/representation/type-metadata.ts';
import type { TrustCategory, TrustEvidence } from '../../src/trust/types.ts';
import type { RpClient } from '../../src/config/rp-clients.ts';
import { hashApiKey } from '../../src/config/rp-clients.ts';

/** 2030-01-15 10:00 UTC. */
export const T0 = Date.UTC(2030, 0, 15, 10, 0, 0);
export const RESULT_TTL_MS = 600_000;
export const IDLE_MS = 900_000;
export const ABSOLUTE_MS = 8 * 3_600_000;
export const RETENTION_MS = 365 * 86_400_000;
export const SECRET = new Uint8Array(32).fill(7);
export const PID_ANCHOR = 'pid-anchor-se';
export const REPRESENTATION_ANCHOR = 'representation-anchor';

const loginUseCases = ['login-portal', 'login-pid', 'login-pid-address', 'representation-company-signatory'];
export const rpA: RpClient = { id: 'agency-a', name: 'Agency A', api_key_sha256: hashApiKey('key-a-0123456789'), use_cases: [...loginUseCases, 'pid-basic'], redirect_uris: ['https://agency-a.example/cb'] };
export const rpB: RpClient = { id: 'agency-b', name: 'Agency B', api_key_sha256: hashApiKey('key-b-0123456789'), use_cases: [...loginUseCases], redirect_uris: [] };

export const person = (id: string): TestPerson => {
  const p = testPersons.find((x) => x.id === id);
  if (p === undefined) throw new Error(`no test person ${id}`);
  return p;
};

export const evidence = (category: TrustCategory, anchorId: string): TrustEvidence => ({
  anchorId,
  anchorSubject: `CN=${anchorId}`,
  category,
  list: 'test-list',
  service: 'test-service',
  leafSubject: 'CN=leaf',
  leafId: 'leaf',
});

/** The PID as the login use case keeps it. */
export function pidResult(who: TestPerson, o: { anchorId?: string; category?: TrustCategory; holderBound?: boolean; claims?: Record<string, unknown>; queryId?: string } = {}): StoredCredentialResult {
  return {
    query_id: o.queryId ?? 'pid',
    format: 'dc+sd-jwt',
    type: 'urn:eudi:pid:1',
    issuer: 'https://pid-issuer.test.eudi.example',
    claims: o.claims ?? { given_name: who.given_name, family_name: who.family_name, birthdate: who.birthdate, personal_administrative_number: who.personal_administrative_number },
    trust: evidence(o.category ?? 'pid', o.anchorId ?? PID_ANCHOR),
    holder_bound: o.holderBound ?? true,
    valid_until: new Date(T0 + 365 * 86_400_000).toISOString(),
    status: 'not_checked',
  };
}

const naturalOf = (p: TestPerson) => ({ personal_administrative_number: p.personal_administrative_number, birthdate: p.birthdate, given_name: p.given_name, family_name: p.family_name });

export const defaultAuthority = (kind: RepresentationKind): Authority => {
  const base = { legal_basis: 'test', constraints: [], valid_from: '2025-01-01', valid_until: '2032-12-31', reference: 'REF-1' };
  switch (kind) {
    case 'guardianship':
      return { ...base, kind: 'vardnadshavare', scope: ['*'] };
    case 'power_of_attorney':
      return { ...base, kind: 'fullmakt', scope: ['se.skatteverket.deklaration', 'se.forsakringskassan.*'], sub_delegation: false };
    case 'trusteeship':
      return { ...base, kind: 'god_man', scope: ['se.skatteverket.*'] };
    case 'company_signatory': {
      const { valid_until: _v, ...open } = base;
      return { ...open, kind: 'firmatecknare', scope: ['*'], signatory_rule: 'sole' };
    }
    case 'company_mandate':
      return { ...base, kind: 'foretagsfullmakt', scope: ['se.bolagsverket.adressandring'], sub_delegation: false };
  }
};

/** A representation credential as the login-portal use case keeps it. */
export function representationResult(
  kind: RepresentationKind,
  representative: TestPerson,
  represented: TestPerson | string,
  o: { authority?: Partial<Authority>; category?: TrustCategory; holderBound?: boolean; validUntil?: string; status?: StoredCredentialResult['status']; boundTo?: string; statusRef?: { idx: number; uri: string } | null; claims?: Record<string, unknown> } = {},
): StoredCredentialResult {
  const org = typeof represented === 'string' ? testOrganisations.find((x) => x.id === represented) : undefined;
  const party = typeof represented === 'string' ? { organisation_number: org?.organisation_number ?? '0000000000', legal_name: org?.legal_name ?? 'X' } : naturalOf(represented);
  return {
    query_id: kind,
    format: 'dc+sd-jwt',
    type: vctOfKind[kind],
    issuer: 'https://representation-issuer.test.eudi.example',
    claims: o.claims ?? {
      represented: party,
      representative: { personal_administrative_number: representative.personal_administrative_number, birthdate: representative.birthdate },
      authority: { ...defaultAuthority(kind), ...o.authority },
      cryptographically_bound_to: o.boundTo ?? 'urn:eudi:pid:1',
    },
    trust: evidence(o.category ?? 'representation', REPRESENTATION_ANCHOR),
    holder_bound: o.holderBound ?? true,
    valid_until: o.validUntil ?? new Date(T0 + 365 * 86_400_000).toISOString(),
    status: o.status ?? 'not_checked',
    // Every representation credential carries a status reference; `statusRef: null` leaves it out.
    ...(o.statusRef !== null && { status_ref: o.statusRef ?? { idx: 1, uri: 'https://representation-issuer.test.eudi.example/status-lists/1' } }),
  };
}

let identity: VerifierIdentity | undefined;
async function verifierIdentity(): Promise<VerifierIdentity> {
  if (identity === undefined) {
    const root = await createRootCa({ subject: 'CN=Test Access CA, O=Test, C=SE' });
    const leaf = await createLeafCert(root, { subject: 'CN=Test Verifier, O=Test, C=SE', dnsNames: ['verifier.example'] });
    identity = await loadVerifierIdentity(await privateKeyPem(leaf), leaf.pem, 'https://verifier.example');
  }
  return identity;
}

export interface PortalHarness {
  readonly deps: PortalDeps;
  readonly transactions: MemoryTransactionStore;
  readonly sessions: MemorySessionStore;
  readonly log: MemorySharingLogStore;
  readonly audit: PortalAuditEvent[];
  /** Moves the pinned clock. */
  advance(ms: number): void;
  now(): number;
  /** Stores a verified transaction with `results` for `rp`; same-device ones return their response code. */
  verified(results: readonly StoredCredentialResult[], o?: { useCase?: string; rp?: RpClient; flow?: 'same_device' | 'cross_device'; status?: 'verified' | 'failed' }): Promise<{ id: string; responseCode?: string }>;
}

export async function portalHarness(o: { roleStatus?: RoleStatusCheck } = {}): Promise<PortalHarness> {
  let clock = T0;
  const transactions = new MemoryTransactionStore(60_000);
  const sessions = new MemorySessionStore();
  const log = new MemorySharingLogStore();
  const audit: PortalAuditEvent[] = [];
  const useCases = loadUseCases('presentation-definitions');
  const verifier: VerifierDeps = {
    store: transactions,
    useCases,
    identity: await verifierIdentity(),
    trust: () => createTrustStore([]),
    credentialTypeRules: representationTypeRules,
    now: () => clock,
    settings: {
      publicBaseUrl: 'https://verifier.example',
      clientIdPrefix: 'x509_hash',
      defaultResponseMode: 'direct_post.jwt',
      transactionTtlMs: 300_000,
      resultTtlMs: RESULT_TTL_MS,
      clockSkewSeconds: 60,
      kbMaxAgeSeconds: 300,
      legacyTypVcts: [],
      profile: 'open',
    },
    audit: () => {},
  };
  const deps: PortalDeps = {
    verifier,
    sessions,
    sharingLog: log,
    policies: portalPolicies(useCases),
    forms: loadForms('forms'),
    roleStatus: o.roleStatus ?? noRoleStatusSource,
    accountKeySecret: SECRET,
    rpName: (id) => [rpA, rpB].find((c) => c.id === id)?.name,
    settings: { idleMs: IDLE_MS, absoluteMs: ABSOLUTE_MS, sharingLogRetentionMs: RETENTION_MS },
    audit: (e) => audit.push(e),
  };
  return {
    deps,
    transactions,
    sessions,
    log,
    audit,
    advance: (ms) => {
      clock += ms;
    },
    now: () => clock,
    async verified(results, v = {}) {
      const flow = v.flow ?? 'cross_device';
      const tx: Transaction = {
        id: newTransactionId(),
        requestId: newRequestId(),
        rpClientId: (v.rp ?? rpA).id,
        useCaseId: v.useCase ?? 'login-portal',
        flow,
        responseMode: 'direct_post.jwt',
        requestUriMethod: 'get',
        ...(flow === 'same_device' && { redirectUri: 'https://agency-a.example/cb' }),
        nonce: newNonce(),
        clientId: 'x509_hash:test',
        createdAt: clock,
        expiresAt: clock + 300_000,
        status: 'pending',
      };
      await transactions.create(tx);
      const code = flow === 'same_device' ? newResponseCode() : undefined;
      const ok = await transactions.complete(
        tx.id,
        (v.status ?? 'verified') === 'verified'
          ? { status: 'verified', result: results, ...(code !== undefined && { responseCodeHash: hashResponseCode(code) }), resultExpiresAt: clock + RESULT_TTL_MS }
          : { status: 'failed', error: { code: 'KB_NONCE_MISMATCH' }, ...(code !== undefined && { responseCodeHash: hashResponseCode(code) }), resultExpiresAt: clock + RESULT_TTL_MS },
        clock,
      );
      if (!ok) throw new Error('could not complete the test transaction');
      return code === undefined ? { id: tx.id } : { id: tx.id, responseCode: code };
    },
  };
}
