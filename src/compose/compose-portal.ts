/**
 * Portal sessions: policies from the use cases' portal sections, forms, the account-key secret and
 * the stores. Production requires ACCOUNT_KEY_SECRET when a client may start a use case that makes
 * sessions; without one (and without such clients) the portal is off.
 */
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { ConfigError } from '../config/load-config.ts';
import type { RpClientRegistry } from '../config/rp-clients.ts';
import type { Config } from '../config/z-config.ts';
import type { VerifierDeps } from '../oid4vp/verifier-deps.ts';
import { ensureDevAccountKeySecret, parseAccountKeySecret } from '../portal/account-key.ts';
import { portalPolicies } from '../portal/load-portal-policies.ts';
import { loadForms } from '../portal/load-forms.ts';
import type { PortalDeps } from '../portal/portal-deps.ts';
import { noRoleStatusSource, roleStatusFromChecker, type RoleStatusCheck } from '../portal/role-status.ts';

export interface PortalParts {
  readonly verifier: VerifierDeps;
  readonly clients: RpClientRegistry;
  readonly dataDir: string;
  readonly logger: Logger;
  readonly stores: Pick<PortalDeps, 'sessions' | 'sharingLog'>;
  /** How a role's credential status is re-checked; default: the verifier's Token Status List checker. */
  readonly roleStatusCheck?: RoleStatusCheck;
}

export async function composePortal(config: Config, parts: PortalParts): Promise<PortalDeps | undefined> {
  const { verifier, clients } = parts;
  const policies = portalPolicies(verifier.useCases);
  const forms = loadForms(resolve(config.FORM_DIR));
  let secret: Uint8Array;
  if (config.ACCOUNT_KEY_SECRET !== undefined) {
    try {
      secret = parseAccountKeySecret(config.ACCOUNT_KEY_SECRET);
    } catch {
      throw new ConfigError('ACCOUNT_KEY_SECRET: must be base64url of at least 32 bytes');
    }
  } else if (config.VERIFIER_MODE === 'development') {
    secret = await ensureDevAccountKeySecret(parts.dataDir);
  } else if (clients.clients.some((c) => c.use_cases.some((u) => policies.has(u)))) {
    throw new ConfigError('ACCOUNT_KEY_SECRET: production mode requires it when a client may create portal sessions');
  } else {
    return undefined;
  }
  const names = new Map(clients.clients.map((c) => [c.id, c.name]));
  const displayNames = new Map(clients.clients.flatMap((c) => (c.display_name === undefined ? [] : [[c.id, c.display_name] as const])));
  return {
    verifier,
    sessions: parts.stores.sessions,
    sharingLog: parts.stores.sharingLog,
    policies,
    forms,
    roleStatus: parts.roleStatusCheck ?? (verifier.status === undefined ? noRoleStatusSource : roleStatusFromChecker(verifier.status)),
    accountKeySecret: secret,
    rpName: (id) => names.get(id),
    rpDisplayName: (id) => displayNames.get(id),
    settings: {
      idleMs: config.SESSION_IDLE_SECONDS * 1000,
      absoluteMs: config.SESSION_ABSOLUTE_SECONDS * 1000,
      sharingLogRetentionMs: config.SHARING_LOG_RETENTION_DAYS * 86_400_000,
    },
    audit: (e) => parts.logger.info({ audit: e }, e.event),
  };
}
