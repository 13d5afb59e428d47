// `perpguard advise hedge`: offsetting positions under all-isolated and all-cross margin (and hedge mode
// on one symbol), and what each leg's liquidation does to the others.
import type { Command } from 'commander';
import { hedgeAdvice } from '../advisor/hedge.ts';
import { InputError } from '../schema/input-error.ts';
import { amountText, FittedRows, wrapText } from './format.ts';
import { assetDecimals, grouped } from '../views/numbers.ts';
import { keyValueTable, readSnapshot, table } from './advise-input.ts';
import { out } from './io.ts';
import { hedgeJson } from '../views/hedge.ts';

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
