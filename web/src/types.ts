// The parts of the venue's /perpguard/v1 answers the dashboard reads (src/views/ prints them; decimals are
// strings, exact, and stay strings until they are formatted for the eye).
export interface CalcPosition {
  readonly symbol: string;
  readonly side: 'long' | 'short';
  readonly positionSide: string;
  readonly marginMode: 'isolated' | 'cross';
  readonly leverage: number;
  readonly size: string;
  readonly entryPrice: string;
  readonly markPrice: string;
  readonly notional: string;
  readonly isolatedMargin: string | null;
  readonly maintenanceMargin: string;
  readonly unrealizedPnl: string;
  readonly marginRatio: string | null;
  readonly liquidationPrice: string | null;
  readonly liquidationPriceTick: string | null;
  readonly bankruptcyPrice: string | null;
  readonly liquidationDistancePct: string | null;
}

export interface CalcAccount {
  readonly settleAsset: string;
  readonly walletBalance: string;
  readonly totalWalletBalance: string;
  readonly marginBalance: string;
  readonly maintenanceMargin: string;
  readonly initialMargin: string;
  readonly marginRatio: string | null;
  readonly availableBalance: string;
  readonly liquidatable: boolean;
}

/** A resting order as the account view lists it (`perpguard run`'s state): stops carry their trigger. */
export interface AccountOrder {
  readonly symbol: string;
  readonly type: 'market' | 'limit' | 'stop_market' | 'take_profit_market';
  readonly stopPrice: string | null;
  readonly positionSide: string;
}

export interface AccountAnswer {
  readonly state: { readonly openOrders: readonly AccountOrder[] };
  readonly calc: { readonly account: CalcAccount; readonly positions: readonly CalcPosition[] };
  /** The level at which the venue calls for margin (a margin ratio, 0.8 = 80 %). */
  readonly marginCallRatio: string;
}

export interface BlastSide {
  readonly movePct: string | null;
  readonly exact: boolean;
  readonly marginBalanceNow: string;
  readonly equityLost: string | null;
  readonly isolatedOnTheWay: readonly { readonly symbol: string; readonly movePct: string; readonly margin: string }[];
}

export interface BlastRadiusAnswer {
  readonly adverse: 'down' | 'up';
  readonly netNotional: string;
  readonly down: BlastSide;
  readonly up: BlastSide;
}

export interface DominoPosition {
  readonly label: string;
  readonly symbol: string;
  readonly side: 'long' | 'short';
  readonly isolated: { readonly margin: string; readonly liquidationPrice: string | null; readonly movePct: string | null };
  readonly cross: { readonly liquidationPrice: string | null; readonly movePct: string | null };
  readonly domino: { readonly closedAtCrossLiquidation: readonly string[]; readonly crossFirst: boolean; readonly goesWith: readonly string[] };
}

export interface DominoAnswer {
  readonly settleAsset: string;
  readonly totalWallet: string;
  readonly positions: readonly DominoPosition[];
}

/** One position of a watched account (`perpguard watch --json`'s positions): the calc figures and both modes. */
export interface WatchPosition extends CalcPosition {
  readonly otherMode: 'isolated' | 'cross';
  readonly modes: {
    readonly isolated: { readonly liquidationPrice: string | null; readonly distancePct: string | null };
    readonly cross: { readonly liquidationPrice: string | null; readonly distancePct: string | null };
  };
  readonly venue: { readonly liquidationPrice: string | null; readonly differenceTicks: string | null };
  readonly stop: { readonly triggerPrice: string | null; readonly inFrontOfLiquidation: boolean | null };
}

export interface WatchWarning {
  readonly kind: string;
  readonly position: string;
  readonly figure: string;
  readonly threshold: string;
  readonly message: string;
}

/** /perpguard/v1/watch on `perpguard watch --dashboard`'s board. */
export interface WatchAnswer {
  readonly exchange: string;
  readonly time: string;
  readonly tick: number;
  readonly positions: readonly WatchPosition[];
  readonly warnings: { readonly active: readonly WatchWarning[] };
}

/** One mode's figures of a position in /perpguard/v1/liquidation (`advise liquidation --json`). */
export interface ModeLiquidation {
  readonly liquidationPrice: string | null;
  readonly bankruptcyPrice?: string | null;
}

/** /perpguard/v1/liquidation: per position, its liquidation price isolated (initial margin at entry) and cross (the whole wallet). */
export interface LiquidationAnswer {
  readonly positions: readonly {
    readonly symbol: string;
    readonly positionSide: string;
    readonly marginMode: 'isolated' | 'cross';
    readonly isolated: ModeLiquidation & { readonly margin: string };
    readonly cross: ModeLiquidation & { readonly wallet: string };
  }[];
}

/** The account's live figures: a frame of /perpguard/ws, or the same four answers polled. */
export interface AccountFigures {
  readonly account: AccountAnswer;
  readonly blastRadius: BlastRadiusAnswer;
  readonly domino: DominoAnswer;
  /** Absent on a watched account's board, which serves no liquidation table. */
  readonly liquidation?: LiquidationAnswer;
}
