import { run } from './program.js';

// A plugin must not be able to open an inspector on the host (process._debugProcess sends SIGUSR1).
process.on('SIGUSR1', () => {});

/** CLI entry point: parses argv and runs one command. */
export async function main(argv: string[]): Promise<void> {
  await run(argv);
}
