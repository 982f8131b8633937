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

/** Luhn check digit over the 10-digit form YYMMDDNNN (Skatteverket SKV 704). */
export function personnummer(birthdate: string, serial: string): string {
  const digits = `${birthdate.replaceAll('-', '').slice(2)}${serial}`;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return `${birthdate.replaceAll('-', '')}${serial}${(10 - (sum % 10)) % 10}`;
}

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
];
