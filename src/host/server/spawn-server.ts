/** From a server plugin to its running program: substitutions, environment, spawn. */
import { mkdir, realpath } from 'node:fs/promises';
import { PmError } from '../../core/errors.js';
import { substituteServerSpec } from '../../core/server/substitute.js';
import type { SpawnCommand, SpawnedCommand } from '../launch/spawn-command.js';
import type { HostPlugin } from '../manifest-types.js';
import type { SupervisorOptions } from '../process/options.js';
import { serverEnv } from './server-env.js';

/** Spawns `hp`'s server with `spawn`: its data folder is created, `${...}` substituted, the environment built (server-env.ts). */
export async function spawnServer(hp: HostPlugin, opts: Pick<SupervisorOptions, 'env' | 'pmHome'>, spawn: SpawnCommand): Promise<SpawnedCommand> {
  const server = hp.manifest.server;
  if (!server) throw new PmError('PLUGIN_START_FAILED', `plugin ${hp.name} has no "server" in its plugin.json`, { data: { plugin: hp.name } });
  await mkdir(hp.dataDir, { recursive: true });
  const pluginDir = await realpath(hp.dir);
  const dataDir = await realpath(hp.dataDir);
  const cmd = substituteServerSpec(server, { pluginDir, dataDir, config: hp.config ?? {}, secrets: hp.secrets ?? {}, plugin: hp.name });
  const env = serverEnv({ host: opts.env, declared: hp.manifest.permissions?.env ?? [], server: cmd.env, pluginDir, dataDir });
  return spawn({ ...cmd, env }, { plugin: hp, pluginDir, dataDir, pmHome: opts.pmHome });
}
