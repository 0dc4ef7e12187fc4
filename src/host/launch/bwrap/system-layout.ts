/**
 * The parts of this machine's file system every sandboxed process sees read-only: the system
 * folders (as links where /usr is merged, as on Debian and Fedora) and a few files of /etc.
 */
import { lstatSync, readlinkSync } from 'node:fs';

/** Top-level system folders and /etc files, as found on this machine. */
export interface SystemLayout {
  /** A folder bound read-only at the same place, or a link (`link` is its target) recreated as is. */
  roots: { path: string; link?: string }[];
  /** /etc entries every process gets: certificates, the loader's cache, alternatives, the time zone. */
  etc: string[];
  /** /etc entries only a process granted network gets: name resolution. */
  etcNetwork: string[];
}

const ROOTS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];
const ETC = ['/etc/ssl', '/etc/ca-certificates', '/etc/pki', '/etc/crypto-policies', '/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/ld.so.conf.d', '/etc/alternatives', '/etc/localtime'];
const ETC_NETWORK = ['/etc/resolv.conf', '/etc/hosts', '/etc/nsswitch.conf', '/etc/gai.conf', '/etc/host.conf'];

let cached: SystemLayout | undefined;

/** This machine's layout (read once per process). */
export function systemLayout(): SystemLayout {
  if (cached) return cached;
  const roots: SystemLayout['roots'] = [];
  for (const path of ROOTS) {
    try {
      const st = lstatSync(path);
      if (st.isSymbolicLink()) roots.push({ path, link: readlinkSync(path) });
      else if (st.isDirectory()) roots.push({ path });
    } catch { /* absent on this system */ }
  }
  cached = { roots, etc: ETC, etcNetwork: ETC_NETWORK };
  return cached;
}
