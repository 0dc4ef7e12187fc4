import { describe, expect, it } from 'vitest';
import type { ServerSpec } from '../../../../src/core/manifest/types.js';
import { referencedSecrets, substituteServerSpec } from '../../../../src/core/server/substitute.js';

const values = { pluginDir: '/p/weather', dataDir: '/d/weather', config: { units: 'metric', days: 3, verbose: false, tags: ['a'] }, secrets: { KEY: 'k-123' }, plugin: 'weather' };

function refusal(spec: ServerSpec, v = values) {
  try {
    substituteServerSpec(spec, v);
  } catch (err) {
    return err;
  }
  throw new Error('expected a refusal');
}

describe('substituteServerSpec', () => {
  it('expands ${pluginDir}, ${dataDir}, ${config.KEY} and ${secret.NAME} in command, args, env and cwd', () => {
    const r = substituteServerSpec({
      command: '${pluginDir}/bin/server',
      args: ['--cache', '${dataDir}/cache', '--units=${config.units}', '${config.days}', '${config.verbose}', '${config.tags}'],
      env: { API_KEY: '${secret.KEY}', BOTH: '${pluginDir}:${dataDir}' },
      cwd: '${dataDir}',
    }, values);
    expect(r).toEqual({
      command: '/p/weather/bin/server',
      args: ['--cache', '/d/weather/cache', '--units=metric', '3', 'false', '["a"]'],
      env: { API_KEY: 'k-123', BOTH: '/p/weather:/d/weather' },
      cwd: '/d/weather',
    });
  });

  it('defaults cwd to the plugin folder and args and env to empty', () => {
    expect(substituteServerSpec({ command: 'python3' }, values)).toEqual({ command: 'python3', args: [], env: {}, cwd: '/p/weather' });
  });

  it('leaves $HOME, $VAR and a lone ${ alone: no shell, no environment expansion', () => {
    expect(substituteServerSpec({ command: 'x', args: ['$HOME', '$PATH/bin', '~', 'a${b', '$(id)'] }, values).args).toEqual(['$HOME', '$PATH/bin', '~', 'a${b', '$(id)']);
  });

  it('refuses a missing secret with SECRET_MISSING and the pm secret-set hint', () => {
    expect(refusal({ command: 'x', env: { T: '${secret.TOKEN}' } })).toMatchObject({
      code: 'SECRET_MISSING', message: 'server.env.T uses ${secret.TOKEN}, but no secret TOKEN is set', hint: 'pm secret-set TOKEN',
      data: { field: 'server.env.T', secret: 'TOKEN' },
    });
  });

  it('refuses a config key with no value (and no default), naming the field and key', () => {
    expect(refusal({ command: 'x', args: ['a', '--n=${config.count}'] })).toMatchObject({
      code: 'SERVER_CONFIG_MISSING',
      message: 'server.args[1] uses ${config.count}, but the plugin\'s configuration has no value for "count" and its schema no default',
      hint: "set it with 'pm plugin-config weather count <value>'",
    });
  });

  it('does not read a config key from the prototype chain', () => {
    expect(refusal({ command: '${config.constructor}' })).toMatchObject({ code: 'SERVER_CONFIG_MISSING', message: expect.stringContaining('server.command uses ${config.constructor}') });
    expect(refusal({ command: '${secret.toString}' })).toMatchObject({ code: 'SECRET_MISSING' });
  });

  it('refuses any other ${...}, naming it', () => {
    for (const [text, name] of [['${HOME}', '${HOME}'], ['${env.PATH}', '${env.PATH}'], ['${config.}', '${config.}'], ['${secret.}', '${secret.}'], ['${}', '${}'], ['x${pluginDir }', '${pluginDir }']]) {
      expect(refusal({ command: 'x', cwd: text })).toMatchObject({
        code: 'SERVER_SUBSTITUTION_UNKNOWN', message: `server.cwd uses ${name}, which pm does not substitute`,
        hint: 'only ${pluginDir}, ${dataDir}, ${config.KEY} and ${secret.NAME} are substituted (no shell, no environment variables)',
      });
    }
  });

  it('never puts a secret value into an error', () => {
    const err = refusal({ command: 'x', env: { A: '${secret.KEY}', B: '${nope}' } }) as Error;
    expect(JSON.stringify({ ...err, message: err.message })).not.toContain('k-123');
  });
});

describe('referencedSecrets', () => {
  it('lists each referenced secret once, in order, from every field', () => {
    expect(referencedSecrets({
      command: '${secret.A}', args: ['--k=${secret.B}', '${secret.A}'], env: { X: '${secret.C}-${config.x}' }, cwd: '${secret.D}',
    })).toEqual(['A', 'B', 'C', 'D']);
    expect(referencedSecrets({ command: 'node' })).toEqual([]);
  });
});
