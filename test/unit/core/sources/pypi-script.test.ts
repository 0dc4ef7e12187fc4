import { describe, expect, it } from 'vitest';
import { pickScript, pythonServerSpec, semverOfPep440 } from '../../../../src/core/sources/pypi-script.js';

const s = (name: string, module = 'pkg.cli', attr = 'main') => ({ name, module, attr });

describe('pypi-script', () => {
  it('picks --bin, else the only script, else the one named like the package', () => {
    expect(pickScript('mcp-server-x', [s('a'), s('b')], 'b').name).toBe('b');
    expect(pickScript('mcp-server-x', [s('only')]).name).toBe('only');
    expect(pickScript('MCP_Server.X', [s('a'), s('mcp-server-x')]).name).toBe('mcp-server-x');
  });

  it('refuses none, an unknown --bin, and several with none named like the package, listing them', () => {
    expect(() => pickScript('lib', [])).toThrow(expect.objectContaining({ code: 'PYPI_NO_SCRIPT', message: 'lib declares no console script, so pm has no program to run as its server' }));
    expect(() => pickScript('x', [s('a')], 'z')).toThrow(expect.objectContaining({ code: 'PYPI_NO_SCRIPT', message: 'x has no console script named "z" (its console scripts: a)' }));
    expect(() => pickScript('x', [s('b'), s('a')])).toThrow(expect.objectContaining({ hint: 'say which one runs the server with --bin, e.g. --bin a' }));
  });

  it('runs the entry point with the venv interpreter by ${pluginDir}, so the folder can move', () => {
    expect(pythonServerSpec('x', s('x-serve', 'x.cli', 'app.run'))).toEqual({
      command: '${pluginDir}/venv/bin/python',
      args: ['-c', 'import sys; from x.cli import app; sys.argv[0] = "x-serve"; sys.exit(app.run())'],
    });
  });

  it('refuses an entry point that is not module:function (it would be code in -c)', () => {
    expect(() => pythonServerSpec('x', s('x', 'os; import evil', 'main'))).toThrow(expect.objectContaining({ code: 'PYPI_NO_SCRIPT' }));
    expect(() => pythonServerSpec('x', s('x', 'x', 'main()'))).toThrow(expect.objectContaining({ code: 'PYPI_NO_SCRIPT' }));
    expect(() => pythonServerSpec('x', s('a"b'))).toThrow(expect.objectContaining({ code: 'PYPI_NO_SCRIPT' }));
  });

  it('turns PEP 440 versions into the semver a manifest needs', () => {
    expect(['1.2.0', '1.2', '2025.4.7', '1.0rc1', '0.6.2.post1', '1.2.3.4', '1.0.dev3', '2.0b2+local.1', '1!2.0'].map(semverOfPep440)).toEqual([
      '1.2.0', '1.2.0', '2025.4.7', '1.0.0-rc1', '0.6.2+post1', '1.2.3+4', '1.0.0-dev3', '2.0.0-b2+local.1', '2.0.0',
    ]);
  });
});
