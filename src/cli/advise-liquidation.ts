// `perpguard advise liquidation`: the isolated liquidation price of a position next to its cross one, how
// the cross price moves with the other positions and the wallet, and the account's blast radius.
import type { Command } from 'commander';
import { add, formatFixed, formatFixedTo, fromInt, isZero, lt, ratio, scale, sub, times, type Money, type Price, type Rate } from '../domain/fixed.ts';
import {
  DEFAULT_OTHER_MOVES,
  DEFAULT_WALLET_CHANGES,
  liquidationAdvice,
  type LiquidationAdvice,
  type SensitivityRow,
  type UniformMove,
} from '../advisor/liquidation.ts';
import { legNotional, type Leg } from '../exchanges/rules.ts';
import { amountText, assetDecimals, grouped, money, priceToTick, priceTowardMark, wrapText } from './format.ts';
import { percentListFlag, plannedSnapshot, readSnapshot, selectLeg, table, type PlannedFlags } from './advise-input.ts';
import { out } from './io.ts';

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

const pct4 = (r: Rate | undefined): string | null => (r === undefined ? null : formatFixedTo(times(r, 100), 4, 'down'));

/** A liquidation price for JSON: to 8 decimals and to the tick toward the mark, and its distance from the mark. */
export function priceJson(p: Price | undefined, mark: Price, tick: Price, side: 1 | -1) {
  return {
    liquidationPrice: p === undefined ? null : priceTowardMark(p, mark),
    liquidationPriceTick: p === undefined ? null : priceToTick(p, mark, tick),
    distancePct: p === undefined ? null : pct4(safeDistance(p, mark, side)),
  };
}

/** (mark - LP) / mark for a long, (LP - mark) / mark for a short: positive while the position is safe. */
export function safeDistance(p: Price, mark: Price, side: 1 | -1): Rate {
  return ratio(side === 1 ? sub(mark, p) : sub(p, mark), mark, 'down');
}

function uniformJson(u: UniformMove) {
  return {
    movePct: u.move === undefined ? null : formatFixedTo(times(u.move, 100), 8, 'down'),
    exact: u.exact,
    marginBalanceNow: money(u.marginBalanceNow, 'floor'),
    marginBalanceAtMove: u.marginBalanceAt === undefined ? null : money(u.marginBalanceAt, 'floor'),
    maintenanceMarginAtMove: u.maintenanceAt === undefined ? null : money(u.maintenanceAt, 'ceil'),
    lossFromMove: u.lossFromMove === undefined ? null : money(u.lossFromMove, 'ceil'),
    equityLost: u.equityLost === undefined ? null : money(u.equityLost, 'ceil'),
    isolatedOnTheWay: u.isolatedOnTheWay.map((x) => ({ symbol: x.symbol, movePct: pct4(x.move), margin: money(x.margin) })),
  };
}

/**
 * The side a cross liquidation price is approached from. A one-way leg's own side; but in hedge mode the
 * LONG and SHORT legs of a symbol share one cross price, on the side of their net position, so it is read
 * from where the price lies (beyond it only when the account is liquidatable now). Without this a safe
 * SHORT leg of a net-long symbol showed its distance as negative, as if already past.
 */
function crossSide(leg: Leg, p: Price | undefined, liquidatableNow: boolean): 1 | -1 {
  if (leg.positionSide === 'BOTH' || p === undefined) return leg.side;
  const below: 1 | -1 = lt(p, leg.markPrice) ? 1 : -1;
  return liquidatableNow ? (below === 1 ? -1 : 1) : below;
}

export function liquidationJson(a: LiquidationAdvice) {
  const leg = a.leg;
  const mark = leg.markPrice;
  const tick = leg.market.tickSize;
  const sensitivity = (rows: readonly SensitivityRow[], wallet?: Money) =>
    rows.map((r) => ({
      changePct: formatFixedTo(times(r.change, 100), 4, 'halfEven'),
      ...(wallet !== undefined ? { wallet: money(scale(wallet, add(fromInt(1), r.change), 'floor'), 'floor') } : {}),
      ...priceJson(r.liquidationPrice, mark, tick, crossSide(leg, r.liquidationPrice, r.liquidatableNow)),
      liquidatableNow: r.liquidatableNow,
    }));
  return {
    position: {
      index: a.index,
      symbol: leg.symbol,
      side: leg.side === 1 ? 'long' : 'short',
      positionSide: leg.positionSide,
      size: formatFixed(leg.size),
      entryPrice: formatFixed(leg.entryPrice),
      markPrice: formatFixed(mark),
      leverage: leg.leverage,
      notional: money(legNotional(leg, mark)),
      settleAsset: leg.market.settleAsset,
    },
    isolated: {
      margin: money(a.isolated.margin, 'ceil'),
      ...priceJson(a.isolated.liquidationPrice, mark, tick, leg.side),
      bankruptcyPrice: a.isolated.bankruptcyPrice === undefined ? null : priceTowardMark(a.isolated.bankruptcyPrice, mark),
    },
    assigned: a.assigned === undefined ? null : { margin: money(a.assigned.margin), ...priceJson(a.assigned.liquidationPrice, mark, tick, leg.side) },
    cross: {
      wallet: money(a.cross.wallet),
      ...priceJson(a.cross.liquidationPrice, mark, tick, crossSide(leg, a.cross.liquidationPrice, a.otherMoves.find((r) => isZero(r.change))?.liquidatableNow ?? false)),
      bankruptcyPrice: a.cross.bankruptcyPrice === undefined ? null : priceTowardMark(a.cross.bankruptcyPrice, mark),
      otherCrossPositions: a.cross.otherCrossLegs,
    },
    otherMoves: sensitivity(a.otherMoves),
    walletChanges: sensitivity(a.walletChanges, a.cross.wallet),
    blastRadius: {
      adverse: a.blastRadius.adverse,
      netNotional: money(a.blastRadius.netNotional),
      down: uniformJson(a.blastRadius.down),
      up: uniformJson(a.blastRadius.up),
    },
  };
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
