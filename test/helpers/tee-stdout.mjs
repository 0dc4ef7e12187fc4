// Runs a command with stdin/stdout passed through, and also appends every byte the command
// writes to stdout to a file, so a test can check the raw stream an MCP client received.
// Usage: node tee-stdout.mjs <file> <command> [args...]
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';

const [file, cmd, ...args] = process.argv.slice(2);
const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] });
process.stdin.pipe(child.stdin);
child.stdout.on('data', (d) => {
  appendFileSync(file, d);
  process.stdout.write(d);
});
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
