/**
 * The OpenID Connect bridge's pages, as a citizen reads them: another country's identifier is named
 * by its kind and country on the confirmation page, never "personnummer"; the error page keeps the
 * code out of the sentence, under the closed technical details.
 */
import { describe, expect, it } from 'vitest';
import { confirmPage, errorPage } from '../../src/oidc/interaction-pages.ts';

const claimsOf = (page: string): string[] => [...page.matchAll(/<li data-claim="[^"]*">([^<]*)<\/li>/g)].map((m) => m[1] ?? '');

const view = { action: '/oidc/interaction/x', clientName: 'Exempelkommunen', purpose: 'Inloggning.', claims: ['given_name', 'personal_administrative_number'], roles: [], selfName: 'Chiara Bianchi' };

describe('the confirmation page', () => {
  it('names an Italian PID’s identifier as a codice fiscale, in Swedish and English', () => {
    expect(claimsOf(confirmPage({ ...view, lang: 'sv', issuingCountry: 'IT' }))).toEqual(['förnamn', 'identitetsnummer (codice fiscale, Italien)']);
    expect(claimsOf(confirmPage({ ...view, lang: 'en', issuingCountry: 'IT' }))).toEqual(['given name', 'identity number (codice fiscale, Italy)']);
  });

  it('calls a Swedish PID’s identifier a personnummer, also when the country is not said', () => {
    expect(claimsOf(confirmPage({ ...view, lang: 'sv', issuingCountry: 'SE' }))).toEqual(['förnamn', 'personnummer (identitetsnummer)']);
    expect(claimsOf(confirmPage({ ...view, lang: 'sv' }))).toEqual(['förnamn', 'personnummer (identitetsnummer)']);
  });
});

describe('the error page', () => {
  it('says the sentence alone; the code only under the technical details', () => {
    const page = errorPage('sv', 'Något gick fel hos tjänsten. Försök igen om en stund.', 'invalid_client');
    expect(/<p role="alert" id="error">([^<]*)<\/p>/.exec(page)?.[1]).toBe('Något gick fel hos tjänsten. Försök igen om en stund.');
    expect(page).toContain('<details id="technical"><summary>Teknisk information (för support)</summary><p>Felkod: <code>invalid_client</code></p></details>');
    expect(errorPage('sv', 'Något gick fel.')).not.toContain('<details');
  });
});
