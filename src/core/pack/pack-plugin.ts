import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { PmError } from '../errors.js';
import type { Finding } from '../warn.js';
import { fsyncDir } from '../fs/atomic-write.js';
import { scanPackageFiles, unsupportedFile } from './package-files.js';
import { judgeShipping } from './validate-before-pack.js';
import { validatePlugin } from '../validate/validate-plugin.js';
import { writeTarball } from './write-tarball.js';

export interface PackOptions {
  /** Where the .tgz goes (default: the current directory, like `npm pack`). */
  outDir?: string;
  /** Validation warnings become errors. */
  strict?: boolean;
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

/** Validates a plugin folder, then writes its deterministic `<name>-<version>.tgz`. */
export async function packPlugin(dir: string, opts: PackOptions = {}): Promise<PackResult> {
  const root = resolve(dir);
  const st = await stat(root).catch(() => undefined);
  if (!st?.isDirectory()) {
    throw new PmError('PLUGIN_NOT_FOUND', `${root} is not a folder`, { kind: 'usage', hint: 'pass the plugin folder: pm plugin-package <dir>' });
  }
  const outDir = resolve(opts.outDir ?? process.cwd());
  // Packages written inside the plugin folder (--out dist) are never packed into the next one.
  const outRel = relative(root, outDir).split(sep).join('/');
  const alsoNever = outRel && !outRel.startsWith('..') && !isAbsolute(outRel) ? [`/${outRel}/*.tgz`, `/${outRel}/*.tgz.prov`, `/${outRel}/.*.tmp`] : [];
  // Both walk the folder; their file-system waits overlap.
  const [{ entries, unsupported }, full] = await Promise.all([scanPackageFiles(root, { alsoNever }), validatePlugin(root, { strict: opts.strict })]);
  // Links and special files that would be packed count as shipping, so validation reports them.
  const packed = new Set([...entries.map((e) => e.path), ...unsupported.map((u) => u.path)]);
  const { manifest, report } = await judgeShipping(full, root, packed);
  if (unsupported.length) throw unsupportedFile(unsupported[0]);
  await mkdir(outDir, { recursive: true });
  const file = join(outDir, `${manifest.name}-${manifest.version}.tgz`);
  // Write beside the target and rename, so a failed pack never leaves a half-written .tgz.
  const tmp = join(outDir, `.${manifest.name}-${manifest.version}.tgz.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let written;
  try {
    written = await writeTarball(root, entries, tmp);
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
