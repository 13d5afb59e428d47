// `perpguard advise leverage`: the highest leverage at which a move that history says is possible within
// the horizon (at a confidence) only reaches the margin call, in isolated and in cross margin, and the
// Monte Carlo probability of liquidation within the horizon for a list of leverages.
import type { Command } from 'commander';
import { divideBy, formatFixed, formatFixedTo, lt, parseFixed, roundToStep, times, type Money, type Price, type Rate } from '../domain/fixed.ts';
import { toJsonText } from '../views/json-text.ts';
import type { AccountSnapshot } from '../exchanges/rules.ts';
import { resolveSnapshot } from '../exchanges/snapshot.ts';
import { InputError } from '../schema/input-error.ts';
import { bundledReturnsModel, MC_TICKS } from '../io/returns.ts';
import { adviseLeverage, type LeverageAdvice } from '../advisor/leverage.ts';
import { loneAccount, marketFor } from '../advisor/accounts.ts';
import { specAtLastCloses } from '../io/history.ts';
import { type LeverageCheck, type ModeCalibration } from '../advisor/calibration.ts';
import { type Side } from '../advisor/move.ts';
import { percentText } from '../advisor/statistics.ts';
import type { LegSpec, Spec } from '../sim/spec.ts';
import { assetDecimals, grouped, priceToTick } from '../views/numbers.ts';
import { FittedRows, wrapText } from './format.ts';
import { choiceOption, exchangeOption, lastClose, leverageList, loadHistory, positiveOption, probabilityOption, readJsonFile, wholeOption, timeframeOption } from './advise-options.ts';
import { readSpec } from './simulate.ts';
import { out } from './io.ts';
import { type LeverageContext, leverageJson, leverageSentence } from '../views/leverage.ts';

interface LeverageOptions {
  symbol: string;
  side: string;
  horizon: string;
  confidence: string;
  margin: string;
  wallet: string;
  exchange: string;
  price?: string;
  move?: string;
  data?: string[];
  timeframe?: string;
  spec?: string;
  snapshot?: string;
  marginCall: string;
  leverages: string;
  paths: string;
  seed: string;
  crashProbability: string;
  json?: boolean;
}

export function registerLeverage(advise: Command): void {
  advise
    .command('leverage')
    .description('leverage calibrated against volatility: the highest leverage at which a move that history says is possible within the horizon does not liquidate (only margin-calls), isolated and cross, and P(liquidation) per leverage by Monte Carlo')
    .option('--symbol <symbol>', 'BTCUSDT, ETHUSDT or SOLUSDT (bundled history), or any symbol with --data', 'BTCUSDT')
    .option('--side <side>', 'long or short', 'long')
    .option('--horizon <hours>', 'the horizon in hours', '1')
    .option('--confidence <p>', 'confidence of the move, e.g. 0.99', '0.99')
    .option('--margin <amount>', 'margin committed to the trade (the position is margin x leverage)', '1000')
    .option('--wallet <amount>', 'wallet of the lone-position account (ignored with --spec or --snapshot)', '10000')
    .option('--exchange <id>', 'venue of the lone-position account', 'binance-usdm')
    .option('--price <price>', 'entry price (default: the last close of the data)')
    .option('--move <percent>', 'calibrate against this adverse move in percent (e.g. 5) instead of estimating it')
    .option('--data <file...>', 'candle files for the estimate (hourly or daily; bundled:NAME for data/NAME); default: the bundled hourly 2019-2021 and 2024-2026')
    .option('--timeframe <bar>', 'bar length of the --data files (1h, 1d, ...); default: from the file name, else from the timestamps')
    .option('--spec <file>', 'the current portfolio as a spec (YAML/JSON), entered at the last bundled closes')
    .option('--snapshot <file>', 'the current portfolio as an account snapshot (JSON, as perpguard calc reads)')
    .option('--margin-call <ratio>', 'margin-call level (margin ratio)', '0.8')
    .option('--leverages <list>', 'leverages for the Monte Carlo odds', '2,3,5,10,20,50,100')
    .option('--paths <n>', 'Monte Carlo paths (0: none)', '200')
    .option('--seed <n>', 'Monte Carlo seed', '42')
    .option('--crash-probability <p>', 'probability that a path gets a real crash spliced in', '0')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  perpguard advise leverage --symbol BTCUSDT --horizon 1 --confidence 0.99\n  perpguard advise leverage --move 5 --price 50000 --paths 0\n  perpguard advise leverage --symbol ETHUSDT --side short --horizon 24 --spec examples/safety-net.yaml\n')
    .action((options: LeverageOptions) => {
      const { advice, context } = leverageAdvice(options);
      out(options.json ? toJsonText(leverageJson(advice, context)) + '\n' : renderLeverage(advice, context));
    });
}


function leverageAdvice(o: LeverageOptions): { advice: LeverageAdvice; context: LeverageContext } {
  const side = choiceOption<Side>('--side', o.side, ['long', 'short']);
  const horizonHours = wholeOption('--horizon', o.horizon, 1, 24 * 365);
  const confidence = probabilityOption('--confidence', o.confidence, 0.5, 0.9999);
  if (!(confidence > 0.5 && confidence < 1)) throw new InputError('--confidence', `must be between 0.5 and 1, got "${o.confidence}"`);
  const margin = positiveOption<'Money'>('--margin', o.margin);
  const marginCallRatio = positiveOption<'Rate'>('--margin-call', o.marginCall);
  if (!lt(marginCallRatio, parseFixed('1'))) throw new InputError('--margin-call', 'must be below 1 (liquidation is at 100 %)');
  const paths = wholeOption('--paths', o.paths, 0, 100_000);
  const seed = wholeOption('--seed', o.seed, 0, 2 ** 31 - 1);
  const crashProbability = probabilityOption('--crash-probability', o.crashProbability);
  const leverages = leverageList('--leverages', o.leverages);
  if (o.spec && o.snapshot) throw new InputError('--snapshot', 'give either --spec or --snapshot, not both');
  const move = o.move === undefined ? undefined : divideBy(positiveOption<'Rate'>('--move', o.move), 100, 'ceil');
  const needsHistory = move === undefined || o.price === undefined;
  const timeframeMs = timeframeOption(o.timeframe);
  const series = needsHistory ? loadHistory(o.symbol, o.data, timeframeMs) : [];

  let base: AccountSnapshot;
  let spec: Spec | undefined;
  let account: string;
  if (o.spec) {
    spec = readSpec(o.spec);
    ({ base, account } = specAtLastCloses(spec, o.spec));
  } else if (o.snapshot) {
    base = resolveSnapshot(readJsonFile('--snapshot', o.snapshot));
    account = `the snapshot ${o.snapshot}: cross wallet ${grouped(formatFixed(base.crossWallet))}, ${base.legs.length} position(s)`;
  } else {
    base = loneAccount(exchangeOption(o.exchange), positiveOption<'Money'>('--wallet', o.wallet));
    account = `a lone position, wallet ${grouped(formatFixed(base.crossWallet))} ${marketFor(base.exchange, o.symbol).settleAsset}`;
  }
  const market = marketFor(base.exchange, o.symbol);
  let price: Price;
  let priceSource: string;
  if (o.price !== undefined) {
    price = positiveOption<'Price'>('--price', o.price);
    priceSource = 'given';
  } else {
    const last = lastClose(series);
    price = last.price;
    priceSource = `last close of ${last.source}`;
  }
  let monteCarlo: LeverageContext['monteCarlo'];
  let mcInput: Parameters<typeof adviseLeverage>[0]['monteCarlo'];
  if (paths > 0) {
    const model = bundledReturnsModel();
    if (model.symbols.includes(o.symbol)) {
      const rest: LegSpec[] = spec ? spec.legs : [];
      mcInput = { model, tickTexts: MC_TICKS, wallet: spec ? parseFixed<'Money'>(spec.wallet) : base.crossWallet, rest, leverages, paths, seed, crashProbability };
      monteCarlo = `${paths} block-bootstrap paths of ${horizonHours} h from BTC/ETH/SOL hourly 2024-2026 (crash probability ${crashProbability}, seed ${seed})${o.snapshot ? "; the trade alone on the snapshot's cross wallet" : spec ? '; with the spec\'s legs as specified' : ''}`;
    } else monteCarlo = `none: ${o.symbol} is not in the Monte Carlo model (${model.symbols.join(', ')})`;
  }
  const advice = adviseLeverage({
    symbol: o.symbol,
    side,
    horizonHours,
    confidence,
    series,
    ...(move !== undefined ? { move } : {}),
    base,
    market,
    margin,
    price,
    marginCallRatio,
    ...(mcInput ? { monteCarlo: mcInput } : {}),
  });
  return { advice, context: { priceSource, account, monteCarlo, asset: market.settleAsset, tick: market.tickSize } };
}

const pct = (r: Rate, decimals = 2): string => `${formatFixedTo(times(r, 100), decimals, 'halfEven')} %`;
const amount = (m: Money): string => grouped(formatFixedTo(m, 2, 'halfEven'));

function priceText(p: Price | undefined, entry: Price, tick: Price): string {
  // to the tick, toward the entry: the printed price is reached no later than the exact one
  return p === undefined ? 'none' : grouped(priceToTick(p, entry, tick));
}

/** The moved price to the tick, away from the entry (the move printed is not smaller than the one used). */
function movedText(p: Price, entry: Price, tick: Price): string {
  return grouped(formatFixed(roundToStep(p, tick, lt(p, entry) ? 'floor' : 'ceil')));
}

function nextText(m: ModeCalibration, advice: LeverageAdvice, tick: Price): string {
  const n = m.next;
  if (!n) return `${m.leverage}x is the market's maximum`;
  if (n.refused) return `${n.leverage}x: refused (${n.refused})`;
  return `${n.leverage}x: liquidated (liq. ${priceText(n.liquidationPrice, advice.price, tick)})`;
}


export function renderLeverage(advice: LeverageAdvice, context: LeverageContext): string {
  const out: string[] = [];
  const amount = (m: Money): string => grouped(formatFixedTo(m, assetDecimals(context.asset), 'halfEven'));
  const e = advice.estimate;
  out.push(`Leverage against volatility: ${advice.symbol} ${advice.side}, ${advice.horizonHours} h horizon, ${percentText(advice.confidence, 1)} confidence`);
  if (e) {
    out.push(`Adverse move within ${advice.horizonHours} h at ${percentText(advice.confidence, 1)}:`);
    out.push(`  history     ${percentText(e.historical.move, 2)}  (nearest-rank quantile of the worst move in ${grouped(String(e.historical.windows))} rolling ${advice.horizonHours} h windows; worst ${percentText(e.historical.worst, 2)})`);
    out.push(`  volatility  ${percentText(e.volatility.move, 2)}  (EWMA lambda ${e.volatility.lambda}: ${percentText(e.volatility.hourly, 3)} per hour x sqrt(${advice.horizonHours} h) x z ${e.volatility.z.toFixed(3)})`);
    out.push(`  calibrated against ${pct(advice.move, 4)} (${e.basis}, the larger)`);
  } else out.push(`Adverse move: ${pct(advice.move, 4)} (given)`);
  out.push(`Trade: ${amount(advice.margin)} ${context.asset} of margin at ${grouped(formatFixed(advice.price))} (${context.priceSource}); account: ${context.account}`);
  out.push('');
  const table = new FittedRows([
    { head: 'mode' },
    { head: 'max\nleverage' },
    { head: 'notional', dropRank: 1 },
    { head: 'liq.\nprice' },
    { head: `margin call\n(${pct(advice.marginCallRatio, 0)})` },
    { head: 'moved\nprice' },
    { head: 'margin ratio\nat move' },
    { head: 'one more', wrap: true, minWidth: 16 },
  ]);
  for (const m of advice.modes) {
    const at: LeverageCheck | undefined = m.at;
    table.push([
      m.mode,
      m.leverage === undefined ? 'none' : `${m.leverage}x`,
      at ? amount(at.notional) : '—',
      at ? priceText(at.liquidationPrice, advice.price, context.tick) : '—',
      at ? priceText(at.marginCallPrice, advice.price, context.tick) : '—',
      movedText(m.checks[0]!.movedPrice, advice.price, context.tick),
      at?.marginRatioAtMove ? pct(at.marginRatioAtMove) : '—',
      nextText(m, advice, context.tick),
    ]);
  }
  out.push(table.toString());
  for (const m of advice.modes) out.push(leverageSentence(m, advice));
  if (context.monteCarlo !== undefined) {
    out.push('');
    out.push(`P(liquidation within ${advice.horizonHours} h), Monte Carlo: ${context.monteCarlo}`);
    if (advice.odds.length > 0) {
      const modes = [...new Set(advice.odds.map((o) => o.mode))];
      const t = new FittedRows(['leverage', ...modes]);
      for (const l of [...new Set(advice.odds.map((o) => o.leverage))]) {
        t.push([
          `${l}x`,
          ...modes.map((mode) => {
            const o = advice.odds.find((x) => x.leverage === l && x.mode === mode)!;
            return o.refused ? 'refused' : o.paths === 0 ? 'not opened' : `${percentText(o.probability, 1)} (${o.liquidated}/${o.paths})`;
          }),
        ]);
      }
      out.push(t.toString());
    }
  }
  return wrapText(out.join('\n')) + '\n';
}
