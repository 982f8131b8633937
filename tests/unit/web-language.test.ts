/**
 * The language of a first visit to the demo portal (src/web/web-request.ts): the browser's
 * `Accept-Language` (RFC 9110 §12.5.4) chooses between Swedish and English by quality; anything
 * else, or nothing, is Swedish.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { preferredLanguage } from '../../src/web/web-request.ts';

describe('preferredLanguage', () => {
  it('English when the browser prefers it', () => {
    for (const h of ['en', 'en-GB', 'en-US,en;q=0.9', 'de-DE, en;q=0.5', 'sv;q=0.3, en;q=0.8', 'EN-gb']) expect(preferredLanguage(h)).toBe('en');
  });
  it('Swedish when the browser prefers it, names neither, or says nothing', () => {
    for (const h of [undefined, '', 'sv-SE,sv;q=0.9,en;q=0.8', 'sv, en', 'fr-FR', 'en;q=0, fr', 'en;q=abc', '*']) expect(preferredLanguage(h)).toBe('sv');
  });
  it('any header gives one of the two languages', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (h) => {
        expect(['sv', 'en']).toContain(preferredLanguage(h));
      }),
    );
  });
});
