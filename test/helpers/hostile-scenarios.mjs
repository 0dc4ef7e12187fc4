// Runs every hostile fixture plugin beside a well-behaved one through a real host and
// reports what each caller saw. Shared by the Node 20 test (imported) and the Node 24 test
// (run as `node24 hostile-scenarios.mjs <host.js url> <tmp dir>`, JSON on stdout).
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import inspector from 'node:inspector';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const HOSTILE = ['read-ssh', 'write-outside', 'spawn', 'worker', 'debug-host', 'env', 'loop', 'oom', 'crash-activate', 'crash-call', 'channel-garbage'];

function plugin(folder, tmp) {
  const dir = join(fixtures, folder);
  const manifest = JSON.parse(readFileSync(join(dir, 'plugin.json'), 'utf8'));
  return { name: manifest.name, dir, dataDir: join(tmp, 'data', manifest.name), manifest, config: {}, enabled: true };
}

async function outcome(p) {
  try {
    return { ok: true, result: await p };
  } catch (e) {
    return { ok: false, code: e.code, message: e.message };
  }
}

/** Runs the scenarios with `createHost` and returns what every call gave. */
export async function runHostileScenarios(createHost, tmp) {
  const home = join(tmp, 'home');
  mkdirSync(join(home, '.ssh'), { recursive: true });
  const key = join(home, '.ssh', 'id_ed25519');
  writeFileSync(key, '-----BEGIN OPENSSH PRIVATE KEY-----\nfake-key-material\n-----END OPENSSH PRIVATE KEY-----\n', { mode: 0o600 });
  const logs = [];
  const host = await createHost({
    plugins: [plugin('host-notes', tmp), ...HOSTILE.map((h) => plugin(`hostile-${h}`, tmp))],
    options: {
      env: { PM_TEST_SECRET: 'hunter2', HOSTILE_ALLOWED: 'yes', HOME: home, PATH: process.env.PATH },
      backoffMs: 20,
      graceMs: 1000,
      log: (e) => logs.push(e),
    },
  });
  const r = { node: process.versions.node, steps: [] };
  let echoes = 0;
  const step = async (name, fn) => {
    const got = await fn();
    // The well-behaved plugin must keep answering after every hostile act.
    const echo = await outcome(host.callTool('notes.echo', { text: `after ${name}` }));
    if (echo.ok && echo.result.content[0].text === `after ${name}`) echoes++;
    r.steps.push({ name, got, notesAnswered: echo.ok });
  };
  await step('whoami', async () => outcome(host.callTool('hostile-read-ssh.whoami', { path: key })));
  await step('read-ssh', async () => outcome(host.callTool('hostile-read-ssh.steal', { path: key })));
  const outside = join(tmp, 'outside.txt');
  await step('write-outside', async () => ({ ...(await outcome(host.callTool('hostile-write-outside.scribble', { path: outside }))), fileExists: existsSync(outside) }));
  await step('write-inside', async () => outcome(host.callTool('hostile-write-outside.inside', {})));
  await step('spawn', async () => outcome(host.callTool('hostile-spawn.run', {})));
  await step('worker', async () => outcome(host.callTool('hostile-worker.thread', {})));
  await step('debug-host', async () => ({ ...(await outcome(host.callTool('hostile-debug-host.debug', {}))), hostInspectorUrl: inspector.url() ?? null }));
  await step('env', async () => outcome(host.callTool('hostile-env.peek', {})));
  await step('loop', async () => outcome(host.callTool('hostile-loop.spin', {})));
  await step('loop-restarted', async () => outcome(host.callTool('hostile-loop.ping', {})));
  await step('oom', async () => outcome(host.callTool('hostile-oom.hog', {})));
  for (let i = 1; i <= 4; i++) await step(`crash-activate-${i}`, async () => outcome(host.callTool('hostile-crash-activate.never', {})));
  for (let i = 1; i <= 4; i++) await step(`crash-call-${i}`, async () => outcome(host.callTool('hostile-crash-call.boom', {})));
  await step('channel-not-json', async () => outcome(host.callTool('garbage.not_json', {})));
  await step('channel-huge', async () => outcome(host.callTool('garbage.huge', {})));
  await step('channel-half-then-exit', async () => outcome(host.callTool('garbage.half_then_exit', {})));
  await step('channel-failed', async () => outcome(host.callTool('garbage.ok', {})));
  r.echoes = echoes;
  r.stats = host.stats().plugins.map((p) => ({ name: p.name, state: p.state, crashes: p.crashes, errors: p.counters.errors ?? 0 }));
  await host.close();
  r.logs = logs.filter((l) => l.level === 'error').map((l) => `${l.plugin}: ${l.message}`);
  return r;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { createHost } = await import(process.argv[2]);
  const out = await runHostileScenarios(createHost, process.argv[3]);
  process.stdout.write(JSON.stringify(out) + '\n');
}
