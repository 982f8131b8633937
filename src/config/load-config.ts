/**
 * Loads the configuration: an optional JSON file (`CONFIG_FILE`) overlaid by environment variables,
 * validated by {@link zConfig}. A bad value throws a {@link ConfigError} that names the setting.
 */
import { readFileSync } from 'node:fs';
import { configKeys, profileOf, zConfig, type Config } from './z-config.ts';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const fromFile = readConfigFile(env['CONFIG_FILE']);
  const merged: Record<string, unknown> = { ...fromFile };
  for (const key of configKeys) {
    const value = env[key];
    if (value !== undefined && value !== '') merged[key] = value;
  }
  const parsed = zConfig.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(config)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const raw = parsed.data;
  return {
    ...raw,
    profile: profileOf(raw),
    publicBaseUrl: (raw.PUBLIC_BASE_URL ?? `${raw.TLS_CERT_FILE === undefined ? 'http' : 'https'}://localhost:${raw.PORT}`).replace(/\/+$/, ''),
    legacyTypVcts: splitList(raw.LEGACY_TYP_VCTS),
    trustListSignerCertFiles: splitList(raw.TRUST_LIST_SIGNER_CERTS ?? ''),
  };
}

function readConfigFile(path: string | undefined): Record<string, unknown> {
  if (path === undefined || path === '') return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(`CONFIG_FILE: cannot read ${path}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(`CONFIG_FILE: ${path} is not valid JSON`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConfigError(`CONFIG_FILE: ${path} must hold a JSON object of settings`);
  }
  // Numbers and booleans in the file are accepted as their string forms, as from the environment.
  return Object.fromEntries(
    Object.entries(json).map(([k, v]) => {
      if (!(configKeys as string[]).includes(k)) throw new ConfigError(`Unknown setting "${k}" in CONFIG_FILE`);
      if (typeof v === 'string') return [k, v];
      if (typeof v === 'number' || typeof v === 'boolean') return [k, String(v)];
      throw new ConfigError(`CONFIG_FILE: "${k}" must be a string, number or boolean`);
    }),
  );
}

const splitList = (s: string): string[] =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x.length > 0);
