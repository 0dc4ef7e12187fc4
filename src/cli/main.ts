import { run } from './program.js';

// A plugin must not be able to open an inspector on the host (process._debugProcess sends SIGUSR1).
process.on('SIGUSR1', () => {});

// A closed pipe (`pm --help | head`) is not an error: stop quietly like other Unix tools.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

/** CLI entry point: parses argv and runs one command. */
export async function main(argv: string[]): Promise<void> {
  await run(argv);
}
