/**
 * The server-side check of what a user typed into a form (src/portal/validate-form-input.ts):
 * required fields, calendar dates, four-digit years within range, choices among the options, text
 * against the form's pattern (the Swedish postal code of the shipped forms). Each rule has a
 * refusal that fails if the rule goes, and the accepted forms a positive case.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadForms } from '../../src/portal/load-forms.ts';
import { fieldProblem, readFormInput } from '../../src/portal/validate-form-input.ts';
import type { FormField } from '../../src/portal/z-form.ts';

const forms = loadForms('forms');
const fieldOf = (form: string, name: string): FormField => {
  const f = forms.get(form)?.fields.find((x) => x.name === name);
  if (f === undefined) throw new Error(`no field ${form}/${name}`);
  return f;
};

describe('a postal code (address change)', () => {
  const postal = fieldOf('address-change', 'new_postal_code');
  it('five digits, with or without the space, are accepted', () => {
    for (const v of ['12345', '123 45', '00186']) expect(fieldProblem(postal, v)).toBeUndefined();
  });
  it('"abc", four or six digits, or digits with letters are refused', () => {
    for (const v of ['abc', '1234', '123456', '123 4x', '12 345', ' 12345x']) expect(fieldProblem(postal, v)).toBe('invalid');
  });
  it('empty, it is missing', () => {
    expect(fieldProblem(postal, '')).toBe('missing');
  });
  it('the pattern matches the whole value, never a part of it', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ minLength: 1, maxLength: 4 }), (before, after) => {
        expect(fieldProblem(postal, `${before}12345${after}`)).toBe('invalid');
      }),
    );
  });
});

describe('a year (income year)', () => {
  const year = fieldOf('tax-return-representative', 'income_year');
  it('four digits from 2000 on are accepted', () => {
    for (const v of ['2000', '2025', '2026']) expect(fieldProblem(year, v)).toBeUndefined();
  });
  it('"abc", two digits, a year before the form’s minimum are refused', () => {
    for (const v of ['abc', '25', '1999', '20250', '２０２５']) expect(fieldProblem(year, v)).toBe('invalid');
  });
});

describe('a date (the parental benefit period)', () => {
  const date = fieldOf('parental-benefit', 'period_start');
  it('a calendar date is accepted', () => {
    for (const v of ['2026-12-01', '2028-02-29']) expect(fieldProblem(date, v)).toBeUndefined();
  });
  it('a date that does not exist, or another format, is refused', () => {
    for (const v of ['2026-02-30', '2027-02-29', '2026-13-01', '01/12/2026', '2026-1-1', 'tomorrow']) expect(fieldProblem(date, v)).toBe('invalid');
  });
});

describe('a choice (extent)', () => {
  const extent = fieldOf('parental-benefit', 'extent');
  it('one of the options is accepted; anything else is refused', () => {
    expect(fieldProblem(extent, 'half')).toBeUndefined();
    for (const v of ['double', 'Halv dag', 'HALF', 'half ']) expect(fieldProblem(extent, v)).toBe('invalid');
  });
});

describe('reading a form body', () => {
  it('takes only the editable fields, trimmed and cut to length; names the problems, never the values', () => {
    const form = forms.get('address-change');
    if (form === undefined) throw new Error('no form');
    const body = { given_name: 'Mallory', new_street_address: '  Nygatan 2 ', new_postal_code: 'abc', new_locality: 'x'.repeat(500), moving_date: '' };
    const { values, problems } = readFormInput(form.fields, body);
    expect(values['given_name']).toBeUndefined();
    expect(values['new_street_address']).toBe('Nygatan 2');
    expect(values['new_locality']).toHaveLength(200);
    expect([...problems]).toEqual([
      ['new_postal_code', 'invalid'],
      ['moving_date', 'missing'],
    ]);
  });
});
