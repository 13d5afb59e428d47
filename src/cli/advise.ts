// `perpguard advise <topic>`: the advisor's commands. Each topic registers itself from its own file.
import type { Command } from 'commander';
// advise-imports (one line per topic file, keep sorted)
import { registerChasing } from './advise-chasing.ts';
import { registerFunding } from './advise-funding.ts';
import { registerHedge } from './advise-hedge.ts';
import { registerLeverage } from './advise-leverage.ts';
import { registerLiquidation } from './advise-liquidation.ts';
import { registerMode } from './advise-mode.ts';
import { registerSize } from './advise-size.ts';

export function registerAdvise(program: Command): void {
  const advise = program
    .command('advise')
    .description('liquidation, position size, leverage against volatility, margin mode, margin chasing, hedges and funding: numbers behind the rules of thumb');
  // advise-registrations (one line per topic, keep sorted)
  registerChasing(advise);
  registerFunding(advise);
  registerHedge(advise);
  registerLeverage(advise);
  registerLiquidation(advise);
  registerMode(advise);
  registerSize(advise);
  void advise;
}
