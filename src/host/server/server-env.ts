/** The environment a server plugin's program gets: what it declares, and nothing else of pm's. */

/**
 * Passed from pm's environment to every server: without a PATH, HOME, locale and temp folder
 * the usual launchers (npx, uvx, python, docker) do not run at all; none of these carry secrets.
 * (SystemRoot, PATHEXT, COMSPEC and WINDIR are the Windows equivalents.)
 */
export const BASE_ENV_NAMES = [
  'PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR', 'TEMP', 'TMP',
  'SystemRoot', 'PATHEXT', 'COMSPEC', 'WINDIR',
] as const;

/** What a server's environment is built from. */
export interface ServerEnvInput {
  /** pm's own environment (SupervisorOptions.env). */
  host: NodeJS.ProcessEnv;
  /** The manifest's permissions.env: names taken from `host`. */
  declared: string[];
  /** The substituted server.env. */
  server: Record<string, string>;
  pluginDir: string;
  dataDir: string;
}

/** The whole environment of a server process: the base set, the declared names, server.env, then PM_PLUGIN_DIR and PM_DATA_DIR. */
export function serverEnv(input: ServerEnvInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of [...BASE_ENV_NAMES, ...input.declared]) {
    const v = input.host[name];
    if (v !== undefined) env[name] = v;
  }
  Object.assign(env, input.server);
  // pm's own two are set last: a manifest cannot point them elsewhere.
  env.PM_PLUGIN_DIR = input.pluginDir;
  env.PM_DATA_DIR = input.dataDir;
  return env;
}
