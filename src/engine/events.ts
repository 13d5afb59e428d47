// What the engine reports: every command yields events (and transfers, in ledger.ts); a rejected command
// yields exactly one `rejected` event. Journals, the simulator and the CLI read these shapes.
// Every event carries `op` (the command's index in its log) and `time` (the command's time, epoch ms).
// The transitions push an EventBody; apply() stamps the command's time on every event it returns (one
// place, history.ts commit), so no transition needs the clock.
import type { Money, Price, Quantity, Rate } from '../domain/fixed.ts';
import type { PositionSide } from '../exchanges/rules.ts';
import type { OrderSide } from './state.ts';

/** An event as a transition pushes it: everything but the time. */
export type EventBody =
  | { type: 'deposit' | 'withdrawal'; op: number; account: string; asset: string; amount: Money }
  | { type: 'settings'; op: number; account: string; what: string }
  | { type: 'mark'; op: number; symbol: string; price: Price }
  | { type: 'orderPlaced'; op: number; account: string; orderId: number; clientOrderId: string; symbol: string }
  | { type: 'orderCanceled' | 'orderExpired'; op: number; account: string; orderId: number; clientOrderId: string; symbol: string; reason: string }
  | {
      type: 'fill';
      op: number;
      account: string;
      symbol: string;
      positionSide: PositionSide;
      side: OrderSide;
      quantity: Quantity;
      price: Price;
      fee: Money;
      realizedPnl: Money;
      orderId: number | undefined;
      maker: boolean;
    }
  | {
      type: 'liquidation';
      op: number;
      account: string;
      symbol: string;
      positionSide: PositionSide;
      marginMode: 'isolated' | 'cross';
      side: 1 | -1;
      quantity: Quantity;
      markPrice: Price;
      bankruptcyPrice: Price | undefined;
      /** What the position (isolated) or the account (cross) lost: its margin balance went to zero. */
      marginLost: Money;
      clearanceFee: Money;
      insuranceCover: Money;
      adl: Money;
      reason: string;
    }
  | {
      type: 'partialLiquidation';
      op: number;
      account: string;
      symbol: string;
      positionSide: PositionSide;
      quantity: Quantity;
      markPrice: Price;
      liquidationFee: Money;
      realizedPnl: Money;
    }
  | { type: 'adl'; op: number; account: string; amount: Money; counterparties: { id: string; amount: Money; quantity: Quantity }[]; unallocated: Money }
  | { type: 'marginCall'; op: number; account: string; scope: string; marginRatio: Rate }
  | { type: 'funding'; op: number; account: string; symbol: string; positionSide: PositionSide; rate: Rate; payment: Money }
  | { type: 'rejected'; op: number; code: number; message: string; field: string; command: string };

/** An event as apply() returns it: stamped with the command's time (epoch ms). */
export type EngineEvent = EventBody & { readonly time: number };
