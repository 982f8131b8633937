/**
 * Registered relying-party clients: who may call the RP API, for which use cases, and to which
 * same-device redirect URIs. API keys are stored only as SHA-256 hashes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './load-config.ts';

export const zRpClient = z.object({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
  name: z.string().min(1).max(200).optional(),
  /** hex SHA-256 of the API key */
  api_key_sha256: z.string().regex(/^[0-9a-f]{64}$/),
  use_cases: z.array(z.string().min(1)).min(1),
  /** Allowed same-device redirect URIs (exact match, or prefix match when ending in "*"). */
  redirect_uris: z.array(z.string().min(1)).default([]),
});
export const zRpClients = z.array(zRpClient).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((c, i) => {
    if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate client id "${c.id}"` });
    seen.add(c.id);
  });
});
export type RpClient = z.output<typeof zRpClient>;

export const hashApiKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');
export const newApiKey = (): string => `dev_${randomBytes(24).toString('base64url')}`;

export class RpClientRegistry {
  private readonly byKeyHash: ReadonlyMap<string, RpClient>;

  constructor(readonly clients: readonly RpClient[]) {
    this.byKeyHash = new Map(clients.map((c) => [c.api_key_sha256, c]));
  }

  /** The client owning this API key, if any. Lookup is by hash, so no key comparison leaks timing. */
  authenticate(apiKey: string): RpClient | undefined {
    return this.byKeyHash.get(hashApiKey(apiKey));
  }

  static fromFile(path: string, knownUseCases: ReadonlySet<string>): RpClientRegistry {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      throw new ConfigError(`RP_CLIENTS_FILE: cannot read ${path} as JSON`);
    }
    const parsed = zRpClients.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ConfigError(`RP_CLIENTS_FILE: ${path}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
    }
    for (const c of parsed.data) {
      for (const u of c.use_cases) {
        if (!knownUseCases.has(u)) throw new ConfigError(`RP_CLIENTS_FILE: client "${c.id}" names unknown use case "${u}"`);
      }
    }
    return new RpClientRegistry(parsed.data);
  }
}

export function redirectUriAllowed(client: RpClient, uri: string): boolean {
  return client.redirect_uris.some((allowed) => (allowed.endsWith('*') ? uri.startsWith(allowed.slice(0, -1)) : uri === allowed));
}
