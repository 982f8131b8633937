/**
 * `eudi-verifier trust-list` builds, signs and inspects test trusted lists in both ETSI formats
 * from PEM certificates (by default the fixture list operator signs), and
 * `eudi-verifier credential-status` revokes, suspends or reinstates a fixture credential in the
 * fixture status list. Development and test tooling: nothing here is used by the service.
 */
import { access, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load-config.ts';
import { isServiceError } from '../errors.ts';
import { fixtureStatusReference, FIXTURE_STATUS_LIST_BASE, setFixtureStatus, statusListDir, type FixtureStatus } from '../issuer/fixture-status-lists.ts';
import { loadIssuedCert, type IssuedCert } from '../issuer/pki.ts';
import { buildLote, signLote, signTrustedListXml, writeLoteXml, writeTrustedListXml, type TrustListPointerSpec, type TrustListService } from '../issuer/trust-list-writer.ts';
import { readTestPerson } from './read-test-person.ts';
import { UsageError } from './user-mistake.ts';
import { inflateBounded, statusAt } from '../status/decode-status-list.ts';
import { readTrustList } from '../trust/read-trust-list.ts';
import { localServiceTypes, loteServiceTypes, loteTypes, tslTypes } from '../trust/service-types.ts';
import { isAnchorActive } from '../trust/types.ts';
import { decodeBase64url } from '../util/base64url.ts';

export const TRUST_LIST_USAGE = `  trust-list build --format <f> --service <s> [--service <s> …] [options]
                              build and sign a test trusted list; formats: lote (compact JWS), lote-json
                              (JWS JSON, general), lote-flattened, lote-plain (unsigned JSON), lote-xml (the
                              TS 119 602 XML binding, XAdES-B signed), xml (XAdES-B signed TS 119 612),
                              xml-unsigned, lotl (a signed list of lists, with --pointer)
      --service "<name>|<type>|<cert.pem>[|<provider>]"   type: pid-issuance, pid-revocation, pubeaa-issuance,
                              pubeaa-revocation, wrpac-issuance, wrprc-issuance, wrprc-revocation (providers
                              of registration certificates, ETSI TS 119 475), mdl-iaca, representation-issuance,
                              representation-revocation, eaa, qeaa, pub-eaa, or a service type URI
      --pointer "<location>|<signer.pem>[|<territory>]"     (lotl, lote*) a pointed list and its signer
      --type <pid|pubeaa|wrpac|wrprc|URI>   LoTEType (default: from the first service)
      --signer <cert.pem> --signer-key <key.pem>           default: FIXTURES_DIR/pki/list-signer
      --next-update-days <n>  default 180;  --out <file>  default: standard output
  trust-list inspect <file> [--signer-cert <pem> …] [--at <ISO date-time>]
                              verify (default signer: the fixture list operator) and describe a list,
                              as of --at (default now): historical lists are checked at their own time
  credential-status <person> [valid|revoked|suspended] [--credential <id>]
                              show, or set, a fixture credential's entry in its fixture status list`;

const serviceAliases: Readonly<Record<string, string>> = {
  'pid-issuance': loteServiceTypes.pidIssuance,
  'pid-revocation': loteServiceTypes.pidRevocation,
  'pubeaa-issuance': loteServiceTypes.pubEaaIssuance,
  'pubeaa-revocation': loteServiceTypes.pubEaaRevocation,
  'wrpac-issuance': loteServiceTypes.wrpacIssuance,
  'wrpac-revocation': loteServiceTypes.wrpacRevocation,
  'wrprc-issuance': loteServiceTypes.wrprcIssuance,
  'wrprc-revocation': loteServiceTypes.wrprcRevocation,
  'mdl-iaca': localServiceTypes.mdlIaca,
  'representation-issuance': localServiceTypes.representationIssuance,
  'representation-revocation': localServiceTypes.representationRevocation,
  eaa: 'http://uri.etsi.org/TrstSvc/Svctype/EAA',
  qeaa: 'http://uri.etsi.org/TrstSvc/Svctype/EAA/Q',
  'pub-eaa': 'http://uri.etsi.org/TrstSvc/Svctype/EAA/Pub-EAA',
};

const loteTypeAliases: Readonly<Record<string, string>> = { pid: loteTypes.pidProviders, pubeaa: loteTypes.pubEaaProviders, wrpac: loteTypes.wrpacProviders, wrprc: loteTypes.wrprcProviders };

const DAY = 86_400_000;

/** A mistake in the command line or its files: one line on standard error, exit code 2. */

const pemToDer = (pem: string): Uint8Array => {
  const match = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/.exec(pem);
  if (!match?.[1]) throw new UsageError('expected a PEM certificate');
  return new Uint8Array(Buffer.from(match[1].replace(/\s+/g, ''), 'base64'));
};

async function readCertDer(path: string): Promise<Uint8Array> {
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`${path}: ${(err as { code?: unknown }).code === 'ENOENT' ? 'no such file' : 'cannot be read'}`);
  }
  try {
    return pemToDer(pem);
  } catch {
    throw new UsageError(`${path} is not a PEM certificate`);
  }
}

async function parseService(spec: string): Promise<TrustListService> {
  const [name, type, certPath, provider] = spec.split('|');
  if (!name || !type || !certPath) throw new UsageError(`--service "${spec}": expected "<name>|<type>|<cert.pem>[|<provider>]"`);
  const serviceType = serviceAliases[type] ?? type;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(serviceType)) throw new UsageError(`--service "${spec}": unknown service type "${type}"`);
  return { name, serviceType, certDer: await readCertDer(certPath), ...(provider ? { provider } : {}) };
}

async function parsePointer(spec: string): Promise<TrustListPointerSpec> {
  const [location, certPath, territory] = spec.split('|');
  if (!location || !certPath) throw new UsageError(`--pointer "${spec}": expected "<location>|<signer.pem>[|<territory>]"`);
  return { location, signerCertsDer: [await readCertDer(certPath)], ...(territory ? { territory } : {}) };
}

function defaultLoteType(services: readonly TrustListService[]): string {
  const first = services[0]?.serviceType ?? '';
  if (first.includes('/PID/')) return loteTypes.pidProviders;
  if (first.includes('/PubEAA/')) return loteTypes.pubEaaProviders;
  if (first.includes('/WRPAC/')) return loteTypes.wrpacProviders;
  if (first.includes('/WRPRC/')) return loteTypes.wrprcProviders;
  return 'urn:se:eudi:lotetype:test';
}

async function loadSigner(fixturesDir: string, certPath: string | undefined, keyPath: string | undefined): Promise<IssuedCert> {
  const cert = certPath ?? join(fixturesDir, 'pki', 'list-signer.pem');
  const key = keyPath ?? (certPath === undefined ? join(fixturesDir, 'pki', 'list-signer.key.pem') : undefined);
  if (key === undefined) throw new UsageError('--signer needs --signer-key');
  return loadIssuedCert(await readFile(cert, 'utf8'), await readFile(key, 'utf8'));
}

async function build(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      format: { type: 'string', default: 'lote' },
      service: { type: 'string', multiple: true, default: [] },
      pointer: { type: 'string', multiple: true, default: [] },
      type: { type: 'string' },
      signer: { type: 'string' },
      'signer-key': { type: 'string' },
      'next-update-days': { type: 'string', default: '180' },
      operator: { type: 'string', default: 'EUDI Verifier Test Lists' },
      out: { type: 'string' },
    },
  });
  const config = loadConfig();
  const services = await Promise.all(values.service.map(parseService));
  const pointers = await Promise.all(values.pointer.map(parsePointer));
  const issued = new Date();
  const days = Number(values['next-update-days']);
  if (!Number.isInteger(days) || days <= 0) throw new UsageError('--next-update-days must be a positive integer');
  const nextUpdate = new Date(issued.getTime() + days * DAY);
  const format = values.format;
  const signer = () => loadSigner(resolve(config.FIXTURES_DIR), values.signer, values['signer-key']);
  let output: string;
  if (format === 'xml' || format === 'xml-unsigned' || format === 'lotl') {
    if (format === 'lotl' && pointers.length === 0) throw new UsageError('lotl needs at least one --pointer');
    const xml = writeTrustedListXml({ operator: values.operator, services, issued, nextUpdate, ...(format === 'lotl' ? { pointers, tslType: tslTypes.listOfLists } : {}) });
    output = format === 'xml-unsigned' ? xml : await signTrustedListXml(xml, await signer());
  } else if (format === 'lote' || format === 'lote-json' || format === 'lote-flattened' || format === 'lote-plain' || format === 'lote-xml') {
    if (services.length === 0 && pointers.length === 0) throw new UsageError('a LoTE needs at least one --service or --pointer');
    const loteType = values.type === undefined ? defaultLoteType(services) : (loteTypeAliases[values.type] ?? values.type);
    const lotePointers = pointers.map((p) => ({ location: p.location, signerCertsDer: p.signerCertsDer, ...(p.territory ? { territory: p.territory } : {}) }));
    const lote = buildLote({ loteType, services, issued, nextUpdate, operator: values.operator, ...(lotePointers.length > 0 ? { pointers: lotePointers } : {}) });
    const serialization = format === 'lote' ? 'compact' : format === 'lote-json' ? 'json-general' : 'json-flattened';
    if (format === 'lote-xml') output = await signTrustedListXml(writeLoteXml(lote), await signer());
    else output = format === 'lote-plain' ? `${JSON.stringify(lote, null, 2)}\n` : await signLote(lote, await signer(), serialization);
  } else {
    throw new UsageError(`unknown --format "${format}"`);
  }
  if (values.out === undefined) process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
  else {
    await writeFile(values.out, output);
    console.log(`Wrote ${format} list with ${services.length} service(s)${pointers.length > 0 ? ` and ${pointers.length} pointer(s)` : ''} to ${values.out}`);
  }
  return 0;
}

/** The pinned signers for `inspect`: the files given, or the fixture list signer when it exists. */
async function inspectSigners(files: readonly string[]): Promise<Uint8Array[]> {
  if (files.length > 0) return Promise.all(files.map(readCertDer));
  const fixture = join(resolve(loadConfig().FIXTURES_DIR), 'pki', 'list-signer.pem');
  try {
    await access(fixture);
  } catch {
    throw new UsageError(`inspect: no signer certificate: give --signer-cert <pem> (the fixture list signer ${fixture} does not exist; \`eudi-verifier fixtures\` writes it)`);
  }
  return [await readCertDer(fixture)];
}

function parseAt(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const time = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) throw new UsageError(`--at "${value}" is not an ISO 8601 date or date-time with a time zone`);
  return new Date(time);
}

async function inspect(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { 'signer-cert': { type: 'string', multiple: true, default: [] }, at: { type: 'string' } } });
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) throw new UsageError('usage: eudi-verifier trust-list inspect <file> [--signer-cert <pem> …] [--at <ISO date-time>]');
  const at = parseAt(values.at);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch {
    throw new UsageError(`trust-list inspect: cannot read ${file}`);
  }
  const pinned = await inspectSigners(values['signer-cert']);
  try {
    const list = await readTrustList(bytes, file, { pinnedSignerCertsDer: pinned, now: at });
    const { parsed } = list;
    const description = {
      format: list.format,
      validated_at: at.toISOString(),
      signature: list.unverified === undefined ? `verified (signer ${list.signer ?? 'a pinned certificate'})` : `not verified: ${list.unverified}`,
      type: parsed.type,
      sequence_number: parsed.sequenceNumber,
      issued: parsed.issued?.toISOString(),
      next_update: parsed.nextUpdate?.toISOString(),
      ...(parsed.nextUpdate !== undefined && at.getTime() >= parsed.nextUpdate.getTime() ? { expired_at_validation_time: true } : {}),
      anchors: parsed.anchors.map((anchor) => ({
        subject: anchor.subject,
        categories: [...anchor.categories],
        purpose: anchor.purpose ?? 'issuance',
        service: anchor.source.service,
        service_type: anchor.source.serviceType,
        entity: anchor.entity,
        active_from: anchor.activeFrom?.toISOString(),
        active_until: anchor.activeUntil?.toISOString(),
        in_force: isAnchorActive(anchor, at),
      })),
      pointers: parsed.pointers?.map((p) => ({ location: p.location, territory: p.territory, type: p.type, mime_type: p.mimeType, signer_certificates: p.signerCertsDer.length })),
    };
    console.log(JSON.stringify(description, null, 2));
    return 0;
  } catch (error) {
    if (isServiceError(error)) {
      console.error(`${error.code}: ${error.detail ?? error.message}`);
      return 1;
    }
    throw error;
  }
}

/** `eudi-verifier trust-list build|inspect …` */
export async function trustListCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'build') return build(rest);
  if (sub === 'inspect') return inspect(rest);
  throw new UsageError(sub === undefined ? 'give a subcommand: build or inspect (see eudi-verifier trust-list --help)' : `unknown subcommand "${sub}": build or inspect (see eudi-verifier trust-list --help)`);
}

const statusNames = ['VALID', 'INVALID (revoked)', 'SUSPENDED'];

async function currentStatus(fixturesDir: string, reference: { idx: number; uri: string }): Promise<string> {
  const name = reference.uri.slice(FIXTURE_STATUS_LIST_BASE.length);
  try {
    const jwt = (await readFile(join(statusListDir(fixturesDir), `${name}.jwt`), 'utf8')).trim();
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { status_list: { bits: 1 | 2 | 4 | 8; lst: string } };
    const bytes = inflateBounded(decodeBase64url(payload.status_list.lst), { maxBytes: 16 * 1024 * 1024, maxRatio: 2000 });
    const value = statusAt({ bits: payload.status_list.bits, bytes, size: (bytes.byteLength * 8) / payload.status_list.bits }, reference.idx);
    return statusNames[value] ?? `0x${value.toString(16)}`;
  } catch {
    return 'not a fixture list';
  }
}

/** `eudi-verifier credential-status <person> [valid|revoked|suspended] [--credential <id>]` */
export async function credentialStatusCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { credential: { type: 'string' } } });
  const [person, wanted] = positionals;
  if (person === undefined || (wanted !== undefined && !['valid', 'revoked', 'suspended'].includes(wanted))) {
    throw new UsageError(person === undefined ? 'give a test person (see eudi-verifier credential-status --help)' : `"${wanted ?? ''}" is not a status: valid, revoked or suspended`);
  }
  const fixturesDir = resolve(loadConfig().FIXTURES_DIR);
  const wallet = await readTestPerson(fixturesDir, person);
  const credentials = wallet.credentials.filter((c) => values.credential === undefined || c.id === values.credential);
  if (credentials.length === 0) throw new UsageError(`${person} has no credential "${values.credential ?? ''}"; theirs are ${wallet.credentials.map((c) => c.id).join(', ')}`);
  let changed = 0;
  for (const credential of credentials) {
    const reference = fixtureStatusReference(credential as { format: string; sd_jwt?: string; issuer_signed?: string });
    if (reference === undefined) {
      console.log(`${credential.id} (${credential.format}): no status reference`);
      continue;
    }
    if (wanted !== undefined && reference.uri.startsWith(FIXTURE_STATUS_LIST_BASE)) {
      await setFixtureStatus(fixturesDir, reference, wanted as FixtureStatus);
      changed++;
    }
    console.log(`${credential.id} (${credential.format}): ${reference.uri} #${reference.idx}: ${await currentStatus(fixturesDir, reference)}`);
  }
  if (wanted !== undefined && changed > 0) console.log('A running development service sees the change once its cached copy expires (the fixture lists have ttl 60 s).');
  return 0;
}
