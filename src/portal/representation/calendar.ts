/**
 * Calendar dates for representation validity. Mandates, court decisions and birthdays are Swedish
 * calendar dates, so "today" is the date in Europe/Stockholm, not in UTC.
 */
const formatter = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' });

/** `YYYY-MM-DD` of `now` (epoch ms) in Europe/Stockholm. */
export function swedishDate(now: number): string {
  const parts = Object.fromEntries(formatter.formatToParts(new Date(now)).map((p) => [p.type, p.value]));
  return `${parts['year']}-${parts['month']}-${parts['day']}`;
}

/** The date on which someone born on `birthdate` turns `years` (`YYYY-MM-DD`; 29 Feb stays 29 Feb and compares after 28 Feb). */
export function anniversary(birthdate: string, years: number): string {
  return `${String(Number(birthdate.slice(0, 4)) + years).padStart(4, '0')}${birthdate.slice(4)}`;
}
