/**
 * The merge of a run's event sources into one stream: each event once (by source and id), in the
 * order of its time, released only when every source still being read has been read up to that
 * time (its watermark). An event that arrives after later events were released is released at
 * once with `late: true`: printed once all the same, never dropped.
 */
import type { RunEvent } from './events';

interface Pending {
  event: RunEvent;
  t: number;
  seq: number;
}

export interface MergeOptions {
  /**
   * The longest an event waits for a source that is behind (a source whose reads keep failing, a
   * far side not found yet): after that it is released anyway, and what comes later is late.
   */
  maxHoldMs?: number;
}

export class RunEventMerger {
  private readonly seen = new Set<string>();
  private pending: Pending[] = [];
  private late: RunEvent[] = [];
  private readonly watermarks = new Map<string, number>();
  private seq = 0;
  private released = -Infinity;
  private sorted = true;
  private readonly maxHoldMs: number;

  constructor(options: MergeOptions = {}) {
    this.maxHoldMs = options.maxHoldMs ?? Infinity;
  }

  /** Number of distinct events added so far. */
  get size(): number {
    return this.seen.size;
  }

  /** Time of the last event released in order (epoch ms), -Infinity before the first. */
  get releasedUpTo(): number {
    return this.released;
  }

  /**
   * Adds an event; false when (source, id) was added before. `t` is the event's time in epoch ms
   * (given by producers that have it as a number, parsed from `event.time` otherwise).
   */
  add(event: RunEvent, t: number = Date.parse(event.time)): boolean {
    const key = event.source + '\u0000' + event.id;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    if (t < this.released) {
      this.late.push({ ...event, late: true });
      return true;
    }
    const last = this.pending[this.pending.length - 1];
    if (last && (last.t > t)) this.sorted = false;
    this.pending.push({ event, t, seq: this.seq++ });
    return true;
  }

  /**
   * A source (channel) declares it has delivered every event up to `watermark` (epoch ms). While a
   * channel is open, nothing later than its watermark is released.
   */
  advance(channel: string, watermark: number): void {
    const current = this.watermarks.get(channel);
    if (current === undefined || watermark > current) this.watermarks.set(channel, watermark);
  }

  /** Sets a channel's watermark as given, lower or higher (a hold that may move back, e.g. a call whose log entry is awaited). */
  hold(channel: string, watermark: number): void {
    this.watermarks.set(channel, watermark);
  }

  /** A channel that will deliver nothing more (its run ended and was read to the end). */
  close(channel: string): void {
    this.watermarks.delete(channel);
  }

  /** Opens a channel that holds the stream back from `watermark` on (a far side just found). */
  open(channel: string, watermark: number): void {
    if (!this.watermarks.has(channel)) this.watermarks.set(channel, watermark);
  }

  /**
   * The events that may be printed now: late arrivals first (they are printed as they come), then
   * the pending events up to the lowest watermark (or older than `now - maxHoldMs`), in time order.
   */
  release(now: number = Date.now()): RunEvent[] {
    let threshold = Infinity;
    for (const w of this.watermarks.values()) if (w < threshold) threshold = w;
    if (now - this.maxHoldMs > threshold) threshold = now - this.maxHoldMs;
    return this.take(threshold);
  }

  /** Everything still held, in time order (the run is over). */
  flush(): RunEvent[] {
    return this.take(Infinity);
  }

  private take(threshold: number): RunEvent[] {
    const out = this.late;
    this.late = [];
    const pending = this.pending;
    if (pending.length === 0) return out;
    if (!this.sorted) {
      pending.sort((a, b) => a.t - b.t || a.seq - b.seq);
      this.sorted = true;
    }
    let n = 0;
    while (n < pending.length && pending[n].t <= threshold) n++;
    if (n === 0) return out;
    for (let i = 0; i < n; i++) out.push(pending[i].event);
    this.released = pending[n - 1].t;
    this.pending = n === pending.length ? [] : pending.slice(n);
    return out;
  }
}
