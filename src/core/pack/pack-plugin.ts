import { buildIfTypeScript } from '../build/build-plugin.js';
import { mkdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { PmError } from '../errors.js';
import type { Finding } from '../warn.js';
import { fsyncDir } from '../fs/atomic-write.js';
import { scanPackageFiles, unsupportedFile, type PackEntry } from './package-files.js';
import { judgeShipping } from './validate-before-pack.js';
import { writeTarball, type TarballWritten } from './write-tarball.js';
import type { InspectEntry, ValidationReport } from '../validate/types.js';

export interface PackOptions {
  /** Where the .tgz goes (default: the current directory, like `npm pack`). */
  outDir?: string;
  /** Validation warnings become errors. */
  strict?: boolean;
  /** Loads the entry in the sandbox during validation (see ValidatePluginOptions.inspectEntry). */
  inspectEntry?: InspectEntry;
}

export interface PackResult {
  /** Absolute path of the written `<name>-<version>.tgz`. */
  file: string;
  name: string;
  version: string;
  /** Number of regular files packed (folders not counted). */
  files: number;
  /** Bytes of the .tgz. */
  size: number;
  /** Sum of the packed files' sizes. */
  unpackedSize: number;
  /** `sha512-<base64>` of the .tgz. */
  integrity: string;
  /** Validation warnings (not errors) about what ships. */
  warnings: Finding[];
}

/** Temporary packages are named `.pm-package.<pid>.<random>.tgz.tmp` in the output folder. */
const TEMP_PREFIX = '.pm-package.';

interface TempPackage {
  tmp: string;
  written: TarballWritten;
  /** The first folder mkdir created for outDir, if it created any. */
  created?: string;
}

/** Writes the package to a temporary file in outDir (created if missing), removing it if writing fails. */
async function writeToTemp(root: string, entries: PackEntry[], outDir: string, signal: AbortSignal): Promise<TempPackage> {
  const created = await mkdir(outDir, { recursive: true });
  // Written beside the target and renamed, so a failed pack never leaves a half-written .tgz.
  const tmp = join(outDir, `${TEMP_PREFIX}${process.pid}.${randomBytes(4).toString('hex')}.tgz.tmp`);
  try {
    return { tmp, written: await writeTarball(root, entries, tmp, { signal }), created };
  } catch (err) {
    await rm(tmp, { force: true });
    await removeCreated(outDir, created);
    throw err;
  }
}

/** Removes the folders mkdir created for outDir (innermost first), as long as they are empty. */
async function removeCreated(outDir: string, created: string | undefined): Promise<void> {
  if (!created) return;
  for (let d = outDir; ; d = dirname(d)) {
    if (!(await rmdir(d).then(() => true, () => false)) || d === created || d === dirname(d)) return;
  }
}

/** Throws away a package written for a plugin that was then refused (stopping it if still being written). */
async function discard(writing: Promise<TempPackage> | undefined, stop: AbortController): Promise<void> {
  stop.abort(new Error('the plugin was refused'));
  const done = await writing?.catch(() => undefined); // a failed write already cleaned up after itself
  if (!done) return;
  await rm(done.tmp, { force: true });
  await removeCreated(dirname(done.tmp), done.created);
}

/** Validates a plugin folder and writes its deterministic `<name>-<version>.tgz` (compressing while validation runs; kept only if the plugin passes). */
export async function packPlugin(dir: string, opts: PackOptions = {}): Promise<PackResult> {
  const root = resolve(dir);
  const st = await stat(root).catch(() => undefined);
  if (!st?.isDirectory()) {
    throw new PmError('PLUGIN_NOT_FOUND', `${root} is not a folder`, { hint: 'pass the plugin folder: pm plugin-package <dir>' });
  }
  // A TypeScript plugin is packed as built from its sources now, never a stale dist/.
  await buildIfTypeScript(root);
  const outDir = resolve(opts.outDir ?? process.cwd());
  // Packages written inside the plugin folder (--out dist) are never packed into the next one.
  const outRel = relative(root, outDir).split(sep).join('/');
  const alsoNever = outRel && !outRel.startsWith('..') && !isAbsolute(outRel) ? [`/${outRel}/*.tgz`, `/${outRel}/*.tgz.prov`, `/${outRel}/.*.tmp`] : [];
  // Packing into the plugin folder itself: a temporary file left by a killed run is not packed either.
  if (outRel === '') alsoNever.push(`/${TEMP_PREFIX}*.tmp`);
  // Validation (which may start the entry in the sandbox, a child process) runs while the
  // package is compressed into a temporary file; nothing reaches <name>-<version>.tgz unless
  // the plugin passes. A refused plugin leaves no temporary file and no folder we created.
  // Loaded here rather than at the top: compiling the validators (~60 ms) overlaps the folder walk.
  const validating = import('../validate/validate-plugin.js').then(({ validatePlugin }) => validatePlugin(root, { strict: opts.strict, inspectEntry: opts.inspectEntry }));
  validating.catch(() => undefined); // awaited below; this only keeps an early failure from counting as unhandled
  let scanned: Awaited<ReturnType<typeof scanPackageFiles>>;
  try {
    scanned = await scanPackageFiles(root, { alsoNever });
  } catch (err) {
    await validating.catch(() => undefined);
    throw err;
  }
  const { entries, unsupported } = scanned;
  const stop = new AbortController();
  const writing = unsupported.length ? undefined : writeToTemp(root, entries, outDir, stop.signal);
  writing?.catch(() => undefined);
  let manifest: Awaited<ReturnType<typeof judgeShipping>>['manifest'];
  let report: ValidationReport;
  try {
    // Links and special files that would be packed count as shipping, so validation reports them.
    const packed = new Set([...entries.map((e) => e.path), ...unsupported.map((u) => u.path)]);
    ({ manifest, report } = await judgeShipping(await validating, root, packed));
    if (unsupported.length) throw unsupportedFile(unsupported[0]);
  } catch (err) {
    await discard(writing, stop);
    throw err;
  }
  const { tmp, written } = await writing!;
  const file = join(outDir, `${manifest.name}-${manifest.version}.tgz`);
  try {
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(outDir);
  const files = entries.filter((e) => e.type === 'file');
  return {
    file,
    name: manifest.name,
    version: manifest.version,
    files: files.length,
    size: written.size,
    unpackedSize: files.reduce((n, e) => n + e.stat.size, 0),
    integrity: written.integrity,
    warnings: report.warnings,
  };
}
