// The interleaved CPU-time timer of `npm run bench`. Benchmarks may read the clock; src/domain and
// src/exchanges may not, which is why this lives here.
//
// Why interleaved: timing each candidate in its own window one after another let a burst of load from
// another process land on one candidate and not the other, so the ratios swung from 26x to 76x on this
// shared machine. Here the candidates of one comparison take turns in short slices (SLICE_MS of CPU
// time each, many rounds, the order reversed every other round so a drift within a round favours no
// one); a ratio is computed round by round from slices taken milliseconds apart, and its median,
// minimum and maximum over the rounds are reported.
// Why CPU time (process.cpuUsage: user + system of this process): time spent descheduled while another
// process runs is not charged to the candidate; wall time would charge it.

export interface InterleaveOptions {
  /** CPU time given to each candidate before the rounds, so V8 has optimized the measured code. */
  readonly warmupMs: number;
  /** CPU time per slice; each slice runs whole batches, at least one call. */
  readonly sliceMs: number;
  readonly rounds: number;
}

export interface Candidate {
  readonly name: string;
  /** One call; returns a number derived from its results (folded into `sink`). */
  readonly run: () => number;
  /** Operations one call performs (solves, ticks...), so rates are per operation. */
  readonly opsPerCall: number;
}

/** Minimum, median and maximum over the rounds. */
export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

export interface CandidateTiming {
  readonly name: string;
  /** Operations per CPU second, one sample per round. */
  readonly opsPerCpuSecond: Spread;
  /** The samples themselves, in round order. */
  readonly ratesPerRound: readonly number[];
  readonly calls: number;
}

export interface InterleavedRun {
  readonly timings: readonly CandidateTiming[];
  /**
   * How many times more CPU time an operation of `candidate` costs than one of `baseline`, computed in
   * each round from the two slices of that round.
   */
  timeRatio(candidate: number, baseline: number): Spread;
}

/** A batch is grown in the warm-up until it takes this much CPU time, so reading the clock is noise. */
const BATCH_MIN_US = 1_000;
const US_PER_MS = 1_000;

/**
 * Where results go so the optimizer cannot drop the measured work: every call's return value is folded
 * into it and main.ts checks it is finite.
 */
export let sink = 0;

function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

export function spreadOf(samples: readonly number[]): Spread {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const median = n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  return { min: sorted[0]!, median, max: sorted[n - 1]! };
}

/** Times the candidates against each other in alternating slices of CPU time. */
export function interleave(candidates: readonly Candidate[], options: InterleaveOptions): InterleavedRun {
  const batches = candidates.map((c) => {
    let batch = 1;
    const warmupEnd = cpuMicros() + options.warmupMs * US_PER_MS;
    while (cpuMicros() < warmupEnd) {
      const start = cpuMicros();
      for (let i = 0; i < batch; i++) sink += c.run();
      if (cpuMicros() - start < BATCH_MIN_US) batch *= 2;
    }
    return batch;
  });
  const rates: number[][] = candidates.map(() => []);
  const calls = candidates.map(() => 0);
  const sliceUs = options.sliceMs * US_PER_MS;
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < candidates.length; k++) {
      const index = round % 2 === 0 ? k : candidates.length - 1 - k;
      const candidate = candidates[index]!;
      const batch = batches[index]!;
      let sliceCalls = 0;
      const start = cpuMicros();
      let now = start;
      do {
        for (let i = 0; i < batch; i++) sink += candidate.run();
        sliceCalls += batch;
        now = cpuMicros();
      } while (now - start < sliceUs);
      rates[index]!.push((sliceCalls * candidate.opsPerCall) / ((now - start) / 1e6));
      calls[index]! += sliceCalls;
    }
  }
  return {
    timings: candidates.map((c, i) => ({ name: c.name, opsPerCpuSecond: spreadOf(rates[i]!), ratesPerRound: rates[i]!, calls: calls[i]! })),
    timeRatio(candidate, baseline) {
      return spreadOf(rates[candidate]!.map((rate, round) => rates[baseline]![round]! / rate));
    },
  };
}
