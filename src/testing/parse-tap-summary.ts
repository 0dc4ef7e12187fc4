/** The counts Node's test runner prints at the end of a TAP stream. */
export interface TestCounts {
  tests: number;
  pass: number;
  fail: number;
  skipped: number;
  todo: number;
  cancelled: number;
}

/** Reads `# tests N`, `# pass N`… from the end of a TAP report; undefined when it has none (the run died). */
export function parseTapSummary(tap: string): TestCounts | undefined {
  const get = (k: string) => {
    const all = [...tap.matchAll(new RegExp(`^# ${k} (\\d+)$`, 'gm'))];
    return all.length ? Number(all[all.length - 1]![1]) : undefined;
  };
  const tests = get('tests');
  if (tests === undefined) return undefined;
  return { tests, pass: get('pass') ?? 0, fail: get('fail') ?? 0, skipped: get('skipped') ?? 0, todo: get('todo') ?? 0, cancelled: get('cancelled') ?? 0 };
}
