import { describe, expect, it } from 'vitest';
import { findOnPath, probeOsSandbox } from '../../../../src/core/runtime/os-sandbox.js';

describe('probeOsSandbox', () => {
  it('turns the OS sandbox off when PM_SANDBOX=node forces the fallback', () => {
    expect(probeOsSandbox({ PM_SANDBOX: 'node', PATH: process.env.PATH })).toEqual({ available: false, reason: 'PM_SANDBOX=node turns the OS sandbox off' });
  });

  it('says bwrap is missing, and how to get it, when it is not on PATH', () => {
    expect(probeOsSandbox({ PATH: '/nonexistent' }, 'linux')).toMatchObject({ available: false, reason: 'bwrap is not on PATH', hint: expect.stringMatching(/apt-get install bubblewrap.*dnf install bubblewrap/) });
  });

  it('offers no bubblewrap off Linux', () => {
    expect(probeOsSandbox({ PATH: process.env.PATH }, 'darwin')).toMatchObject({ available: false, reason: expect.stringMatching(/Linux only/) });
  });

  const bwrap = findOnPath('bwrap');
  it.skipIf(!bwrap)(bwrap ? 'finds bubblewrap here and proves it with a trial run' : 'finds bubblewrap here — SKIPPED: bwrap is not on PATH', () => {
    const f = probeOsSandbox({ PATH: process.env.PATH });
    // A machine with bwrap but without user namespaces says so instead of claiming a sandbox.
    if (!f.available) expect(f.reason).toMatch(/cannot create namespaces/);
    else expect(f).toMatchObject({ available: true, bwrap });
  });
});
