// `perpguard advise hedge`: offsetting positions under all-isolated and all-cross margin (and hedge mode
// on one symbol), and what each leg's liquidation does to the others.
import type { Command } from 'commander';
import { formatFixed, formatFixedTo, times, type Price, type Rate } from '../domain/fixed.ts';
import { hedgeAdvice, type HedgeAdvice } from '../advisor/hedge.ts';
import type { UniformMove } from '../advisor/liquidation.ts';
import { InputError } from '../schema/input-error.ts';
import { amountText, assetDecimals, FittedRows, grouped, money, priceToTick, priceTowardMark, wrapText } from './format.ts';
import { keyValueTable, readSnapshot, table } from './advise-input.ts';
import { out } from './io.ts';

export function registerHedge(advise: Command): void {
  advise
    .command('hedge')
    .description('offsetting positions: margin in cross vs isolated (and hedge mode), each leg\'s isolated and cross liquidation price, and which legs go when one is liquidated')
    .argument('[file]', 'account snapshot JSON (as perpguard calc reads it), or - for stdin', '-')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  perpguard advise hedge examples/account-cross-three.json\n')
    .action((file: string, options: { json?: boolean }) => {
      const account = readSnapshot(file);
      if (account.legs.length < 2) throw new InputError('positions', `a hedge needs at least two positions, the snapshot has ${account.legs.length}`);
      const advice = hedgeAdvice(account);
      const json = hedgeJson(advice);
      out(options.json ? JSON.stringify(json, null, 2) + '\n' : renderHedge(json));
    });
}

const pct = (r: Rate | undefined): string | null => (r === undefined ? null : formatFixedTo(times(r, 100), 4, 'down'));
const px = (p: Price | undefined, mark: Price): string | null => (p === undefined ? null : priceTowardMark(p, mark));
const tick = (p: Price | undefined, mark: Price, step: Price): string | null => (p === undefined ? null : priceToTick(p, mark, step));

function uniform(u: UniformMove) {
  return {
    movePct: u.move === undefined ? null : formatFixedTo(times(u.move, 100), 8, 'down'),
    marginBalanceAtMove: u.marginBalanceAt === undefined ? null : money(u.marginBalanceAt, 'floor'),
    equityLost: u.equityLost === undefined ? null : money(u.equityLost, 'ceil'),
    isolatedOnTheWay: u.isolatedOnTheWay.map((x) => x.symbol),
  };
}

export function hedgeJson(a: HedgeAdvice) {
  return {
    settleAsset: a.settleAsset,
    totalWallet: money(a.totalWallet),
    positions: a.legs.map((l) => {
      const mark = l.leg.markPrice;
      const step = l.leg.market.tickSize;
      const d = l.domino;
      return {
        index: l.index,
        label: l.label,
        symbol: l.leg.symbol,
        side: l.leg.side === 1 ? 'long' : 'short',
        positionSide: l.leg.positionSide,
        size: formatFixed(l.leg.size),
        entryPrice: formatFixed(l.leg.entryPrice),
        markPrice: formatFixed(mark),
        leverage: l.leg.leverage,
        notional: money(l.notional),
        initialMargin: money(l.initialMargin, 'ceil'),
        maintenanceMargin: money(l.maintenanceMargin, 'ceil'),
        unrealizedPnl: money(l.unrealizedPnl, 'floor'),
        isolated: {
          margin: money(l.isolated.margin, 'ceil'),
          liquidationPrice: px(l.isolated.liquidationPrice, mark),
          liquidationPriceTick: tick(l.isolated.liquidationPrice, mark, step),
          movePct: pct(l.isolated.move),
        },
        cross: {
          liquidationPrice: px(l.cross.liquidationPrice, mark),
          liquidationPriceTick: tick(l.cross.liquidationPrice, mark, step),
          movePct: pct(l.cross.move),
        },
        domino: {
          closedAtCrossLiquidation: d.closedAtCrossLiquidation,
          isolatedLossPrice: px(d.isolatedLossPrice, mark),
          crossFirst: d.crossFirst,
          afterLoss:
            d.afterLoss === undefined
              ? null
              : {
                  realizedPnl: money(d.afterLoss.realizedPnl, 'floor'),
                  wallet: money(d.afterLoss.wallet, 'floor'),
                  marginBalance: money(d.afterLoss.marginBalance, 'floor'),
                  maintenanceMargin: money(d.afterLoss.maintenanceMargin, 'ceil'),
                  liquidatable: d.afterLoss.liquidatable,
                  others: d.afterLoss.others.map((o) => {
                    const other = a.legs[o.index]!.leg;
                    return {
                      label: o.label,
                      liquidationPriceBefore: px(o.liquidationPriceBefore, other.markPrice),
                      liquidationPriceBeforeTick: tick(o.liquidationPriceBefore, other.markPrice, other.market.tickSize),
                      liquidationPriceAfter: px(o.liquidationPriceAfter, other.markPrice),
                      liquidationPriceAfterTick: tick(o.liquidationPriceAfter, other.markPrice, other.market.tickSize),
                    };
                  }),
                },
          goesWith: d.goesWith,
        },
      };
    }),
    isolated: {
      initialMargin: money(a.isolated.initialMargin, 'ceil'),
      assignedMargin: money(a.isolated.assignedMargin, 'ceil'),
      maintenanceMargin: money(a.isolated.maintenanceMargin, 'ceil'),
      marginBalance: money(a.isolated.marginBalance, 'floor'),
      freeWallet: money(a.isolated.freeWallet, 'floor'),
      firstLiquidationDown: { movePct: pct(a.isolated.down.move), legs: a.isolated.down.legs },
      firstLiquidationUp: { movePct: pct(a.isolated.up.move), legs: a.isolated.up.legs },
    },
    cross: {
      initialMargin: money(a.cross.initialMargin, 'ceil'),
      maintenanceMargin: money(a.cross.maintenanceMargin, 'ceil'),
      marginBalance: money(a.cross.marginBalance, 'floor'),
      unrealizedPnl: money(a.cross.unrealizedPnl, 'floor'),
      marginRatio: a.cross.marginRatio === undefined ? null : formatFixedTo(a.cross.marginRatio, 8, 'ceil'),
      availableBalance: money(a.cross.availableBalance, 'floor'),
      blastRadius: { adverse: a.cross.blastRadius.adverse, down: uniform(a.cross.blastRadius.down), up: uniform(a.cross.blastRadius.up) },
    },
    hedgeModePairs: a.pairs.map((p) => {
      const mark = a.legs.find((l) => l.leg.symbol === p.symbol)!.leg.markPrice;
      return {
        symbol: p.symbol,
        initialMargin: money(p.initialMargin, 'ceil'),
        maintenanceMargin: money(p.maintenanceMargin, 'ceil'),
        crossLiquidationPrice: px(p.crossLiquidationPrice, mark),
        crossLiquidationPriceTick: tick(p.crossLiquidationPrice, mark, a.legs.find((l) => l.leg.symbol === p.symbol)!.leg.market.tickSize),
        oneWayNet:
          p.net === undefined
            ? null
            : { side: p.net.side === 1 ? 'long' : 'short', size: formatFixed(p.net.size), initialMargin: money(p.net.initialMargin, 'ceil'), maintenanceMargin: money(p.net.maintenanceMargin, 'ceil') },
      };
    }),
    warnings: a.warnings,
  };
}

type HedgeJson = ReturnType<typeof hedgeJson>;

const trim = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
const amt = (s: string | null): string => (s === null ? '—' : grouped(trim(s.includes('.') ? s.slice(0, s.indexOf('.') + 3) : s)));
const prc = (s: string | null): string => (s === null ? 'none' : grouped(trim(s)));
const mv = (s: string | null): string => (s === null ? '—' : `${grouped(trim(s.includes('.') ? s.slice(0, s.indexOf('.') + 3) : s))} %`);

export function renderHedge(j: HedgeJson): string {
  const a = j.settleAsset;
  // amounts at the asset's precision: a coin-margined account's margins are fractions of a coin
  const amt = (s: string | null): string => amountText(s, assetDecimals(a), 'down');
  const out: string[] = [`${j.positions.length} positions, total wallet ${amt(j.totalWallet)} ${a} (cross wallet + isolated wallets)`];
  const legs = new FittedRows(
    [
      { head: 'position', wrap: true, minWidth: 7 },
      { head: 'size' },
      { head: 'mark' },
      { head: 'notional', dropRank: 2 },
      { head: 'IM', dropRank: 3 },
      { head: 'MM', dropRank: 1 },
      { head: 'uPnL' },
      { head: 'isolated\nmargin' },
      { head: 'isolated\nliq. (move)' },
      { head: 'cross\nliq. (move)' },
    ],
    { compact: true },
  );
  for (const p of j.positions) {
    legs.push([
      p.label,
      p.size,
      grouped(p.markPrice),
      amt(p.notional),
      amt(p.initialMargin),
      amt(p.maintenanceMargin),
      amt(p.unrealizedPnl),
      amt(p.isolated.margin),
      `${prc(p.isolated.liquidationPriceTick)} (${mv(p.isolated.movePct)})`,
      `${prc(p.cross.liquidationPriceTick)} (${mv(p.cross.movePct)})`,
    ]);
  }
  out.push(legs.toString(), '', `Margin each way (${a})`);
  const firstIso = (f: { movePct: string | null; legs: readonly string[] }) => (f.movePct === null ? 'none' : `${mv(f.movePct)} (${f.legs.join(', ')})`);
  const blast = (u: { movePct: string | null }) => (u.movePct === null ? 'none' : `${mv(u.movePct)} (the whole account)`);
  const modes = table(['', 'all isolated', 'all cross']);
  modes.push(
    ['initial margin at the marks', amt(j.isolated.initialMargin), amt(j.cross.initialMargin)],
    ['maintenance margin', amt(j.isolated.maintenanceMargin), amt(j.cross.maintenanceMargin)],
    ['margin at risk', `${amt(j.isolated.assignedMargin)} (IM at entry, per leg)`, `${amt(j.totalWallet)} (the whole wallet)`],
    ['margin balance', `${amt(j.isolated.marginBalance)} (+${amt(j.isolated.freeWallet)} outside)`, amt(j.cross.marginBalance)],
    ['losses offset', 'no: each leg alone', 'yes: one balance'],
    ['first liquidation, all marks down', firstIso(j.isolated.firstLiquidationDown), blast(j.cross.blastRadius.down)],
    ['first liquidation, all marks up', firstIso(j.isolated.firstLiquidationUp), blast(j.cross.blastRadius.up)],
  );
  out.push(modes.toString());
  if (j.hedgeModePairs.length > 0) {
    out.push('', 'Hedge mode (LONG and SHORT legs of one symbol)');
    const pairs = table(['symbol', 'IM both legs', 'MM both legs', 'shared cross liq.', 'one-way net position', 'its IM', 'its MM']);
    for (const p of j.hedgeModePairs) {
      pairs.push([
        p.symbol,
        amt(p.initialMargin),
        amt(p.maintenanceMargin),
        prc(p.crossLiquidationPriceTick),
        p.oneWayNet === null ? 'flat' : `${p.oneWayNet.side} ${p.oneWayNet.size}`,
        p.oneWayNet === null ? '0' : amt(p.oneWayNet.initialMargin),
        p.oneWayNet === null ? '0' : amt(p.oneWayNet.maintenanceMargin),
      ]);
    }
    out.push(pairs.toString());
  }
  out.push('', 'The domino (all cross): what each leg\'s liquidation does to the others');
  for (const p of j.positions) {
    const d = p.domino;
    const others = d.closedAtCrossLiquidation.join(', ') || 'nothing else';
    const rows: [string, string][] = [
      p.cross.liquidationPriceTick === null
        ? ['cross liq. price', 'none: this symbol alone cannot liquidate the cross account']
        : [`at its cross liq. price ${prc(p.cross.liquidationPriceTick)}`, `the cross account is liquidated, closed with it: ${others}`],
      ['it has lost its isolated margin at', prc(d.isolatedLossPrice)],
    ];
    if (d.crossFirst) rows.push(['before that', `the cross account is liquidated; with it: ${d.goesWith.join(', ') || 'nothing else'}`]);
    else if (d.afterLoss) {
      const after = d.afterLoss;
      rows.push([
        'closed there, the rest',
        `margin balance ${amt(after.marginBalance)}, maintenance ${amt(after.maintenanceMargin)}: ${after.liquidatable ? 'LIQUIDATED' : 'survives'}`,
      ]);
      for (const o of after.others) rows.push([`  ${o.label} cross liq.`, `${prc(o.liquidationPriceBeforeTick)} -> ${prc(o.liquidationPriceAfterTick)}`]);
      rows.push(['goes with it', d.goesWith.join(', ') || 'nothing']);
    }
    out.push(`${p.label}`, keyValueTable(rows));
  }
  out.push(
    'Isolated: each leg holds its initial margin at entry; cross: the whole wallet backs every leg. Moves are of every mark by the same %.',
    ...j.warnings.map((w) => `warning: ${w}`),
  );
  return wrapText(out.join('\n')) + '\n';
}
