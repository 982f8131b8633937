/**
 * Helpers of the `eudi-verifier` usage text (the text itself is in main.ts): a list wrapped to the
 * usage's right column, and the part of the usage about one command, for `<command> --help`.
 */

/** Wraps a comma-separated list to the usage's right column, starting at `indent`. */
export function wrapList(items: readonly string[], indent: number, width = 110): string {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    const next = line === '' ? item : `${line}, ${item}`;
    if (next.length > width - indent && line !== '') {
      lines.push(`${line},`);
      line = item;
    } else line = next;
  }
  if (line !== '') lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

/**
 * `<command> --help`: the usage's first line, the entries of the "Commands:" block that start with
 * the command (with their continuation lines, indented deeper), and a block titled
 * "<Command> options:" if there is one. Any command without an entry, or none, gets the whole usage.
 */
export function commandUsage(usage: string, command: string | undefined): string {
  if (command === undefined) return usage;
  const blocks = usage.split(/\n\n+/);
  const commands = blocks.find((b) => b.startsWith('Commands:'));
  const own: string[] = [];
  let inEntry = false;
  for (const line of commands?.split('\n').slice(1) ?? []) {
    const entry = /^ {2}(\S+)/.exec(line);
    if (entry !== null) inEntry = entry[1] === command;
    if (inEntry) own.push(line);
  }
  if (own.length === 0) return usage;
  const options = blocks.find((b) => b.toLowerCase().startsWith(`${command.toLowerCase()} options:`));
  return [`Usage: eudi-verifier ${command} …`, '', ...own, ...(options === undefined ? [] : ['', options]), ''].join('\n');
}
