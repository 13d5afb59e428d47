// `perpguard advise funding`: the funding history's latest and average rates, what holding a position
// costs a year, and how many days of funding walk an isolated liquidation price toward the mark.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { divideBy, formatFixed, formatFixedTo, isPositive, parseFixed, times, zero, type Money, type Rate } from '../domain/fixed.ts';
import { fundingCost, fundingDrift, SETTLEMENTS_PER_DAY, WINDOWS, windowStats } from '../advisor/funding.ts';
import { profileOf } from '../exchanges/profiles.ts';
import { legNotional, type Leg } from '../exchanges/rules.ts';
import { InputError } from '../schema/input-error.ts';
import { bundled, loadFunding, type FundingSeries } from '../io/market-data.ts';
import { amountText, FittedRows, wrapText, type Column } from './format.ts';
import { assetDecimals, grouped } from '../views/numbers.ts';
import { exchangeFlag, feesFlag, marketFlag, positiveFlag, sideFlag, sizeOfNotional, wholeFlag } from './advise-input.ts';
import { out } from './io.ts';
import { fundingJson } from '../views/funding.ts';

interface Options {
  symbol: string;
  funding?: string;
  side: string;
  notional?: string;
  size?: string;
  entry?: string;
  leverage: string;
  margin?: string;
  exchange: string;
  lpMove?: string;
  perDay: string;
  json?: boolean;
}

const BUNDLED: Readonly<Record<string, string>> = {
  BTCUSDT: 'binance-futures-BTCUSDT-funding-8h.csv',
  ETHUSDT: 'binance-futures-ETHUSDT-funding-8h.csv',
};

export function registerFunding(advise: Command): void {
  advise
    .command('funding')
    .description('funding: latest and average rates (30 days, 1 year, all), the annual cost of a position, and the days of funding that move an isolated liquidation price')
    .option('--symbol <symbol>', `market (bundled history: ${Object.keys(BUNDLED).join(', ')})`, 'BTCUSDT')
    .option('--funding <file>', 'funding history CSV (timestamp_ms,funding_rate) instead of the bundled one')
    .option('--side <side>', 'long or short (longs pay when the rate is positive)', 'long')
    .option('--notional <amount>', 'position notional at the mark (default 10000 when --size is not given)')
    .option('--size <qty>', 'position size instead of --notional (needs --entry)')
    .option('--entry <price>', 'entry = mark price of the position: needed for the liquidation price')
    .option('--leverage <n>', 'leverage: isolated margin = initial margin', '10')
    .option('--margin <amount>', 'isolated margin instead of the initial margin')
    .option('--exchange <id>', 'venue of the position\'s margin rules', 'binance-usdm')
    .option('--lp-move <price>', 'the move of the liquidation price to time (default 1 % of the entry)')
    .option('--per-day <n>', 'funding settlements per day', String(SETTLEMENTS_PER_DAY))
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  perpguard advise funding --symbol BTCUSDT --side long --notional 50000 --entry 60000 --leverage 10\n  perpguard advise funding --symbol ETHUSDT --funding data/binance-futures-ETHUSDT-funding-8h.csv --side short\n')
    .action((options: Options) => {
      const series = loadSeries(options);
      const side = sideFlag('--side', options.side);
      const perDay = wholeFlag('--per-day', options.perDay);
      const exchange = exchangeFlag(options.exchange);
      const leverage = wholeFlag('--leverage', options.leverage);
      // flags that only matter with --entry are still checked without it: a typo is never silently ignored
      if (options.margin !== undefined) positiveFlag('--margin', options.margin);
      if (options.lpMove !== undefined) positiveFlag('--lp-move', options.lpMove);
      if (options.size !== undefined && options.notional !== undefined) throw new InputError('--size', 'give --size or --notional, not both');
      if (options.size !== undefined && options.entry === undefined) throw new InputError('--entry', 'is required with --size (the notional is size x entry)');
      let leg: Leg | undefined;
      let notional: Money;
      if (options.entry !== undefined) {
        const entry = positiveFlag<'Price'>('--entry', options.entry);
        const market = marketFlag(exchange, options.symbol);
        if (leverage > market.maxLeverage) throw new InputError('--leverage', `${leverage}x is above the ${market.maxLeverage}x maximum of ${market.symbol} on ${exchange}`);
        const size =
          options.size !== undefined
            ? positiveFlag<'Quantity'>('--size', options.size)
            : sizeOfNotional(positiveFlag<'Money'>('--notional', options.notional ?? '10000'), entry, market);
        if (!isPositive(size)) throw new InputError('--notional', `is below one step (${formatFixed(market.stepSize)}) of ${market.symbol}`);
        const draft: Leg = { symbol: market.symbol, positionSide: 'BOTH', side, size, entryPrice: entry, markPrice: entry, marginMode: 'isolated', leverage, isolatedWallet: zero(), market };
        const margin = options.margin !== undefined ? positiveFlag<'Money'>('--margin', options.margin) : profileOf(exchange).initialMargin(draft, entry);
        leg = { ...draft, isolatedWallet: margin };
        notional = legNotional(leg, entry);
      } else {
        notional = positiveFlag<'Money'>('--notional', options.notional ?? '10000');
      }
      const move = leg === undefined ? undefined : options.lpMove !== undefined ? positiveFlag<'Price'>('--lp-move', options.lpMove) : divideBy(leg.entryPrice, 100, 'halfEven');
      const fees = feesFlag(exchange, undefined);
      const rows = WINDOWS.map((w) => {
        const stats = windowStats(series, w);
        const cost = fundingCost(notional, side, stats.average, perDay);
        const drift = leg && move ? fundingDrift(profileOf(exchange), leg, fees, stats.average, move, perDay) : undefined;
        return { stats, cost, drift };
      });
      const json = fundingJson(series, side, notional, leg, move, rows, perDay);
      out(options.json ? JSON.stringify(json, null, 2) + '\n' : renderFunding(json));
    });
}

function loadSeries(options: Options): FundingSeries {
  if (options.funding !== undefined) {
    if (!existsSync(options.funding)) throw new InputError('--funding', `cannot read ${options.funding}: no such file`);
    return loadFunding(options.funding, options.symbol);
  }
  const file = Object.hasOwn(BUNDLED, options.symbol) ? BUNDLED[options.symbol] : undefined; // --symbol constructor is data
  if (file === undefined) throw new InputError('--symbol', `no bundled funding history for ${options.symbol} (${Object.keys(BUNDLED).join(', ')}): give --funding FILE`);
  return loadFunding(bundled(file), options.symbol);
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
const pct = (r: Rate, decimals: number): string => formatFixedTo(times(r, 100), decimals, 'halfEven');

type FundingJson = ReturnType<typeof fundingJson>;

const trim = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
const amt = (s: string): string => grouped(trim(s.includes('.') ? s.slice(0, s.indexOf('.') + 3) : s));

export function renderFunding(j: FundingJson): string {
  const p = j.position;
  const amt = (s: string): string => amountText(s, assetDecimals(p.settleAsset ?? 'USDT'), 'down');
  const out: string[] = [`Funding of ${j.symbol} (${j.source}, ${j.settlementsPerDay} settlements a day; positive: longs pay shorts)`];
  const head: Column[] = [
    { head: 'window', wrap: true, minWidth: 8 },
    { head: 'from', wrap: true, minWidth: 10 },
    { head: 'settle-\nments' },
    { head: 'avg\nrate' },
    { head: 'annua-\nlized', dropRank: 2 },
    { head: 'longs\npaid', dropRank: 1 },
    { head: `${p.side} pays\n/ day` },
    { head: `${p.side} pays\n/ year`, dropRank: 3 },
  ];
  if (p.entryPrice !== null) head.push({ head: `days: liq.\nprice +${grouped(trim(p.liquidationPriceMove ?? ''))}`, wrap: true, minWidth: 8 }, { head: 'days to\nliq.' });
  const t = new FittedRows(head, { compact: true });
  for (const w of j.windows) {
    const row = [
      w.title,
      day(Date.parse(w.from)),
      String(w.settlements),
      `${trim(pct(parseRate(w.averageRate), 4))} %`,
      `${trim(w.annualizedRatePct.slice(0, w.annualizedRatePct.indexOf('.') + 3))} %`,
      `${trim(pct(parseRate(w.positiveShare), 1))} %`,
      amt(w.costPerDay),
      amt(w.costPerYear),
    ];
    if (p.entryPrice !== null) {
      const d = w.drift;
      row.push(d === null || d.days === null ? 'never (received)' : `${trim(d.days.slice(0, d.days.indexOf('.') + 3))} (${d.settlements} settl.)`);
      row.push(d === null || d.daysToLiquidation === null ? 'never (received)' : `${trim(d.daysToLiquidation.slice(0, d.daysToLiquidation.indexOf('.') + 2))}`);
    }
    t.push(row);
  }
  out.push(t.toString());
  out.push(`Position: ${p.side}, notional ${amt(p.notional)}${p.entryPrice !== null ? ` at ${grouped(p.entryPrice)} (size ${p.size}), ${p.leverage}x isolated with margin ${amt(p.isolatedMargin ?? '0')} ${p.settleAsset}` : ''}.`);
  const lp = j.windows[0]?.drift?.liquidationPriceTick;
  if (p.entryPrice !== null) {
    out.push(
      `Isolated liquidation price now: ${lp ? grouped(trim(lp)) : 'none'}. Funding is paid out of the isolated margin, so at each window's average rate the liquidation price walks toward the mark; the price is held at the entry.`,
    );
  } else out.push('Give --entry (and --leverage or --margin) to see how funding moves the isolated liquidation price.');
  out.push('Windows end at the last settlement in the history, not today.');
  return wrapText(out.join('\n')) + '\n';
}

const parseRate = (s: string): Rate => parseFixed<'Rate'>(s);
