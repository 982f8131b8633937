/** Helpers for reading list-valued settings. */

/** A comma-separated setting as its non-empty, trimmed parts. */
export const splitSetting = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
