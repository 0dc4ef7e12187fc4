import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { PmError } from '../errors.js';
import { createVenv, pipCommand, pruneVenvBin, pythonEnv, runProgram, type PythonOptions } from './pypi-python.js';

export interface PypiFetchOptions extends PythonOptions {
  /** --allow-sdist: let pip build source distributions, which runs their build code. */
  allowSdist?: boolean;
}

/** One distribution pip installed into the venv. */
export interface PypiDistribution {
  name: string;
  version: string;
  /** sha256 (hex) of the wheel or sdist pip fetched, from pip's report. */
  sha256?: string;
  /** Where pip got it (index URL or a local file://). */
  url?: string;
  /** Built from a source distribution (only with --allow-sdist). */
  built?: boolean;
}

/** A console script of the package: `name = module:attr`. */
export interface ConsoleScript {
  name: string;
  module: string;
  attr: string;
}

/** What `pypi:<package>[==<version>]` became inside `<dir>/venv`. */
export interface FetchedPypiPackage extends PypiDistribution {
  summary?: string;
  license?: string;
  author?: string;
  /** Every distribution installed, the package first. */
  packages: PypiDistribution[];
  scripts: ConsoleScript[];
}

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const VERSION = /^[A-Za-z0-9][A-Za-z0-9.!+_-]*$/;

/** PEP 503's normalized name: lower case, runs of -, _ and . as one -. */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Checks the package and version so neither can reach pip as an option or a URL; throws PYPI_SPEC_INVALID. */
export function pypiRequirement(pkg: string, version?: string): string {
  if (!NAME.test(pkg) || (version !== undefined && !VERSION.test(version))) {
    throw new PmError('PYPI_SPEC_INVALID', `"pypi:${pkg}${version !== undefined ? `==${version}` : ''}" is not a package name with an optional ==version`, {
      hint: 'write pypi:<package>[==<version>], e.g. pypi:mcp-server-fetch==2025.4.7', data: { package: pkg, version },
    });
  }
  return version !== undefined ? `${pkg}==${version}` : pkg;
}

/** The projects pip skipped only because they are source distributions (from its debug log). */
export function sdistOnlyProjects(log: string): string[] {
  const found = new Set<string>();
  for (const m of log.matchAll(/Skipping link: No sources permitted for ([^:\s]+): (\S+)/g)) {
    const project = normalizePypiName(m[1]!);
    // With --find-links every file is weighed against every project: keep the files of this one.
    const file = normalizePypiName(decodeURIComponent(basename(m[2]!.split('#')[0]!)));
    if (file.startsWith(`${project}-`)) found.add(project);
  }
  return [...found];
}

interface ReportItem {
  download_info?: { url?: string; archive_info?: { hash?: string; hashes?: Record<string, string> } };
  requested?: boolean;
  metadata?: { name?: string; version?: string; summary?: string; license?: string; author?: string; author_email?: string };
}

function distribution(item: ReportItem): PypiDistribution {
  const info = item.download_info ?? {};
  const sha256 = info.archive_info?.hashes?.sha256 ?? info.archive_info?.hash?.replace(/^sha256=/, '');
  const url = info.url;
  return {
    name: String(item.metadata?.name ?? ''), version: String(item.metadata?.version ?? ''),
    ...(sha256 && /^[0-9a-f]{64}$/.test(sha256) ? { sha256 } : {}), ...(url ? { url } : {}),
    ...(url && !/\.whl(#|$)/.test(url) ? { built: true } : {}),
  };
}

// Run inside the venv: the package's console scripts as [name, module, attr].
const LIST_SCRIPTS = 'import importlib.metadata as m, json, sys\nd = m.distribution(sys.argv[1])\nprint(json.dumps([[e.name, e.module, e.attr] for e in d.entry_points if e.group == "console_scripts"]))';

/** The last line of pip's output that says what went wrong. */
function pipReason(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines.filter((l) => l.startsWith('ERROR:')).pop() ?? lines.pop() ?? 'no output').replace(/^ERROR:\s*/, '');
}

/**
 * Creates `<dir>/venv` and pip-installs `pypi:<package>[==<version>]` into it, wheels only
 * unless allowSdist, with pip's own configuration (PIP_INDEX_URL, PIP_FIND_LINKS,
 * PIP_NO_INDEX, pip.conf); returns what pip's report says it installed and the package's
 * console scripts. Throws PYPI_SDIST_ONLY, PYPI_NOT_FOUND or PYPI_INSTALL_FAILED.
 */
export async function fetchPypiPackage(pkg: string, version: string | undefined, dir: string, opts: PypiFetchOptions = {}): Promise<FetchedPypiPackage> {
  const requirement = pypiRequirement(pkg, version);
  const venv = join(dir, 'venv');
  const python = await createVenv(venv, opts);
  const [cmd, ...pip] = await pipCommand(python);
  const work = await mkdtemp(join(tmpdir(), 'pm-pip-'));
  try {
    const report = join(work, 'report.json');
    const log = join(work, 'pip.log');
    const args = [...pip, 'install', '--no-input', '--no-compile', '--report', report, '--log', log, ...(opts.allowSdist ? [] : ['--only-binary=:all:']), requirement];
    const r = await runProgram(cmd!, args, { env: pythonEnv() });
    const spec = `pypi:${requirement}`;
    if (r.exitCode !== 0) {
      const reason = pipReason(r.stderr);
      const sdists = opts.allowSdist ? [] : sdistOnlyProjects(await readFile(log, 'utf8').catch(() => ''));
      if (sdists.length) {
        throw new PmError('PYPI_SDIST_ONLY', `refused ${spec}: ${sdists.join(', ')} has no wheel for this Python, only a source distribution, and building one runs its code`, {
          hint: 'add --allow-sdist to build it from source (this runs the package\'s build code on this machine), or pick a version that publishes wheels', data: { spec, projects: sdists },
        });
      }
      if (/Could not find a version that satisfies|No matching distribution found/.test(r.stderr)) {
        throw new PmError('PYPI_NOT_FOUND', `pip found no ${requirement} on the configured index: ${reason}`, {
          hint: 'check the name and version, and pip\'s index settings (PIP_INDEX_URL, PIP_FIND_LINKS, PIP_NO_INDEX, pip.conf)', data: { spec },
        });
      }
      throw new PmError('PYPI_INSTALL_FAILED', `pip could not install ${requirement}: ${reason}`, { hint: 'read pip\'s message; check the package, its dependencies and pip\'s index settings, then retry', data: { spec, stderr: r.stderr.slice(-4000) } });
    }
    const items = (JSON.parse(await readFile(report, 'utf8')) as { install?: ReportItem[] }).install ?? [];
    const want = normalizePypiName(pkg);
    const main = items.find((i) => normalizePypiName(String(i.metadata?.name ?? '')) === want) ?? items.find((i) => i.requested);
    if (!main) throw new PmError('PYPI_INSTALL_FAILED', `pip reported no installation of ${requirement}`, { data: { spec } });
    const scripts = await runProgram(python, ['-c', LIST_SCRIPTS, String(main.metadata?.name)], { env: pythonEnv() });
    if (scripts.exitCode !== 0) throw new PmError('PYPI_INSTALL_FAILED', `cannot read ${requirement}'s console scripts: ${pipReason(scripts.stderr)}`, { data: { spec } });
    await pruneVenvBin(venv);
    const md = main.metadata ?? {};
    const author = md.author || md.author_email;
    return {
      ...distribution(main),
      ...(md.summary ? { summary: md.summary } : {}), ...(md.license ? { license: md.license } : {}), ...(author ? { author } : {}),
      packages: [distribution(main), ...items.filter((i) => i !== main).map(distribution)],
      scripts: (JSON.parse(scripts.stdout) as [string, string, string][]).map(([name, module, attr]) => ({ name, module, attr })),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
