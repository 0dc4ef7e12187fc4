import { PmError } from '../errors.js';
import type { ServerSpec } from '../manifest/types.js';
import type { ConsoleScript } from './pypi-fetch.js';
import { normalizePypiName } from './pypi-fetch.js';

const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const SCRIPT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The console script that runs the server: `--bin NAME` when given, else the only one, else
 * the one named like the package. Throws PYPI_NO_SCRIPT listing the scripts otherwise.
 */
export function pickScript(packageName: string, scripts: ConsoleScript[], wanted?: string): ConsoleScript {
  const names = scripts.map((s) => s.name).sort();
  const list = names.length ? `its console scripts: ${names.join(', ')}` : 'it declares no console script';
  const data = { package: packageName, scripts: names };
  if (wanted !== undefined) {
    const s = scripts.find((x) => x.name === wanted);
    if (s) return s;
    throw new PmError('PYPI_NO_SCRIPT', `${packageName} has no console script named "${wanted}" (${list})`, {
      hint: names.length ? `pick one with --bin, e.g. --bin ${names[0]}` : 'this package ships no program to run; pick the package that ships the server', data,
    });
  }
  if (scripts.length === 1) return scripts[0]!;
  const own = scripts.find((s) => normalizePypiName(s.name) === normalizePypiName(packageName));
  if (own) return own;
  if (!scripts.length) {
    throw new PmError('PYPI_NO_SCRIPT', `${packageName} declares no console script, so pm has no program to run as its server`, {
      hint: 'an MCP server package names its program in [project.scripts]; check that this is the server package (not a library)', data,
    });
  }
  throw new PmError('PYPI_NO_SCRIPT', `${packageName} has several console scripts and none is named like the package (${list})`, {
    hint: `say which one runs the server with --bin, e.g. --bin ${names[0]}`, data,
  });
}

/**
 * The server spec that runs a console script from the plugin's venv without its generated
 * wrapper (whose shebang holds the staging folder's path): the venv's interpreter, by
 * `${pluginDir}`, imports the entry point and calls it, as the wrapper would.
 */
export function pythonServerSpec(packageName: string, script: ConsoleScript): ServerSpec {
  if (!DOTTED.test(script.module) || !DOTTED.test(script.attr) || !SCRIPT_NAME.test(script.name)) {
    throw new PmError('PYPI_NO_SCRIPT', `${packageName}'s console script "${script.name}" = "${script.module}:${script.attr}" is not a module:function entry point pm can run`, {
      hint: 'this package is malformed; do not install it', data: { package: packageName, script },
    });
  }
  const [head, ...rest] = script.attr.split('.');
  const call = [head, ...rest].join('.');
  const code = `import sys; from ${script.module} import ${head}; sys.argv[0] = ${JSON.stringify(script.name)}; sys.exit(${call}())`;
  return { command: '${pluginDir}/venv/bin/python', args: ['-c', code] };
}

/**
 * A PEP 440 version as the semver a manifest needs (the exact one stays in `source.resolved`):
 * `1.2` → `1.2.0`, `1.0rc1` → `1.0.0-rc1`, `0.6.2.post1` → `0.6.2+post1`, `1.2.3.4` → `1.2.3+4`.
 */
export function semverOfPep440(version: string): string {
  const m = /^(?:\d+!)?(\d+)(?:\.(\d+))?(?:\.(\d+))?((?:\.\d+)*)[-_.]?((?:a|b|c|rc|alpha|beta|pre|preview)[-_.]?\d*)?((?:[-_.]?(?:post|rev|r)[-_.]?\d*)|(?:-\d+))?([-_.]?dev[-_.]?\d*)?(?:\+([A-Za-z0-9.]+))?$/i.exec(version.trim());
  if (!m) return `0.0.0+${version.replace(/[^0-9A-Za-z.-]/g, '.').replace(/^[.-]+|[.-]+$/g, '') || 'unknown'}`;
  const core = `${Number(m[1])}.${Number(m[2] ?? 0)}.${Number(m[3] ?? 0)}`;
  const pre = [m[5], m[7]].filter(Boolean).map((p) => p!.replace(/^[-_.]/, '').replace(/[-_]/g, '.').toLowerCase());
  const build = [m[4]?.slice(1), m[6]?.replace(/^[-_.]/, '').replace(/[-_]/g, '.').toLowerCase(), m[8]].filter(Boolean);
  return `${core}${pre.length ? `-${pre.join('.')}` : ''}${build.length ? `+${build.join('.')}` : ''}`;
}
