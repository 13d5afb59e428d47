// `perpguard advise size`: the position size for a risk budget, the leverage it needs, the isolated margin
// to assign, and whether the stop comes before the liquidation price.
import type { Command } from 'commander';
import { formatFixedTo, fromInt, gt, isNegative, isPositive, lt, parseFixed, type Rate } from '../domain/fixed.ts';
import { sizePosition } from '../advisor/sizing.ts';
import { InputError } from '../schema/input-error.ts';
import { grouped } from '../views/numbers.ts';
import { wrapText } from './format.ts';
import { exchangeFlag, feesFlag, keyValueTable, marketFlag, percentFlag, positiveFlag, sideFlag, wholeFlag } from './advise-input.ts';
import { out } from './io.ts';
import { sizeJson } from '../views/sizing.ts';

interface Options {
  portfolio?: string;
  risk: string;
  entry?: string;
  stop?: string;
  side?: string;
  symbol: string;
  exchange: string;
  leverage?: string;
  margin?: string;
  taker?: string;
  buffer: string;
  json?: boolean;
}

export function registerSize(advise: Command): void {
  advise
    .command('size')
    .description('position size from portfolio value, risk % and stop: quantity, notional, minimum leverage, isolated margin, and the stop against the liquidation price')
    .option('--portfolio <amount>', 'portfolio value in the settlement asset (required)')
    .option('--risk <percent>', 'risk per trade, % of the portfolio lost at the stop (fees included)', '2')
    .option('--entry <price>', 'entry price (required)')
    .option('--stop <price>', 'stop-loss price (required)')
    .option('--side <side>', 'long or short (default: from the stop: below the entry is a long)')
    .option('--symbol <symbol>', 'market', 'BTCUSDT')
    .option('--exchange <id>', 'venue', 'binance-usdm')
    .option('--leverage <n>', 'leverage to use (default: the minimum leverage)')
    .option('--margin <amount>', 'the most margin you assign to this position (default: the portfolio)')
    .option('--taker <percent>', 'taker fee in % (default: the venue\'s base tier)')
    .option('--buffer <percent>', 'the stop must stay this % of the entry-to-liquidation distance away from the liquidation price', '10')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  perpguard advise size --portfolio 10000 --risk 2 --entry 60000 --stop 58800 --leverage 10\n')
    .action((options: Options) => {
      const exchange = exchangeFlag(options.exchange);
      if (options.portfolio === undefined) throw new InputError('--portfolio', 'is required: the portfolio value in the settlement asset');
      if (options.entry === undefined) throw new InputError('--entry', 'is required: the entry price');
      if (options.stop === undefined) throw new InputError('--stop', 'is required: the stop-loss price');
      const portfolio = positiveFlag<'Money'>('--portfolio', options.portfolio);
      const riskFraction = percentFlag('--risk', options.risk);
      if (!isPositive(riskFraction) || !lt(riskFraction, fromInt(1))) {
        throw new InputError('--risk', `must be above 0 and below 100 (%), got "${options.risk}"`);
      }
      const entry = positiveFlag<'Price'>('--entry', options.entry);
      const stop = positiveFlag<'Price'>('--stop', options.stop);
      const side = options.side === undefined ? (lt(stop, entry) ? 1 : -1) : sideFlag('--side', options.side);
      if (side === 1 ? !lt(stop, entry) : !gt(stop, entry)) {
        throw new InputError('--stop', side === 1 ? 'a long\'s stop must be below the entry' : 'a short\'s stop must be above the entry');
      }
      const market = marketFlag(exchange, options.symbol);
      const leverage = options.leverage === undefined ? undefined : wholeFlag('--leverage', options.leverage);
      if (leverage !== undefined && leverage > market.maxLeverage) throw new InputError('--leverage', `${leverage}x is above the ${market.maxLeverage}x maximum of ${market.symbol} on ${exchange}`);
      const buffer = percentFlag('--buffer', options.buffer);
      if (isNegative(buffer) || !lt(buffer, fromInt(1))) throw new InputError('--buffer', 'must be at least 0 and below 100 (%)');
      const fees = feesFlag(exchange, options.taker);
      const result = sizePosition({
        exchange,
        market,
        fees,
        portfolio,
        riskFraction,
        side,
        entry,
        stop,
        leverage,
        availableMargin: options.margin === undefined ? undefined : positiveFlag<'Money'>('--margin', options.margin),
        buffer,
      });
      const json = sizeJson(result, { exchange, market, side, entry, stop, portfolio, riskFraction, taker: fees.taker, buffer });
      out(options.json ? JSON.stringify(json, null, 2) + '\n' : renderSize(json));
    });
}


type SizeJson = ReturnType<typeof sizeJson>;

const trim = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
const amt = (s: string): string => grouped(trim(s));

export function renderSize(j: SizeJson): string {
  const a = j.settleAsset;
  const status: Record<string, string> = {
    'before-liquidation': `stop first: it keeps the ${trim(j.bufferPct)} % buffer before the liquidation price`,
    'within-buffer': `WARNING: the stop is within the ${trim(j.bufferPct)} % buffer of the liquidation price`,
    'beyond-liquidation': 'WARNING: the stop is at or beyond the liquidation price: liquidated before the stop fills',
    'no-liquidation': 'no liquidation price: the isolated margin covers the whole move',
  };
  const rows: [string, string][] = [
    [`risk budget (${trim(j.riskPct)} % of ${amt(j.portfolio)})`, `${amt(j.riskBudget)} ${a}`],
    [`loss per unit at the stop (fees incl.)`, `${amt(j.lossPerUnit)} ${a}`],
    [`quantity (rounded down to the step ${j.stepSize})`, j.quantity],
    ['notional at entry', `${amt(j.notional)} ${a}`],
    ['loss at the stop: price move', amt(j.loss.priceMove)],
    [`  + entry fee (taker ${trim(j.takerFeePct)} %)`, amt(j.loss.entryFee)],
    ['  + exit fee at the stop', amt(j.loss.exitFee)],
    ['  = total (never above the budget)', `${amt(j.loss.total)} ${a} (${amt(j.loss.unusedBudget)} unused)`],
    ['available margin', `${amt(j.availableMargin)} ${a}`],
    ['minimum leverage = ceil(notional / available margin)', `${j.minimumLeverage}x`],
    ['leverage used', `${j.leverage}x (venue maximum for this notional ${j.venueMaxLeverage}x)`],
    ['isolated margin to assign (IM)', `${amt(j.isolatedMargin)} ${a} (wallet needed with the entry fee: ${amt(j.walletNeeded)})`],
    ['liquidation price (isolated)', j.liquidationPriceTick === null ? 'none' : grouped(j.liquidationPriceTick)],
    [`last safe stop (${trim(j.bufferPct)} % buffer)`, j.bufferPrice === null ? '—' : grouped(trim(j.bufferPrice))],
    ['stop vs liquidation', status[j.stopStatus]!],
    [
      'leverage at which liquidation = stop',
      j.coincidingLeverage === null
        ? '—'
        : `${trim(formatFixedTo(parseRate(j.coincidingLeverage), 4, 'floor'))}x (stop first up to ${j.maxLeverageStopFirst ?? '—'}x; with the buffer up to ${j.maxLeverageWithBuffer ?? '—'}x)`,
    ],
  ];
  const head = `${j.symbol} ${j.side} on ${j.exchange}: entry ${grouped(j.entryPrice)}, stop ${grouped(j.stopPrice)} (${trim(formatFixedTo(parseRate(j.stopDistancePct), 2, 'halfEven'))} % away)`;
  return wrapText([head, keyValueTable(rows), ...j.warnings.map((w) => `warning: ${w}`)].join('\n')) + '\n';
}

const parseRate = (s: string): Rate => parseFixed<'Rate'>(s);
