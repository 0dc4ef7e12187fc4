/** Commands whose first argument is a package that gets hashed in full. */
const HASHING_COMMANDS = new Set(['plugin-verify', 'plugin-install']);

/**
 * The package path of `pm [global flags] plugin-verify|plugin-install <tgz> …`, or undefined. Used
 * only to start hashing early, so a wrong guess costs nothing but the hash: the command itself
 * still parses its arguments with commander.
 */
export function packageToHashEarly(args: string[]): string | undefined {
  let i = 0;
  while (i < args.length && args[i].startsWith('-')) i += args[i] === '--home' ? 2 : 1;
  const command = args[i];
  const pkg = args[i + 1];
  if (command === undefined || !HASHING_COMMANDS.has(command) || pkg === undefined || pkg.startsWith('-') || /^https?:\/\//i.test(pkg)) return undefined;
  return pkg;
}
