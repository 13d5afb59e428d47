// A small throughput timer for `npm run bench`. Benchmarks may read the clock; src/domain and
// src/exchanges may not, which is why this lives here.
//
// Method: warm up (so V8 has optimized the code being measured), pick a batch size whose run takes at
// least BATCH_MIN_NS (so reading the clock is noise), then take several samples and report the median
// rate; the median resists the odd GC pause or scheduler hiccup better than the mean.

export interface TimingOptions {
  readonly warmupMs: number;
  readonly sampleMs: number;
  readonly samples: number;
}

export interface Throughput {
  /** Median over the samples of operations per second. */
  readonly opsPerSecond: number;
  readonly minOpsPerSecond: number;
  readonly maxOpsPerSecond: number;
  readonly calls: number;
}

const NS_PER_MS = 1_000_000n;
const BATCH_MIN_NS = 2_000_000n;

/**
 * Where results go so the optimizer cannot drop the measured work: every call's return value is folded
 * into it and main.ts prints nothing from it but checks it is finite.
 */
export let sink = 0;

/**
 * Calls `run` repeatedly; each call performs `opsPerCall` operations (solves) and returns a number
 * derived from its results.
 */
export function measureThroughput(run: () => number, opsPerCall: number, options: TimingOptions): Throughput {
  const warmupEnd = process.hrtime.bigint() + BigInt(options.warmupMs) * NS_PER_MS;
  let batch = 1;
  while (process.hrtime.bigint() < warmupEnd) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) sink += run();
    if (process.hrtime.bigint() - start < BATCH_MIN_NS) batch *= 2;
  }
  const rates: number[] = [];
  let calls = 0;
  for (let s = 0; s < options.samples; s++) {
    const start = process.hrtime.bigint();
    const end = start + BigInt(options.sampleMs) * NS_PER_MS;
    let sampleCalls = 0;
    let now = start;
    do {
      for (let i = 0; i < batch; i++) sink += run();
      sampleCalls += batch;
      now = process.hrtime.bigint();
    } while (now < end);
    const seconds = Number(now - start) / 1e9;
    rates.push((sampleCalls * opsPerCall) / seconds);
    calls += sampleCalls;
  }
  rates.sort((a, b) => a - b);
  return {
    opsPerSecond: rates[Math.floor(rates.length / 2)]!,
    minOpsPerSecond: rates[0]!,
    maxOpsPerSecond: rates[rates.length - 1]!,
    calls,
  };
}
