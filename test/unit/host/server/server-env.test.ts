import { describe, expect, it } from 'vitest';
import { serverEnv } from '../../../../src/host/server/server-env.js';

describe('serverEnv', () => {
  const host = { PATH: '/usr/bin', HOME: '/home/u', LANG: 'C.UTF-8', AWS_SECRET_ACCESS_KEY: 'aws', GITHUB_TOKEN: 'gh', NOTES_TOKEN: 'n' };

  it('passes the base set and the declared names from pm\'s environment, and nothing else of it', () => {
    expect(serverEnv({ host, declared: ['NOTES_TOKEN', 'NOT_SET'], server: {}, pluginDir: '/p', dataDir: '/d' })).toEqual({
      PATH: '/usr/bin', HOME: '/home/u', LANG: 'C.UTF-8', NOTES_TOKEN: 'n', PM_PLUGIN_DIR: '/p', PM_DATA_DIR: '/d',
    });
  });

  it('lets server.env override the inherited values but never PM_PLUGIN_DIR or PM_DATA_DIR', () => {
    const env = serverEnv({ host, declared: [], server: { HOME: '/d', PM_DATA_DIR: '/elsewhere', UNITS: 'metric' }, pluginDir: '/p', dataDir: '/d' });
    expect(env).toMatchObject({ HOME: '/d', UNITS: 'metric', PM_DATA_DIR: '/d' });
  });
});
