/**
 * A small work queue for calls to Stripe: bounded concurrency, a steady rate
 * (one call every 1/rate seconds, no bursts), and retries with exponential
 * backoff and full jitter for rate limits, server and network errors.
 */
import { backoffWithJitter } from "~/domain/settlement";

export type WorkResult = { ok: true } | { ok: false; retryable: boolean; error: string };

export interface QueueOptions {
  concurrency: number;
  ratePerSecond: number;
  maxAttempts: number;
  baseBackoffMs?: number;
  capBackoffMs?: number;
  random?: () => number;
  /** called between items, e.g. to renew a lease */
  onProgress?: (done: number) => Promise<void> | void;
}

export interface QueueReport<T> {
  done: number;
  retries: number;
  /** items given up on: not retryable, or out of attempts */
  failed: Array<{ item: T; error: string; retryable: boolean }>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Paces calls: each caller gets the next free slot, 1/rate seconds after the
 * previous one. A caller that wakes up late (the event loop was busy) does not
 * use its stale slot — it takes a fresh one — so a stall never turns into a
 * burst that the API's per-second limit would refuse.
 */
export class RateLimiter {
  private next = 0;
  constructor(private readonly ratePerSecond: number) {}
  async take(): Promise<void> {
    const interval = 1000 / this.ratePerSecond;
    for (;;) {
      const now = performance.now();
      const slot = Math.max(now, this.next);
      this.next = slot + interval;
      if (slot > now) await sleep(slot - now);
      if (performance.now() - slot < interval / 2) return;
    }
  }
}

export async function runQueue<T>(
  items: T[],
  work: (item: T, attempt: number) => Promise<WorkResult>,
  options: QueueOptions,
): Promise<QueueReport<T>> {
  const limiter = new RateLimiter(options.ratePerSecond);
  const report: QueueReport<T> = { done: 0, retries: 0, failed: [] };
  let index = 0;
  const worker = async () => {
    for (;;) {
      const i = index++;
      if (i >= items.length) return;
      const item = items[i]!;
      for (let attempt = 1; ; attempt++) {
        await limiter.take();
        let result: WorkResult;
        try {
          result = await work(item, attempt);
        } catch (error) {
          result = {
            ok: false,
            retryable: false,
            error: error instanceof Error ? error.message : String(error),
          };
        }
        if (result.ok) {
          report.done++;
          break;
        }
        if (!result.retryable || attempt >= options.maxAttempts) {
          report.failed.push({ item, error: result.error, retryable: result.retryable });
          break;
        }
        report.retries++;
        await sleep(
          backoffWithJitter(
            attempt,
            options.baseBackoffMs ?? 250,
            options.capBackoffMs ?? 10_000,
            options.random,
          ),
        );
      }
      await options.onProgress?.(report.done);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, items.length)) }, worker));
  return report;
}
