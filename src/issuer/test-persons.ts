/**
 * Fictitious test persons for fixtures. Their personal identity numbers are made up (valid check
 * digit, Swedish 12-digit form) and must never be used outside development.
 */

export interface TestPerson {
  readonly id: string;
  readonly given_name: string;
  readonly family_name: string;
  readonly birthdate: string;
  readonly personal_administrative_number: string;
  readonly nationalities: readonly string[];
  readonly address: { readonly street_address: string; readonly postal_code: string; readonly locality: string; readonly country: string };
}

/** Luhn check digit over nine digits (Skatteverket SKV 704; Bolagsverket uses the same for organisation numbers). */
export function luhnCheckDigit(nineDigits: string): number {
  let sum = 0;
  for (let i = 0; i < nineDigits.length; i++) {
    let d = Number(nineDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** Luhn check digit over the 10-digit form YYMMDDNNN (Skatteverket SKV 704). */
export function personnummer(birthdate: string, serial: string): string {
  const digits = `${birthdate.replaceAll('-', '').slice(2)}${serial}`;
  return `${birthdate.replaceAll('-', '')}${serial}${luhnCheckDigit(digits)}`;
}

/** A 10-digit organisation number with its check digit; group 5 (aktiebolag) in the first digit. */
export const organisationsnummer = (nineDigits: string): string => `${nineDigits}${luhnCheckDigit(nineDigits)}`;

const person = (id: string, given: string, family: string, birthdate: string, serial: string, address: TestPerson['address'], nationalities: string[] = ['SE']): TestPerson => ({
  id,
  given_name: given,
  family_name: family,
  birthdate,
  personal_administrative_number: personnummer(birthdate, serial),
  nationalities,
  address,
});

export const testPersons: readonly TestPerson[] = [
  person('anna', 'Anna', 'Andersson', '1985-03-14', '238', { street_address: 'Storgatan 1', postal_code: '111 22', locality: 'Stockholm', country: 'SE' }),
  person('erik', 'Erik', 'Johansson', '1979-11-02', '451', { street_address: 'Kungsgatan 12', postal_code: '411 19', locality: 'Göteborg', country: 'SE' }),
  person('greta', 'Greta', 'Lindqvist', '1938-06-21', '162', { street_address: 'Ängsvägen 3', postal_code: '752 36', locality: 'Uppsala', country: 'SE' }),
  person('cecilia', 'Cecilia', 'Berg', '1990-01-30', '306', { street_address: 'Hamngatan 5', postal_code: '211 22', locality: 'Malmö', country: 'SE' }),
  person('lukas', 'Lukas', 'Schmidt', '1992-08-09', '577', { street_address: 'Drottninggatan 40', postal_code: '111 51', locality: 'Stockholm', country: 'SE' }, ['DE']),
  // The representation story (docs/representation.md; representation-fixtures.ts gives them their mandates):
  // Anna is the custodian of Elsa and Oskar; Erik holds a power of attorney for his mother Greta (88);
  // Cecilia is the sole signatory of Cecilias Café AB; Jonas is god man for Sven; Karin was, until her
  // trusteeship was revoked.
  person('elsa', 'Elsa', 'Andersson', '2016-05-12', '263', { street_address: 'Storgatan 1', postal_code: '111 22', locality: 'Stockholm', country: 'SE' }),
  person('oskar', 'Oskar', 'Andersson', '2019-09-03', '417', { street_address: 'Storgatan 1', postal_code: '111 22', locality: 'Stockholm', country: 'SE' }),
  person('jonas', 'Jonas', 'Nilsson', '1968-02-17', '395', { street_address: 'Vasagatan 8', postal_code: '722 15', locality: 'Västerås', country: 'SE' }),
  person('sven', 'Sven', 'Karlsson', '1944-12-01', '218', { street_address: 'Tallbacken 2', postal_code: '753 20', locality: 'Uppsala', country: 'SE' }),
  person('karin', 'Karin', 'Ek', '1960-07-07', '342', { street_address: 'Sysslomansgatan 14', postal_code: '753 11', locality: 'Uppsala', country: 'SE' }),
];

/**
 * Test persons whose PID is not Swedish: issued by another member state's (test) PID provider, with
 * that state's identifier in `personal_administrative_number`. Their account key is that provider's
 * trust anchor with that identifier — never confusable with a Swedish personal number.
 */
export const euTestPersons: readonly (TestPerson & { readonly issuing_country: string })[] = [
  {
    id: 'chiara',
    given_name: 'Chiara',
    family_name: 'Rossi',
    birthdate: '1991-04-01',
    personal_administrative_number: 'RSSCHR91D41H501K',
    nationalities: ['IT'],
    address: { street_address: 'Via dei Fori Imperiali 1', postal_code: '00186', locality: 'Roma', country: 'IT' },
    issuing_country: 'IT',
  },
];

/** Fictitious organisations of the test persons. */
export interface TestOrganisation {
  readonly id: string;
  readonly legal_name: string;
  readonly organisation_number: string;
  readonly legal_form: string;
}

export const testOrganisations: readonly TestOrganisation[] = [{ id: 'cecilias-cafe', legal_name: 'Cecilias Café AB', organisation_number: organisationsnummer('559123456'), legal_form: 'AB' }];
