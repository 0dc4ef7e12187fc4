/**
 * The idle stop of one plugin. A call does not re-create the timer (that cost a timer per
 * call); the timer, when it fires, looks at the last use and re-arms for the time that is
 * left, so the plugin still stops idleTimeoutMs after its last call.
 */
export class IdleTimer {
  private timer?: ReturnType<typeof setTimeout>;
  /** performance.now() at the end of the last call (the idle stop counts from it). */
  private lastUsed = 0;

  constructor(
    private readonly idleTimeoutMs: number,
    private readonly probe: { running(): boolean; inFlight(): number; onIdle(): void },
  ) {}

  /** Marks a use now and arms the timer unless it is armed already (or idle stop is off). */
  touch(): void {
    this.lastUsed = performance.now();
    if (!this.idleTimeoutMs || this.timer || !this.probe.running()) return;
    this.schedule(this.idleTimeoutMs);
  }

  /** Disarms the timer. */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.probe.running()) return;
      if (this.probe.inFlight() > 0) return this.schedule(this.idleTimeoutMs);
      const left = this.idleTimeoutMs - (performance.now() - this.lastUsed);
      if (left > 0) return this.schedule(left);
      this.probe.onIdle();
    }, ms);
    this.timer.unref();
  }
}
