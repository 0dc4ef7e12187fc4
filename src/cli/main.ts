import { readFileSync } from 'node:fs';
import { packageToHashEarly } from './early-hash.js';
import { asksForVersion } from './version-flag.js';

// A plugin must not be able to open an inspector on the host (process._debugProcess sends SIGUSR1).
process.on('SIGUSR1', () => {});

// A closed pipe (`pm --help | head`) is not an error: stop quietly like other Unix tools.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

/**
 * CLI entry point: parses argv and runs one command. `pm --version` is answered here, before
 * commander and the command modules are loaded (about a third of pm's start-up).
 */
export async function main(argv: string[]): Promise<void> {
  if (asksForVersion(argv.slice(2))) {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    process.stdout.write(pkg.version + '\n');
    return;
  }
  // Hashing a large package is the long pole of plugin-verify: start it (in a worker thread) now,
  // while commander, the command and OpenPGP load; verifyPackage picks the result up if the file
  // is unchanged. Small packages are not hashed early.
  const pkg = packageToHashEarly(argv.slice(2));
  if (pkg !== undefined) (await import('../core/pack/integrity.js')).startIntegrity(pkg);
  const { run } = await import('./program.js');
  await run(argv);
}
