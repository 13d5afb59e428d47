// The Monte Carlo shape the bench times (the target): 720 hourly steps of BTC/ETH/SOL bootstrapped
// from the bundled history in 24 h blocks, a crash injected with probability 0.2.
import type { PathOptions } from '../src/sim/generators.ts';

export const TARGET_OPTIONS: PathOptions = { generator: 'bootstrap', hours: 720, blockHours: 24, crashProbability: 0.2, ticks: [0.1, 0.01, 0.01], startMs: Date.UTC(2026, 0, 21) };
