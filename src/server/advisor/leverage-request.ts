// GET /perpguard/v1/adviseLeverage: `perpguard advise leverage` (the highest leverage at which a move history
// says is possible within the horizon only margin-calls, isolated and cross, and P(liquidation) per leverage)
// for a trade on this venue: symbol, side (LONG/SHORT), horizonHours, confidence, margin, price (default the
// last bundled close, as the CLI), movePct (calibrate against this move instead), marginCallRatio, leverages,
// paths, seed, crashProbability, with the CLI's defaults. The trade joins the account's own positions as they
// are (the CLI's --snapshot), or a lone trade's empty wallet when `wallet` is sent (the CLI's --wallet), or a
// portfolio entered at the last bundled closes when `spec` is sent (the CLI's --spec): "account" (the account's
// positions as a spec, as the study reads them) or a bundled example's name.
import { divideBy, formatFixed, isPositive, lt, parseFixed, type Money } from '../../domain/fixed.ts';
import { loneAccount } from '../../advisor/accounts.ts';
import type { EngineState } from '../../engine/state.ts';
import type { LeverageTask } from '../../io/analysis-task.ts';
import { grouped } from '../../views/numbers.ts';
import { binanceError } from '../binance/errors.ts';
import { read, type ParamMap } from '../binance/params.ts';
import { tradedMarket } from '../binance/symbols.ts';
import { accountSnapshot } from './account-advice.ts';
import { MAX_PATH_HOURS, MAX_PATHS, probability, specParam, whole } from './analysis-params.ts';
import { accountSpec } from './study-request.ts';

const ONE = parseFixed<'Rate'>('1');

export function leverageRequest(params: ParamMap, state: EngineState, account: string) {
  return read(params, (r): LeverageTask => {
    const symbol = r.requiredSymbol();
    const market = tradedMarket(state, symbol);
    if (!market) return r.refuse(binanceError('BAD_SYMBOL', [], `symbol: ${symbol} is not a market of this venue`));
    const side = (r.oneOf('side', ['LONG', 'SHORT'] as const) ?? 'LONG') === 'LONG' ? 'long' : 'short';
    const horizonHours = whole(r, 'horizonHours', 1, 24 * 365, 1);
    const confidence = probability(r, 'confidence', 0.99, 0.5, 0.9999);
    if (!(confidence > 0.5)) r.refuse(binanceError('INVALID_PARAMETER', ['confidence'], `confidence: must be above 0.5, got ${confidence}`));
    const margin = r.decimal<'Money'>('margin') ?? parseFixed<'Money'>('1000');
    if (!isPositive(margin)) r.refuse(binanceError('INVALID_PARAMETER', ['margin'], 'margin: must be above zero'));
    const specName = r.string('spec');
    const spec = specName === undefined ? undefined : specParam(r, accountSpec(state, account));
    if (spec) r.notSent('wallet', 'a lone trade\'s wallet, not with spec (the trade joins that portfolio, on its wallet)');
    const wallet = r.decimal<'Money'>('wallet');
    if (wallet !== undefined && !isPositive(wallet)) r.refuse(binanceError('INVALID_PARAMETER', ['wallet'], 'wallet: must be above zero'));
    const price = r.decimal<'Price'>('price');
    if (price !== undefined && !isPositive(price)) r.refuse(binanceError('INVALID_PARAMETER', ['price'], 'price: must be above zero'));
    const movePct = r.decimal<'Rate'>('movePct');
    if (movePct !== undefined && !isPositive(movePct)) r.refuse(binanceError('INVALID_PARAMETER', ['movePct'], 'movePct: must be above zero'));
    const marginCallRatio = r.decimal<'Rate'>('marginCallRatio') ?? parseFixed<'Rate'>('0.8');
    if (!isPositive(marginCallRatio) || !lt(marginCallRatio, ONE)) r.refuse(binanceError('INVALID_PARAMETER', ['marginCallRatio'], 'marginCallRatio: above 0 and below 1 (liquidation is at 1)'));
    const leverages = leverageList(r.string('leverages') ?? '2,3,5,10,20,50,100');
    if (typeof leverages === 'string') return r.refuse(binanceError('INVALID_PARAMETER', ['leverages'], `leverages: ${leverages}`));
    const paths = whole(r, 'paths', 0, MAX_PATHS, 200);
    // every leverage runs the paths in both modes
    const pathHours = paths * horizonHours * leverages.length * 2;
    if (pathHours > MAX_PATH_HOURS) r.refuse(binanceError('INVALID_PARAMETER', ['paths'], `paths: ${paths} paths x ${horizonHours} h x ${leverages.length} leverages x 2 modes is over the dashboard's ${MAX_PATH_HOURS.toLocaleString('en-US')} path-hours`));
    const seed = whole(r, 'seed', 0, 2 ** 31 - 1, 42);
    const crashProbability = probability(r, 'crashProbability', 0);
    return {
      kind: 'leverage',
      symbol,
      side,
      horizonHours,
      confidence,
      margin,
      // the CLI names the spec's file: an example's is examples/<name>.yaml, as `advise leverage --spec` is given it
      book: spec ? { kind: 'spec', spec, from: specName === 'account' ? "the account's positions" : `examples/${specName}.yaml` } : bookOf(state, account, market.settleAsset, wallet),
      ...(price !== undefined ? { price } : {}),
      ...(movePct !== undefined ? { move: divideBy(movePct, 100, 'ceil') } : {}),
      marginCallRatio,
      leverages,
      paths,
      seed,
      crashProbability,
    };
  });
}

/** The account's own positions (the CLI's --snapshot), or a lone trade's empty wallet (--wallet), in the CLI's words. */
function bookOf(state: EngineState, account: string, asset: string, wallet: Money | undefined): LeverageTask['book'] {
  if (wallet !== undefined) {
    const base = loneAccount(state.config.exchange, wallet);
    return { kind: 'lone', base, account: `a lone position, wallet ${grouped(formatFixed(base.crossWallet))} ${asset}` };
  }
  const base = accountSnapshot(state, account);
  return { kind: 'snapshot', base, account: `the account's positions: cross wallet ${grouped(formatFixed(base.crossWallet))}, ${base.legs.length} position(s)` };
}

/** "2,3,5" as sorted distinct whole leverages from 1 to 1000 (the CLI's --leverages), or the problem. */
function leverageList(text: string): number[] | string {
  const list = text.split(',').map((t) => t.trim());
  if (list.length > 12) return `at most 12 leverages, got ${list.length}`;
  for (const t of list) if (!/^\d+$/.test(t) || Number(t) < 1 || Number(t) > 1000) return `must list whole numbers from 1 to 1000, got "${t}"`;
  return [...new Set(list.map(Number))].sort((a, b) => a - b);
}
