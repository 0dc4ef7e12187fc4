/** Recent crashes of one plugin: when it may start again, and when it is marked failed. */
export class CrashRecord {
  private times: number[] = [];
  private nextStartAt = 0;

  constructor(private readonly opts: { maxCrashes: number; crashWindowMs: number; backoffMs: number; backoffMaxMs: number }) {}

  /** Records a crash at `now`; returns true when this makes maxCrashes within the window (failed). */
  record(now: number): boolean {
    this.times = this.times.filter((t) => now - t < this.opts.crashWindowMs);
    this.times.push(now);
    if (this.times.length >= this.opts.maxCrashes) return true;
    // The delay doubles with each recent crash, up to backoffMaxMs.
    this.nextStartAt = now + Math.min(this.opts.backoffMaxMs, this.opts.backoffMs * 2 ** (this.times.length - 1));
    return false;
  }

  /** Crashes within the window as of the last record. */
  get recent(): number {
    return this.times.length;
  }

  /** Milliseconds to wait before the next start may begin (0: now). */
  waitMs(now: number): number {
    return Math.max(0, this.nextStartAt - now);
  }

  /** Forgets every crash. */
  clear(): void {
    this.times = [];
    this.nextStartAt = 0;
  }
}
