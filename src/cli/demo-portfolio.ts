// `perpguard serve --demo --demo-portfolio`: the demo account opens the crash study's default portfolio
// (examples/crash-study.yaml, mixed mode: BTC long 40,000 notional at 20x in cross, ETH long 500 margin at 20x
// and SOL short 200 margin at 10x isolated) at the feed's first marks, sized as the simulator sizes it
// (src/sim/sizing.ts), through the venue's own door for a trader's commands (Venue.submit: validated,
// logged, durable). With the feed replaying a bundled crash (npm start: 2024-08-05), the trader watches the
// isolated ETH long liquidated while the cross BTC long survives, as the study says it would. An account that
// already holds positions is left as it is.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { parseFixed, type Money } from '../domain/fixed.ts';
import type { Command } from '../engine/commands.ts';
import { entryCommands } from '../sim/sizing.ts';
import { legsUnder, parseSpec } from '../sim/spec.ts';
import type { Venue } from '../server/venue/venue.ts';

export const DEMO_PORTFOLIO_SPEC = fileURLToPath(new URL('../../examples/crash-study.yaml', import.meta.url));

/** Opens the portfolio on the account; returns one line per leg opened (none if it held positions already). */
export async function openDemoPortfolio(venue: Venue, accountId: string, specFile = DEMO_PORTFOLIO_SPEC): Promise<string[]> {
  const spec = parseSpec(parseYaml(readFileSync(specFile, 'utf8')));
  const held = await venue.account(accountId);
  if (!held || Object.keys(held.users[accountId]?.positions ?? {}).length > 0) return [];
  const wallet = parseFixed<'Money'>(spec.wallet) as Money;
  const opened: string[] = [];
  const send = async (command: Command) => {
    const submitted = await venue.submit(accountId, command, () => null);
    if ('rejection' in submitted && submitted.rejection) throw new Error(`the demo portfolio's ${command.op} on ${'symbol' in command ? command.symbol : ''} was refused: ${submitted.rejection.message}`);
  };
  for (const leg of legsUnder(spec, 'mixed')) {
    if (leg.marginMode === 'isolated') await send({ op: 'setMarginMode', account: accountId, symbol: leg.symbol, mode: 'isolated' });
    await send({ op: 'setLeverage', account: accountId, symbol: leg.symbol, leverage: leg.leverage });
    const state = (await venue.account(accountId))!;
    const mark = state.marks[leg.symbol];
    if (!mark) throw new Error(`the feed has no ${leg.symbol} mark yet`);
    for (const command of entryCommands(state, leg, mark, wallet)) await send({ ...command, account: accountId } as Command);
    opened.push(`${leg.symbol} ${leg.side} ${leg.marginMode} ${leg.leverage}x`);
  }
  return opened;
}
