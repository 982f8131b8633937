/**
 * Loads every use case file of a directory once, at start-up. One bad file stops the service from
 * starting (fail closed): a half-loaded set of use cases would ask wallets for the wrong things.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ServiceError } from '../errors.ts';
import { parseUseCase } from './parse-use-case.ts';
import type { UseCase } from './z-use-case.ts';

/**
 * Reads `<dir>/*.json`, in name order, into a map keyed by use case id (= file base name).
 * @throws ServiceError `QUERY_INVALID` naming the file that cannot be read, parsed or checked.
 */
export function loadUseCases(dir: string): Map<string, UseCase> {
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
      .map((entry) => entry.name)
      .sort();
  } catch {
    throw new ServiceError('QUERY_INVALID', `use case directory ${dir} cannot be read`);
  }

  const useCases = new Map<string, UseCase>();
  for (const name of names) {
    const useCase = parseUseCase(readJson(join(dir, name), name), name, basename(name, '.json'));
    useCases.set(useCase.id, useCase);
  }
  return useCases;
}

function readJson(path: string, name: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ServiceError('QUERY_INVALID', `${name}: cannot be read`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // The parser's message quotes the text around the error; it stays out of the detail.
    throw new ServiceError('QUERY_INVALID', `${name}: is not valid JSON`);
  }
}
