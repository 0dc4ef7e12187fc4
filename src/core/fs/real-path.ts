import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * The real path of `p`: symbolic links resolved as far as the path exists, the missing
 * rest appended as written (a dangling link is followed to where it points).
 */
export function realPathNearest(p: string, depth = 0): string {
  const abs = resolve(p);
  try {
    return realpathSync.native(abs);
  } catch {
    // Missing, dangling or unreadable: resolve the parent and go on from there.
  }
  const parent = dirname(abs);
  if (parent === abs || depth > 64) return abs;
  const realParent = realPathNearest(parent, depth + 1);
  const st = lstatSync(abs, { throwIfNoEntry: false });
  if (st?.isSymbolicLink()) {
    let target: string | undefined;
    try {
      target = readlinkSync(abs);
    } catch {
      target = undefined;
    }
    if (target !== undefined) return realPathNearest(resolve(realParent, target), depth + 1);
  }
  return join(realParent, basename(abs));
}

/** Whether `child` is `parent` or lies inside it (both absolute, compared as written). */
export function isWithin(child: string, parent: string): boolean {
  const r = relative(parent, child);
  return r === '' || (r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r));
}
