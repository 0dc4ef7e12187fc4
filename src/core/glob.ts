/** Compiles a glob (hook `match`, profile `--tools`) over tool names (`*` any run of characters, `?` one character) to a test function. */
export function compileGlob(glob: string): (name: string) => boolean {
  if (glob === '*') return () => true;
  let src = '^';
  for (const ch of glob) {
    if (ch === '*') src += '.*';
    else if (ch === '?') src += '.';
    else src += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const re = new RegExp(src + '$');
  return (name) => re.test(name);
}
