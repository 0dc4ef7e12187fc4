/** Quotes one word for a POSIX shell: unchanged when safe, else in single quotes. */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A command line a user can paste into a POSIX shell. */
export function shellCommand(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}
