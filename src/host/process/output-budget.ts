/**
 * A per-plugin budget for what its output may put in the host's log (stdout, stderr and
 * ctx.log lines): a token bucket of `bytesPerSec`, so a plugin cannot fill the disk or drown
 * the host's own lines. Over budget, lines are dropped; the log says so once when dropping
 * starts and once, with the count, when it stops.
 */
export class OutputBudget {
  private tokens: number;
  private last = performance.now();
  private dropped = 0;
  private droppedBytes = 0;

  constructor(
    private readonly bytesPerSec: number,
    private readonly notice: (message: string) => void,
  ) {
    this.tokens = bytesPerSec;
  }

  /** Whether a line of `bytes` may be logged now (0 bytesPerSec: no limit). */
  allow(bytes: number): boolean {
    if (!this.bytesPerSec) return true;
    const now = performance.now();
    this.tokens = Math.min(this.bytesPerSec, this.tokens + ((now - this.last) / 1000) * this.bytesPerSec);
    this.last = now;
    if (this.tokens >= bytes) {
      if (this.dropped) this.flush();
      this.tokens -= bytes;
      return true;
    }
    if (!this.dropped) this.notice(`output over ${Math.round(this.bytesPerSec / 1024)} KiB/s; dropping its output until it slows down`);
    this.dropped++;
    this.droppedBytes += bytes;
    // Dropped lines drain the bucket too: logging resumes once the output slows down, without a notice per line.
    this.tokens = Math.max(0, this.tokens - bytes);
    return false;
  }

  /** Reports lines dropped since the last notice, if any. */
  flush(): void {
    if (!this.dropped) return;
    this.notice(`dropped ${this.dropped} line(s), ${this.droppedBytes} bytes, of its output`);
    this.dropped = 0;
    this.droppedBytes = 0;
  }
}
