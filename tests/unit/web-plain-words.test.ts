/**
 * The citizen's words for what the portal deals in (src/web/plain-words.ts): issuers by their
 * trusted-list name and never a host; another country's identifier by its kind and country; whom a
 * form is for, as people who act for someone; what a representative is to the reader; claims in
 * the order people read a PID.
 */
import { describe, expect, it } from 'vitest';
import { actionWords, claimNamesWords, credentialTypeWords, formIsForWords, identifierLabel, issuerWords, relationWords } from '../../src/web/plain-words.ts';

describe('issuerWords', () => {
  it('the trusted-list name as it is', () => {
    expect(issuerWords('Test PID Provider', 'sv')).toBe('Test PID Provider');
  });
  it('no name, a blank one, or a URL: a plain phrase, never the host', () => {
    for (const name of [undefined, '', '  ', 'https://pid-issuer.test.eudi.example']) {
      expect(issuerWords(name, 'sv')).toBe('en betrodd utfärdare');
      expect(issuerWords(name, 'en')).toBe('a trusted issuer');
    }
  });
});

describe('identifierLabel', () => {
  const labels = { swedish: 'Personnummer', foreign: 'Identitetsnummer' };
  it('a Swedish PID, or one that does not say its country: the form’s own label', () => {
    expect(identifierLabel('SE', 'sv', labels)).toBe('Personnummer');
    expect(identifierLabel(undefined, 'sv', labels)).toBe('Personnummer');
  });
  it('another country’s: its kind and country, in the page’s language', () => {
    expect(identifierLabel('IT', 'sv', labels)).toBe('Identitetsnummer (codice fiscale, Italien)');
    expect(identifierLabel('IT', 'en', { swedish: 'Personal identity number', foreign: 'Identity number' })).toBe('Identity number (codice fiscale, Italy)');
    expect(identifierLabel('DE', 'sv', labels)).toBe('Identitetsnummer (nationellt identitetsnummer, Tyskland)');
  });
});

describe('formIsForWords', () => {
  it('names the people who act for someone, not someone who has a guardian', () => {
    expect(formIsForWords(['power_of_attorney', 'trusteeship', 'guardianship'], 'sv')).toBe('Tjänsten är till för den som är ombud med fullmakt, god man, förvaltare eller vårdnadshavare.');
    expect(formIsForWords(['guardianship'], 'en')).toBe('The service is for someone acting as guardian.');
    expect(formIsForWords(['self'], 'sv')).toBe('Tjänsten gäller bara dina egna ärenden.');
  });
});

describe('the acted-on-my-behalf log, worded for its reader', () => {
  it('what the representative is to the reader', () => {
    expect(relationWords('guardianship', 'vardnadshavare', 'sv')).toBe('din vårdnadshavare');
    expect(relationWords('trusteeship', 'forvaltare', 'sv')).toBe('din förvaltare');
    expect(relationWords('trusteeship', 'god_man', 'en')).toBe('your trustee (god man)');
  });
  it('the action: for the represented person, for a company, or as the reader’s own', () => {
    expect(actionWords('form_prefilled', 'sv', { byReader: false, company: false })).toBe('öppnade en blankett som fylldes i med dina uppgifter');
    expect(actionWords('form_prefilled', 'sv', { byReader: false, company: true })).toBe('öppnade en blankett som fylldes i med företagets uppgifter');
    expect(actionWords('form_prefilled', 'sv', { byReader: true, company: true })).toBe('öppnade en blankett');
    // In a company's log, the holder of a company mandate showed a mandate, not the right to sign.
    expect(actionWords('representation_presented', 'sv', { byReader: false, company: true, kind: 'company_signatory' })).toBe('visade sin behörighet att teckna företaget och loggade in med den');
    expect(actionWords('representation_presented', 'sv', { byReader: false, company: true, kind: 'company_mandate' })).toBe('visade sin fullmakt för företaget och loggade in med den');
    expect(actionWords('form_prefilled', 'sv', { byReader: false, company: true, kind: 'company_mandate' })).toBe('öppnade en blankett som fylldes i med företagets uppgifter');
  });
});

describe('credential types and claims', () => {
  it('no "(PID)" in the words for the PID', () => {
    expect(credentialTypeWords('urn:eudi:pid:1', 'sv')).toBe('id-uppgifter');
    expect(credentialTypeWords('eu.europa.ec.eudi.pid.1', 'en')).toBe('identity data');
  });
  it('PID claims in the order people read them, whatever order their names come in', () => {
    expect(claimNamesWords('urn:eudi:pid:1', ['birthdate', 'family_name', 'given_name', 'issuing_country', 'personal_administrative_number'], 'sv')).toEqual([
      'förnamn',
      'efternamn',
      'födelsedatum',
      'identitetsnummer (i Sverige personnummer)',
      'land som utfärdade id-handlingen',
    ]);
  });
});
