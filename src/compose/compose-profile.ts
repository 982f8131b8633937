/**
 * The profile in force at start: under `PROFILE=haip` the service refuses to start when a use case
 * some client may start asks for more than HAIP 1.0 allows (oid4vp/haip-profile.ts). The settings
 * themselves were checked when the configuration was loaded (config/z-config.ts).
 */
import { ConfigError } from '../config/load-config.ts';
import type { Profile } from '../config/z-config.ts';
import { useCaseProfileViolations } from '../oid4vp/haip-profile.ts';
import type { UseCase } from '../use-cases/z-use-case.ts';

/** @throws ConfigError naming PROFILE, the use case and the JSON path of each violation. */
export function requireUseCasesWithinProfile(profile: Profile, useCases: ReadonlyMap<string, UseCase>, registered: ReadonlySet<string>): void {
  const violations = [...useCases.values()].filter((useCase) => registered.has(useCase.id)).flatMap((useCase) => useCaseProfileViolations(profile, useCase));
  if (violations.length > 0) throw new ConfigError(`PROFILE=${profile}: ${violations.join('; ')}`);
}
