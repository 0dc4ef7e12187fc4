/**
 * The registry as Prometheus text (exposition format 0.0.4), names mapped the way the OTel
 * Prometheus exporter maps them: dots to underscores, the unit as a suffix (`_seconds`),
 * `_total` on counters, `{annotations}` dropped. Written by hand over pm's own instruments so
 * /metrics needs no SDK (see docs/observability.md).
 */
import type { Attributes, InstrumentInfo, Registry } from './instruments.js';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const UNITS: Record<string, string> = { s: 'seconds', ms: 'milliseconds', By: 'bytes', '1': 'ratio' };

const sanitize = (s: string): string => s.replace(/[^a-zA-Z0-9_:]/g, '_').replace(/^([0-9])/, '_$1');

/** The Prometheus name of an OTel instrument: `mcp.server.operation.duration` (s) -> `mcp_server_operation_duration_seconds`. */
export function prometheusName(info: Pick<InstrumentInfo, 'name' | 'unit' | 'kind'>): string {
  let name = sanitize(info.name);
  const unit = info.unit.replace(/\{[^}]*\}/g, '');
  const suffix = unit ? (UNITS[unit] ?? sanitize(unit)) : '';
  if (suffix && !name.endsWith(`_${suffix}`)) name += `_${suffix}`;
  if (info.kind === 'counter') name += '_total';
  return name;
}

const escapeValue = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const escapeHelp = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function labels(a: Attributes, extra?: [string, string]): string {
  const parts = Object.entries(a).map(([k, v]) => `${sanitize(k)}="${escapeValue(v)}"`);
  if (extra) parts.push(`${extra[0]}="${escapeValue(extra[1])}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

const num = (n: number): string => (n === Infinity ? '+Inf' : n === -Infinity ? '-Inf' : Number.isNaN(n) ? 'NaN' : String(n));

const TYPES: Record<InstrumentInfo['kind'], string> = { histogram: 'histogram', counter: 'counter', updowncounter: 'gauge', gauge: 'gauge' };

function header(out: string[], name: string, info: InstrumentInfo): void {
  out.push(`# HELP ${name} ${escapeHelp(info.description)}`, `# TYPE ${name} ${TYPES[info.kind]}`);
}

/** Every instrument with at least one series, observed values included, plus `target_info` from `resource`. */
export function prometheusText(registry: Registry, resource: Attributes = {}): string {
  const out: string[] = [];
  if (Object.keys(resource).length) out.push('# HELP target_info Target metadata', '# TYPE target_info gauge', `target_info${labels(resource)} 1`);
  for (const inst of registry.instruments) {
    if (inst.series.size === 0) continue;
    const { info } = inst;
    const name = prometheusName(info);
    header(out, name, info);
    for (const s of inst.series.values()) {
      if (info.kind !== 'histogram') {
        out.push(`${name}${labels(s.attributes)} ${num(s.sum)}`);
        continue;
      }
      let cumulative = 0;
      const b = info.boundaries ?? [];
      for (let i = 0; i <= b.length; i++) {
        cumulative += s.counts![i]!;
        out.push(`${name}_bucket${labels(s.attributes, ['le', i < b.length ? num(b[i]!) : '+Inf'])} ${cumulative}`);
      }
      out.push(`${name}_sum${labels(s.attributes)} ${num(s.sum)}`, `${name}_count${labels(s.attributes)} ${s.count}`);
    }
  }
  for (const { info, points } of registry.observed()) {
    if (points.length === 0) continue;
    const name = prometheusName(info);
    header(out, name, info);
    for (const p of points) out.push(`${name}${labels(p.attributes)} ${num(p.value)}`);
  }
  return out.join('\n') + '\n';
}
