import { createRequire } from 'node:module';
import { PmError } from '../errors.js';

const pkg = createRequire(import.meta.url)('../../../package.json') as { version: string };

/** The npm package name pm is published under. */
export const PM_PACKAGE = 'pmkit';

/** The range of the running pm's major, e.g. ^1.0.0 (engines.pm and the default spec). */
export function pmMajorRange(): string {
  return `^${pkg.version.split('.')[0]}.0.0`;
}

/** The spec plugin-create writes when --pm-spec is not given: pmkit at the running major. */
export function defaultPmSpec(): string {
  return `${PM_PACKAGE}@${pmMajorRange()}`;
}

// The spec is written single-quoted into a YAML `run:` line: quotes, backslashes, blanks and
// control characters would break the shell or the YAML, `${{` is a GitHub Actions expression.
const UNSAFE = /[\s\p{Cc}'"`\\]|\$\{\{/u;

/** Throws a usage error for a --pm-spec that npm would not take or that would break the generated files. */
export function checkPmSpec(spec: string): void {
  const hint = `give npm a spec for pmkit without blanks or quotes, e.g. ${defaultPmSpec()}, ../pmkit-1.0.0.tgz (from npm pack), file:../pmkit or git+https://host/pmkit.git`;
  let problem: string | undefined;
  if (spec.trim() === '') problem = 'is empty';
  else if (spec.length > 500) problem = `is ${spec.length} characters long; the limit is 500`;
  else if (UNSAFE.test(spec)) problem = 'has a blank, a quote, a backslash, a control character or ${{, which would break the generated CI workflow';
  else if (spec.startsWith('-')) problem = 'starts with "-", so npm would read it as an option';
  if (problem) throw new PmError('USAGE', `--pm-spec ${JSON.stringify(spec)} ${problem}`, { hint, data: { spec } });
}

const NPM_NAME_SPEC = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*(@.*)?$/;
const TARBALL_NAME = /\.(tgz|tar\.gz|tar)$/i;

/**
 * The value of `devDependencies.pmkit` for a spec: the range of `pmkit@<range>`, an
 * `npm:` alias for another registry name, a `file:` spec for a bare tarball name, and
 * paths, `file:`, git and URL specs as given (npm resolves paths from the plugin folder).
 */
export function pmDependency(spec: string): string {
  if (spec === PM_PACKAGE) return '*';
  if (spec.startsWith(`${PM_PACKAGE}@`)) return spec.slice(PM_PACKAGE.length + 1);
  if (TARBALL_NAME.test(spec) && !/[:/\\]/.test(spec)) return `file:${spec}`;
  if (NPM_NAME_SPEC.test(spec)) return `npm:${spec}`;
  return spec;
}
