import { afterAll, beforeAll, describe, it } from 'vitest';
import { createHost } from '../../../src/host/host.js';
import { tempDir } from '../../helpers/pm.js';
import { hostileChecks, type ScenarioReport } from '../../helpers/hostile-expectations.js';
// @ts-expect-error plain ESM helper shared with the Node 24 run
import { runHostileScenarios } from '../../helpers/hostile-scenarios.mjs';

const tmp = await tempDir('pm-hostile-');
let report: ScenarioReport;
beforeAll(async () => {
  // Every hostile fixture plugin runs beside a well-behaved one in one real host.
  report = (await runHostileScenarios(createHost, tmp.dir)) as ScenarioReport;
});
afterAll(() => tmp.cleanup());

describe(`hostile plugins on this Node (${process.versions.node})`, () => {
  it.each(Object.keys(hostileChecks))('%s', (name) => hostileChecks[name]!(report));
});
