import type { HostPlugin } from './manifest-types.js';

/** Which plugins of a reload must be (re)registered, and which cannot even be compared (a state the host cannot apply). */
export function changedPlugins(next: HostPlugin[], current: (name: string) => HostPlugin | undefined): { changed: HostPlugin[]; unapplicable: { name: string; err: unknown }[] } {
  const changed: HostPlugin[] = [];
  const unapplicable: { name: string; err: unknown }[] = [];
  for (const p of next) {
    const before = current(p.name);
    try {
      // A new restartRequestedAt (pm plugin-enable of an enabled plugin) restarts it, clearing a failed mark.
      if (!before || p.dir !== before.dir || p.restartRequestedAt !== before.restartRequestedAt || differs(p.manifest, before.manifest) || differs(p.config ?? {}, before.config ?? {}) || differs(p.secrets ?? {}, before.secrets ?? {}) || p.fullTrust?.since !== before.fullTrust?.since) changed.push(p);
    } catch (err) {
      unapplicable.push({ name: p.name, err });
    }
  }
  return { changed, unapplicable };
}

function differs(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) !== JSON.stringify(b);
}
