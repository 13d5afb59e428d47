// `perpguard advise liquidation`: the isolated liquidation price of a position next to its cross one, how
// the cross price moves with the other positions and the wallet, and the account's blast radius.
import type { Command } from 'commander';
import { DEFAULT_OTHER_MOVES, DEFAULT_WALLET_CHANGES, liquidationAdvice, type LiquidationAdvice } from '../advisor/liquidation.ts';
import { amountText, wrapText } from './format.ts';
import { assetDecimals, grouped } from '../views/numbers.ts';
import { percentListFlag, plannedSnapshot, readSnapshot, selectLeg, table, type PlannedFlags } from './advise-input.ts';
import { out } from './io.ts';
import { liquidationJson } from '../views/liquidation.ts';

interface Options extends PlannedFlags {
  index?: string;
  moves: string;
  walletChanges: string;
  json?: boolean;
}

export function registerLiquidation(advise: Command): void {
  advise
    .command('liquidation')
    .description('isolated vs cross liquidation price of a position, how the cross one moves with the other positions and the wallet, and the blast radius of the cross account')
    .argument('[file]', 'account snapshot JSON (as perpguard calc reads it), or - for stdin; omit for a planned position given by flags')
    .option('--index <n>', 'which position of the snapshot (0-based)')
    .option('--symbol <symbol>', 'the position by symbol (snapshot), or the planned position\'s market')
    .option('--side <side>', 'long or short (planned position; in a hedge-mode snapshot, which leg)')
    .option('--exchange <id>', 'planned position: the venue', 'binance-usdm')
    .option('--entry <price>', 'planned position: entry price')
    .option('--mark <price>', 'planned position: mark price (default the entry)')
    .option('--size <qty>', 'planned position: size (base quantity or contracts)')
    .option('--notional <amount>', 'planned position: notional at entry instead of --size (rounded down to the step)')
    .option('--leverage <n>', 'planned position: leverage')
    .option('--wallet <amount>', 'planned position: the cross wallet balance')
    .option('--moves <percents>', 'moves of the other positions\' marks, in %', DEFAULT_OTHER_MOVES.join(','))
    .option('--wallet-changes <percents>', 'changes of the cross wallet, in %', DEFAULT_WALLET_CHANGES.join(','))
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `\nExamples:\n  perpguard advise liquidation examples/account-cross-three.json --symbol BTCUSDT\n  perpguard advise liquidation --symbol BTCUSDT --side long --entry 50000 --size 0.02 --leverage 10 --wallet 1000\n`,
    )
    .action((file: string | undefined, options: Options) => {
      const otherMoves = percentListFlag('--moves', options.moves);
      const walletChanges = percentListFlag('--wallet-changes', options.walletChanges);
      let account;
      let index: number;
      if (file !== undefined) {
        account = readSnapshot(file);
        index = selectLeg(account, options.index, options.symbol, options.side);
      } else {
        account = plannedSnapshot(options);
        index = 0;
      }
      const advice = liquidationAdvice(account, index, { otherMoves, walletChanges });
      const json = liquidationJson(advice);
      out(options.json ? JSON.stringify(json, null, 2) + '\n' : renderLiquidation(advice, json));
    });
}

type LiquidationJson = ReturnType<typeof liquidationJson>;

const trim = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
const amount = (s: string | null): string => (s === null ? '—' : grouped(trim(s.slice(0, s.indexOf('.') + 3))));
const lp = (p: { liquidationPriceTick: string | null }): string => (p.liquidationPriceTick === null ? 'none' : grouped(p.liquidationPriceTick));
const dist = (p: { distancePct: string | null }): string => (p.distancePct === null ? '—' : `${trim(p.distancePct.slice(0, p.distancePct.indexOf('.') + 3))} %`);
const signed = (s: string): string => `${s.startsWith('-') ? '' : s === '0' || /^0(\.0+)?$/.test(s) ? '' : '+'}${trim(s)} %`;

export function renderLiquidation(a: LiquidationAdvice, j: LiquidationJson): string {
  const asset = j.position.settleAsset;
  // amounts at the asset's precision: a coin-margined account's margins are fractions of a coin
  const amount = (s: string | null): string => amountText(s, assetDecimals(asset), 'down');
  const p = j.position;
  const out: string[] = [];
  out.push(`${p.symbol} ${p.side}${p.positionSide === 'BOTH' ? '' : ` (${p.positionSide})`} ${p.size} @ ${grouped(p.entryPrice)}, mark ${grouped(p.markPrice)}, ${p.leverage}x, notional ${amount(p.notional)} ${asset}`);
  const main = table(['margin mode', `margin ${asset}`, 'liq. price', 'to liq.', 'moves when']);
  main.push(['isolated (margin = IM at entry)', amount(j.isolated.margin), lp(j.isolated), dist(j.isolated), 'margin is added or removed']);
  if (j.assigned) main.push(['isolated, as assigned', amount(j.assigned.margin), lp(j.assigned), dist(j.assigned), 'margin is added or removed']);
  main.push([`cross (wallet ${amount(j.cross.wallet)})`, 'whole wallet', lp(j.cross), dist(j.cross), 'any other position or the wallet moves']);
  out.push(main.toString());
  if (p.positionSide !== 'BOTH') out.push(`hedge: ${p.symbol}'s LONG and SHORT legs share one cross liquidation price, set by their net position.`);
  const others = a.cross.otherCrossLegs;
  out.push('', `Cross liquidation price when the other positions' marks move (${others} other cross position${others === 1 ? '' : 's'})`);
  const moves = table(['other marks', 'liq. price', 'to liq.', 'account']);
  for (const r of j.otherMoves) moves.push([signed(r.changePct), lp(r), dist(r), r.liquidatableNow ? 'LIQUIDATED' : 'ok']);
  out.push(moves.toString());
  if (others === 0) out.push('(no other cross position: the price does not depend on other marks)');
  out.push('', 'Cross liquidation price when the cross wallet changes');
  const wallet = table(['wallet change', `wallet ${asset}`, 'liq. price', 'to liq.', 'account']);
  for (const r of j.walletChanges) wallet.push([signed(r.changePct), amount(r.wallet ?? null), lp(r), dist(r), r.liquidatableNow ? 'LIQUIDATED' : 'ok']);
  out.push(wallet.toString());
  out.push('', `Blast radius: every mark moving by the same % until the cross account is liquidated (net ${a.blastRadius.adverse === 'down' ? 'long: down is adverse' : 'short: up is adverse'})`);
  const blast = table(['direction', 'move', `margin balance now`, 'at the move', 'lost to the move', 'cross equity lost', 'isolated liquidated on the way']);
  for (const [name, u] of [['down', j.blastRadius.down], ['up', j.blastRadius.up]] as const) {
    blast.push([
      name + (a.blastRadius.adverse === name ? ' (adverse)' : ''),
      u.movePct === null ? 'none' : `${trim(u.movePct.slice(0, u.movePct.indexOf('.') + 3))} %`,
      amount(u.marginBalanceNow),
      amount(u.marginBalanceAtMove),
      amount(u.lossFromMove),
      amount(u.equityLost),
      u.isolatedOnTheWay.map((x) => `${x.symbol} at ${trim(x.movePct ?? '')} %`).join(', ') || '—',
    ]);
  }
  out.push(blast.toString());
  out.push(
    'The isolated price is static until margin is added; the cross price assumes the other positions stay at their marks and moves with them.',
    'A cross liquidation closes every cross position: the margin balance left at the trigger goes with it.',
  );
  if (a.blastRadius.down.exact === false) out.push('The blast radius is found by bisection on the exact liquidation test (to 1e-12 of the move).');
  return wrapText(out.join('\n')) + '\n';
}
