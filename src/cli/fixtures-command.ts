/**
 * `eudi-verifier fixtures`: the fixture issuer, loaded by src/cli/main.ts only when this command
 * runs (so `serve` loads no development code).
 */
export { generateFixtures } from '../issuer/generate-fixtures.ts';
