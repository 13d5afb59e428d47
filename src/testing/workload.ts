// A seeded random workload for the engine (the engine's simulation test, src/engine/workload.test.ts, drives it): deposits,
// withdrawals, settings, every order type and flag, cancels, margin moves, funding, marks that random-walk,
// jump and crash, malformed journal operations and commands sent back in time.
//
// The workload is a pure function of its seed: the generator draws from its own PRNG (mulberry32, never
// Math.random) and reads the engine state only to aim its operations (close what is open, cancel what
// rests, withdraw about what can be withdrawn), so the same seed always produces the same operations, and
// the same engine produces the same states. Operations come out in the journal form (the JSON that
// parseCommand reads), so a failing prefix can be written out as a journal and replayed.
//
// Numbers in the generator are JS integers counting ticks, steps or 1e-8 units, turned into decimal
// strings exactly; they only choose what to send. Every amount the engine sees is a decimal string.
import { isPositive, toApproxNumber, toScaled, type Quantity } from '../domain/fixed.ts';
import { crossFigures } from '../engine/apply.ts';
import { balanceOf, isolatedAccount } from '../engine/ledger.ts';
import { profileFor, snapshotOf, type EngineState, type UserState } from '../engine/state.ts';
import { Rng } from './prng.ts';
import { malformedOp, markOp, type WorkloadOp } from './workload-ops.ts';
import {
  BINANCE_USDM,
  decimalOf,
  priceText,
  UNIT,
  unitsOfPrice,
  USERS,
  type SymbolSpec,
  type VenueSpec,
  type WorkloadConfig,
} from './workload-setup.ts';

// ------------------------------------------------------------------------------------------- generator

export type { WorkloadOp } from './workload-ops.ts';

type Macro = { user: string; then: Record<string, unknown>; budget: number };

/**
 * The operation stream of one seed. `next(state)` returns the operation to apply to `state`; calling it
 * with the states the engine produced from the previous operations makes the stream deterministic.
 */
export class Workload {
  readonly rng: Rng;
  private step = 0;
  private macro: Macro | undefined;
  private clientIds = 0;
  private readonly trend = new Map<string, number>();
  private readonly venue: VenueSpec;
  private readonly symbols: readonly SymbolSpec[];
  private readonly asset: string;
  /** Deep tier: the funding clock per symbol (ms), advanced 8 h per funding. */
  private readonly fundingClock = new Map<string, number>();

  constructor(readonly config: WorkloadConfig) {
    this.venue = config.venue ?? BINANCE_USDM;
    this.symbols = this.venue.symbols;
    this.asset = this.venue.asset;
    // decorrelate neighbouring seeds
    this.rng = new Rng(Math.imul(config.seed ^ 0x9e3779b9, 0x85ebca6b) ^ 0xc2b2ae35);
  }

  next(state: EngineState): WorkloadOp {
    const r = this.rng;
    const i = this.step++;
    // opening: every user funds the account, BTC and ETH get marks (SOL only later: orders on it are
    // refused for lack of a mark until then)
    if (i < USERS.length) {
      const amount = this.venue.deep ? decimalOf(r.int(this.venue.cashMin, this.venue.cashMax), this.venue.cashDecimals) : decimalOf(r.int(2_000, 60_000) * 100, 2);
      return { kind: 'deposit', raw: { op: 'deposit', account: USERS[i], asset: this.asset, amount } };
    }
    if (i === USERS.length) return markOp(this.rng, this.trend, state, this.symbols[0]!, 'walk');
    if (i === USERS.length + 1) return markOp(this.rng, this.trend, state, this.symbols[1] ?? this.symbols[0]!, 'walk');
    if (this.macro && r.chance(0.6)) {
      const op = this.macroStep(state, this.macro);
      if (op) return op;
    }
    const kind = r.weighted<string>([
      [26, 'mark'],
      [36, 'order'],
      [4, 'cancel'],
      [5, 'deposit'],
      [4, 'withdraw'],
      [5, 'setLeverage'],
      [3, 'setMarginMode'],
      [2, 'setPositionMode'],
      [6, 'margin'],
      [4, 'funding'],
      [3, 'malformed'],
      [0.5, 'backInTime'],
      [1.5, 'flatten'],
    ]);
    switch (kind) {
      case 'mark': {
        const third = this.symbols[2];
        const spec = !third || state.marks[third.symbol] || i > 300 ? r.pick(this.symbols) : r.pick(this.symbols.slice(0, 2));
        const how = this.venue.deep
          ? r.weighted([[84, 'walk'], [3, 'jump'], [1, 'crash'], [0.4, 'extreme'], [3, 'offTick'], [9, 'hunt']] as const)
          : r.weighted([[84, 'walk'], [3, 'jump'], [1, 'crash'], [3, 'offTick'], [9, 'hunt']] as const);
        return (how === 'hunt' && this.hunt(state)) || markOp(this.rng, this.trend, state, spec, how === 'hunt' ? 'walk' : how);
      }
      case 'order':
        return this.order(state);
      case 'cancel':
        return this.cancel(state);
      case 'deposit':
        return this.deposit();
      case 'withdraw':
        return this.withdraw(state);
      case 'setLeverage':
        return this.setLeverage();
      case 'setMarginMode':
        return { kind, raw: { op: 'setMarginMode', account: r.pick(USERS), symbol: r.pick(this.symbols).symbol, mode: r.pick(['isolated', 'cross']) } };
      case 'setPositionMode':
        return { kind, raw: { op: 'setPositionMode', account: r.pick(USERS), mode: r.pick(['one-way', 'hedge']) } };
      case 'margin':
        return this.margin(state);
      case 'funding': {
        const big = r.chance(0.4);
        if (this.venue.deep) {
          // rates up to +-1 %; each funding at the symbol's next 8-hour mark, now and then one sent again
          // at the same time (it must be refused: funding is applied once per symbol and time)
          const rate = big ? r.int(-10_000, 10_000) : r.int(-500, 500);
          const symbol = r.pick(this.symbols).symbol;
          const last = this.fundingClock.get(symbol) ?? 0;
          const time = last > 0 && r.chance(0.03) ? last : last + 28_800_000;
          this.fundingClock.set(symbol, time);
          return { kind: time === last ? 'funding/again' : kind, raw: { op: 'funding', symbol, rate: decimalOf(rate, 6), time } };
        }
        const rate = big ? r.int(-3000, 3000) : r.int(-500, 500);
        return { kind, raw: { op: 'funding', symbol: r.pick(this.symbols).symbol, rate: decimalOf(rate, 6) } };
      }
      case 'malformed':
        return malformedOp(this.rng);
      case 'backInTime': {
        const op = this.deposit();
        return { ...op, kind: 'backInTime', backInTime: true };
      }
      default: {
        // flatten one user (cancel everything, close everything) and then switch a mode, over the next steps
        const user = r.pick(USERS);
        const then = r.chance(0.5)
          ? { op: 'setPositionMode', account: user, mode: state.users[user]?.positionMode === 'hedge' ? 'one-way' : 'hedge' }
          : { op: 'setMarginMode', account: user, symbol: r.pick(this.symbols).symbol, mode: r.pick(['isolated', 'cross']) };
        this.macro = { user, then, budget: 16 };
        return this.macroStep(state, this.macro) ?? this.deposit();
      }
    }
  }

  private macroStep(state: EngineState, macro: Macro): WorkloadOp | undefined {
    const user = state.users[macro.user];
    macro.budget -= 1;
    if (user && macro.budget > 0) {
      const order = user.orders[0];
      if (order) return { kind: 'flatten/cancel', raw: { op: 'cancel', account: user.id, symbol: order.symbol, clientOrderId: order.clientOrderId } };
      const position = Object.values(user.positions)[0];
      if (position) {
        return {
          kind: 'flatten/close',
          raw: {
            op: 'order',
            account: user.id,
            symbol: position.symbol,
            side: position.side === 1 ? 'sell' : 'buy',
            type: 'market',
            quantity: this.quantityText(position.size),
            reduceOnly: true,
            ...(position.positionSide !== 'BOTH' ? { positionSide: position.positionSide } : {}),
          },
        };
      }
    }
    this.macro = undefined;
    return { kind: `flatten/${String(macro.then['op'])}`, raw: macro.then };
  }

  private quantityText(q: Quantity): string {
    return exactText(q);
  }

  /**
   * A stop hunt: the mark of some open position's symbol moves toward the liquidation price the engine
   * reports for it: into the margin-call zone, to within a few ticks of it on either side, or past it.
   */
  private hunt(state: EngineState): WorkloadOp | undefined {
    const r = this.rng;
    const profile = profileFor(state);
    const targets: { spec: SymbolSpec; mark: number; lp: number }[] = [];
    for (const id of USERS) {
      const user = state.users[id];
      if (!user) continue;
      const snapshot = snapshotOf(state, user, this.asset);
      profile.liquidationPrices(snapshot).forEach((lp, i) => {
        const spec = this.symbols.find((x) => x.symbol === snapshot.legs[i]!.symbol);
        if (!lp || !spec || !isPositive(lp)) return;
        const mark = unitsOfPrice(snapshot.legs[i]!.markPrice);
        const target = unitsOfPrice(lp);
        // a liquidation price out of any plausible range (a short of little leverage) is not hunted, and
        // hunts stay within 0.25-4x the reference price (repeated hunts past short LPs would compound)
        if (target < mark * 2 && target > mark / 2 && target < spec.baseUnits * 4 && target > spec.baseUnits / 4) targets.push({ spec, mark, lp: target });
      });
    }
    if (targets.length === 0) return undefined;
    const { spec, mark, lp } = r.pick(targets);
    const where = r.weighted([[45, 'zone'], [30, 'edge'], [25, 'past']] as const);
    let units: number;
    if (where === 'edge') units = Math.round(lp / spec.tickUnits + r.int(-3, 3)) * spec.tickUnits;
    else units = Math.round((mark + (lp - mark) * (where === 'zone' ? r.real(0.9, 0.999) : r.real(1.0, 1.05))) / spec.tickUnits) * spec.tickUnits;
    if (units <= 0) return undefined;
    return { kind: `mark/hunt-${where}`, raw: { op: 'mark', symbol: spec.symbol, price: priceText(units) } };
  }

  private deposit(): WorkloadOp {
    const r = this.rng;
    const account = r.pick(USERS);
    const variant = r.weighted([[90, 'ok'], [4, 'asset'], [2, 'zero'], [2, 'negative'], [2, 'small']] as const);
    const v = this.venue;
    const ok = v.deep ? decimalOf(r.int(Math.floor(v.cashMin / 4), v.cashMax), v.cashDecimals) : decimalOf(r.int(500, 50_000) * 100 + r.int(0, 99), 2);
    const amount = variant === 'zero' ? '0' : variant === 'negative' ? '-5' : variant === 'small' ? decimalOf(r.int(1, 99_999_999), 8) : ok;
    const wrongAsset = v.deep ? 'XRP' : 'BTC';
    return { kind: `deposit/${variant}`, raw: { op: 'deposit', account, asset: variant === 'asset' ? wrongAsset : this.asset, amount } };
  }

  private withdraw(state: EngineState): WorkloadOp {
    const r = this.rng;
    if (r.chance(0.03)) return { kind: 'withdraw/unknownUser', raw: { op: 'withdraw', account: 'zz', asset: this.asset, amount: '1' } };
    const account = r.pick(USERS);
    const user = state.users[account];
    // (capped: after x100 marks balances grow past what a JS integer of micro-units holds)
    const can = user ? Math.min(1e9, Math.max(0, toApproxNumber(crossFigures(state, user, this.asset).withdrawable))) : 0;
    const variant = r.weighted([[70, 'part'], [10, 'all'], [20, 'tooMuch']] as const);
    // in 1e-6 units; "all" sends the exact withdrawable amount (at most 18 decimals, as the engine holds it)
    if (variant === 'all' && user) {
      const exact = crossFigures(state, user, this.asset).withdrawable;
      if (toScaled(exact) > 0n) return { kind: 'withdraw/all', raw: { op: 'withdraw', account, asset: this.asset, amount: exactText(exact) } };
    }
    const micros = variant === 'tooMuch' ? Math.floor(can * 1e6 * r.real(1.01, 2)) + 10_000 : Math.floor(can * 1e6 * r.real(0.05, 0.9));
    return { kind: `withdraw/${variant}`, raw: { op: 'withdraw', account, asset: this.asset, amount: decimalOf(Math.max(1, micros), 6) } };
  }

  private setLeverage(): WorkloadOp {
    const r = this.rng;
    const spec = r.pick(this.symbols);
    const leverage = r.weighted<number>([
      [6, 1],
      [6, 2],
      [6, 3],
      [10, 5],
      [14, 10],
      [14, 20],
      [8, 25],
      [8, 50],
      [6, 75],
      [6, 100],
      [3, spec.maxLeverage],
      [2, 0],
      [2, spec.maxLeverage + 1],
      [1, 200],
      [1, -3],
      [1, 2.5],
      // fractional leverage (0.01 steps: accepted on Bybit and OKX, refused elsewhere)
      ...(this.venue.deep ? ([[3, r.int(101, spec.maxLeverage * 100) / 100]] as const) : []),
    ]);
    return { kind: 'setLeverage', raw: { op: 'setLeverage', account: r.pick(USERS), symbol: spec.symbol, leverage } };
  }

  private margin(state: EngineState): WorkloadOp {
    const r = this.rng;
    const op = r.chance(0.55) ? 'addMargin' : 'reduceMargin';
    const account = r.pick(USERS);
    const user = state.users[account];
    const isolated = user ? Object.values(user.positions).filter((p) => user.settings[p.symbol]?.marginMode === 'isolated') : [];
    const position = isolated.length > 0 && r.chance(0.9) ? r.pick(isolated) : undefined;
    if (!position || !user) {
      // on a cross symbol or without a position: refused
      return { kind: `${op}/nothing`, raw: { op, account, symbol: r.pick(this.symbols).symbol, amount: '10' } };
    }
    const held = toApproxNumber(balanceOf(state.balances, this.asset, isolatedAccount(user.id, position.symbol, position.positionSide)));
    const cross = toApproxNumber(crossFigures(state, user, this.asset).wallet);
    const base = Math.min(1e9, op === 'addMargin' ? cross * r.real(0.01, 0.6) : Math.abs(held) * r.real(0.01, 0.5));
    const micros = Math.max(1, Math.floor(base * 1e6 * (r.chance(0.1) ? 3 : 1)));
    return {
      kind: op,
      raw: {
        op,
        account,
        symbol: position.symbol,
        amount: decimalOf(micros, 6),
        ...(position.positionSide !== 'BOTH' || r.chance(0.3) ? { positionSide: position.positionSide } : {}),
      },
    };
  }

  private cancel(state: EngineState): WorkloadOp {
    const r = this.rng;
    const withOrders = USERS.filter((u) => (state.users[u]?.orders.length ?? 0) > 0);
    if (withOrders.length > 0 && r.chance(0.85)) {
      const user = state.users[r.pick(withOrders)]!;
      const order = r.pick(user.orders);
      const byId = r.chance(0.5);
      return {
        kind: 'cancel',
        raw: { op: 'cancel', account: user.id, symbol: order.symbol, ...(byId ? { orderId: order.orderId } : { clientOrderId: order.clientOrderId }) },
      };
    }
    return { kind: 'cancel/unknown', raw: { op: 'cancel', account: r.pick(USERS), symbol: r.pick(this.symbols).symbol, clientOrderId: `nope-${r.int(0, 99)}` } };
  }

  private order(state: EngineState): WorkloadOp {
    const r = this.rng;
    const account = r.pick(USERS);
    const user: UserState | undefined = state.users[account];
    const spec = r.pick(this.symbols);
    const hedge = user?.positionMode === 'hedge';
    const type = r.weighted([[45, 'market'], [30, 'limit'], [13, 'stop_market'], [12, 'take_profit_market']] as const);
    const conditional = type === 'stop_market' || type === 'take_profit_market';
    // position side: LONG/SHORT in hedge mode, BOTH or nothing in one-way mode, sometimes the wrong one
    let positionSide: string | undefined = hedge ? r.pick(['LONG', 'SHORT']) : r.chance(0.3) ? 'BOTH' : undefined;
    if (r.chance(0.02)) positionSide = hedge ? r.pick(['BOTH', undefined]) : r.pick(['LONG', 'SHORT']);
    const position = user?.positions[`${spec.symbol}/${positionSide ?? 'BOTH'}`];
    const reduce = position !== undefined && r.chance(0.3);
    const closePosition = conditional && reduce && r.chance(0.4);
    const reduceOnly = reduce && !closePosition && r.chance(0.7);
    // side: the closing side when reducing (the opening one now and then, refused), else by position side or at random
    let side: 'buy' | 'sell';
    if (reduce && position) side = position.side === 1 ? 'sell' : 'buy';
    else if (positionSide === 'LONG') side = r.chance(0.85) ? 'buy' : 'sell';
    else if (positionSide === 'SHORT') side = r.chance(0.85) ? 'sell' : 'buy';
    // one-way: traders mostly scale into what they hold, so positions live long enough to drift into margin calls
    else if (position) side = r.chance(0.75) === (position.side === 1) ? 'buy' : 'sell';
    else side = r.chance(0.5) ? 'buy' : 'sell';
    if (reduce && r.chance(0.05)) side = side === 'buy' ? 'sell' : 'buy';

    const markUnits = state.marks[spec.symbol] ? unitsOfPrice(state.marks[spec.symbol]!) : spec.baseUnits;
    const stepScale = 10 ** spec.stepDecimals;
    let steps: number;
    if (reduce && position) {
      const held = Number(toScaled(position.size) / 10n ** BigInt(18 - spec.stepDecimals));
      steps = Math.min(1e12, Math.max(1, Math.round(held * r.weighted([[40, 1], [40, r.real(0.1, 0.9)], [20, r.real(1.01, 1.5)]]))));
    } else {
      // aim at a share of what the account could carry at its leverage; now and then a whale order above
      // bracket 1 (50,000 USDT on BTC/ETH, 20,000 on SOL) so that partial liquidations have something to cut
      const available = user ? Math.max(0, toApproxNumber(crossFigures(state, user, this.asset).available)) : 0;
      const leverage = user?.settings[spec.symbol]?.leverage ?? state.config.defaultLeverage;
      // in USD (an inverse venue's available balance is in coin: times the mark)
      const usdPerUnit = spec.contractUsd ? markUnits / UNIT : 1;
      const notional = r.chance(0.1) ? r.real(25_000, 400_000) : Math.max(20, available * usdPerUnit * leverage * r.weighted([[40, r.real(0.02, 0.4)], [50, r.real(0.4, 0.97)], [10, r.real(0.97, 1.6)]]));
      steps = Math.min(1e12, spec.contractUsd ? Math.max(1, Math.floor(notional / spec.contractUsd)) : Math.max(1, Math.floor(((notional * UNIT) / markUnits) * stepScale)));
    }
    const raw: Record<string, unknown> = { op: 'order', account, symbol: spec.symbol, side, type };
    if (!closePosition) {
      const variant = r.weighted([[96, 'ok'], [2, 'precision'], [1, 'zero'], [1, 'missing']] as const);
      if (variant === 'ok') raw['quantity'] = decimalOf(steps, spec.stepDecimals);
      else if (variant === 'precision') raw['quantity'] = decimalOf(steps * 10 + r.int(1, 9), spec.stepDecimals + 1);
      else if (variant === 'zero') raw['quantity'] = '0';
    } else {
      raw['closePosition'] = true;
    }
    if (reduceOnly) raw['reduceOnly'] = true;
    if (positionSide !== undefined) raw['positionSide'] = positionSide;
    const tick = (units: number) => priceText(Math.max(1, Math.round(units / spec.tickUnits)) * spec.tickUnits);
    if (type === 'limit') {
      const offset = r.weighted([[50, r.real(-0.04, -0.001)], [15, 0], [35, r.real(0.001, 0.04)]]);
      // below the mark for a buy is a resting bid, above it a marketable one (and the other way for sells)
      raw['price'] = r.chance(0.02) ? priceText(Math.round(markUnits / spec.tickUnits) * spec.tickUnits + spec.tickUnits / 2) : tick(markUnits * (1 + offset));
      const tif = r.weighted([[70, 'GTC'], [10, 'IOC'], [5, 'FOK'], [10, 'GTX'], [5, 'postOnly']] as const);
      if (tif === 'postOnly') raw['postOnly'] = true;
      else if (tif !== 'GTC' || r.chance(0.5)) raw['timeInForce'] = tif;
    }
    if (conditional) {
      // stop: a sell below the mark, a buy above; take profit: the other way; sometimes already reached
      const distance = r.real(0.005, 0.15);
      const below = (type === 'stop_market') === (side === 'sell');
      const wrong = r.chance(0.05);
      raw['stopPrice'] = tick(markUnits * (below !== wrong ? 1 - distance : 1 + distance));
    }
    if (type === 'market' && r.chance(0.01)) raw['price'] = tick(markUnits);
    if (r.chance(0.2)) raw['clientOrderId'] = `c-${account}-${r.int(0, 40)}`;
    else if (r.chance(0.05)) raw['clientOrderId'] = `u-${this.clientIds++}`;
    return { kind: `order/${type}${reduceOnly ? '/reduceOnly' : ''}${closePosition ? '/closePosition' : ''}`, raw };
  }
}

/** The exact decimal text of a fixed-point value (18 decimals at most), for sending a value back verbatim. */
function exactText(x: Parameters<typeof toScaled>[0]): string {
  const v = toScaled(x);
  const negative = v < 0n;
  const digits = (negative ? -v : v).toString().padStart(19, '0');
  const text = `${digits.slice(0, -18)}.${digits.slice(-18)}`.replace(/\.?0+$/, '');
  return (negative ? '-' : '') + text;
}
