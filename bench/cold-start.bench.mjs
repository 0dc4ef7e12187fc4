// Cold start of `pm --version` and `pm --help` against `node -e 0` (issue: foundation).
import { compare, pmBin, report, timeCommand } from './lib.mjs';

export default function coldStart() {
  const node = () => timeCommand(process.execPath, ['-e', '0']);
  for (const flag of ['--version', '--help']) {
    const { a, b } = compare(() => timeCommand(process.execPath, [pmBin, flag]), node, 15);
    report(`cold start pm ${flag} (median of 15)`, { value: a, baseline: b, baselineName: 'node -e 0', target: 2.0 });
  }
}
