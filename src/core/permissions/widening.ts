/**
 * What an update adds to a plugin's declared permissions (DESIGN §5 "re-consent"): new paths,
 * network, environment variables, capabilities, a larger memory cap. Narrowing needs no consent.
 */
import type { DeclaredPermissions } from './policy.js';

const hosts = (n: DeclaredPermissions['network']): string[] | 'any' => (n === true ? 'any' : Array.isArray(n) ? n : []);

/** The permissions `after` grants beyond `before`, one line each; empty when nothing widens. */
export function widenedPermissions(before: DeclaredPermissions = {}, after: DeclaredPermissions = {}): string[] {
  const out: string[] = [];
  for (const k of ['read', 'write'] as const) {
    const added = (after.fs?.[k] ?? []).filter((p) => !(before.fs?.[k] ?? []).includes(p));
    if (added.length) out.push(`fs.${k}: + ${added.join(', ')}`);
  }
  const [hb, ha] = [hosts(before.network), hosts(after.network)];
  if (ha === 'any' && hb !== 'any') out.push('network: + any host');
  else if (ha !== 'any' && hb !== 'any') {
    const added = ha.filter((h) => !hb.includes(h));
    if (added.length) out.push(`network: + ${added.join(', ')}${hb.length ? '' : ' (it had no network)'}`);
  }
  const env = (after.env ?? []).filter((e) => !(before.env ?? []).includes(e));
  if (env.length) out.push(`env: + ${env.join(', ')}`);
  for (const k of ['childProcess', 'worker', 'addons'] as const) if (after[k] && !before[k]) out.push(`${k}: no → yes`);
  if ((after.memoryMb ?? 0) > (before.memoryMb ?? 0) && after.memoryMb !== undefined) out.push(`memoryMb: ${before.memoryMb ?? 'default'} → ${after.memoryMb}`);
  return out;
}
