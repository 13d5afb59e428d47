// The portfolio page: the account's figures, every position, the cross pool, the blast radius and the
// domino chain, live (./live-account.ts: pushed by the venue as the account changes, polled where no socket
// can be had). Sizes are fixed while data loads and refreshes (tabular digits, reserved rows), so live
// updates move no layout.
import { useEffect, useState } from 'preact/hooks';
import { signed } from './api.ts';
import type { Credentials } from './credentials.ts';
import { amount, ratioPct } from './format.ts';
import { MarginGauge } from './gauge.tsx';
import { marketTime, useAccountFigures } from './live-account.ts';
import { Liquidations, type ForceOrder } from './liquidations.tsx';
import { PositionsTable } from './positions.tsx';
import { BlastRadius, CrossPool, DominoChain } from './risk.tsx';
import type { WatchAnswer } from './types.ts';
import { watchedExchange } from './board.ts';
import { WatchPanel } from './watch-panel.tsx';

/**
 * The liquidation list weighs 50 against the venue's 2,400 per minute (Binance's weight of forceOrders
 * without a symbol): read when the page opens, when a position leaves the account, and every 16 s.
 */
const LIQUIDATIONS_EVERY_MS = 16_000;
/** A watched account's panel is read as often as the figures are polled there. */
const WATCH_EVERY_MS = 2_000;

/** `read` now, every `everyMs` while the tab is visible, and whenever `trigger` changes. */
function usePolled<T>(read: (() => Promise<T>) | undefined, everyMs: number, trigger: string): T | undefined {
  const [value, setValue] = useState<T | undefined>();
  useEffect(() => {
    if (!read) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = async () => {
      if (document.visibilityState === 'visible') {
        const next = await read().catch(() => undefined);
        if (stopped) return;
        if (next !== undefined) setValue(next);
      }
      if (!stopped) timer = setTimeout(refresh, everyMs);
    };
    void refresh();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [read === undefined, trigger]);
  return value;
}

export function PortfolioPage(props: { credentials: Credentials; onAuthError: (message: string) => void }) {
  const { figures, problem, live, asOfMs } = useAccountFigures(props.credentials, props.onAuthError);
  const held = figures?.account.calc.positions.map((p) => `${p.symbol} ${p.positionSide}`).join(',') ?? '';
  const liquidations = usePolled(() => signed<ForceOrder[]>(props.credentials, 'GET', '/fapi/v1/forceOrders'), LIQUIDATIONS_EVERY_MS, held);
  const watch = usePolled(watchedExchange === undefined ? undefined : () => signed<WatchAnswer>(props.credentials, 'GET', '/perpguard/v1/watch'), WATCH_EVERY_MS, '');
  const complete = figures !== undefined && liquidations !== undefined && (watchedExchange === undefined || watch !== undefined);
  // the first full portfolio, on the page's own performance timeline (the bench reads it)
  useEffect(() => {
    if (complete && performance.getEntriesByName('perpguard:portfolio').length === 0) performance.mark('perpguard:portfolio');
  }, [complete]);

  if (!complete) return <p class="loading" aria-busy="true">{problem ?? 'Loading the account…'}</p>;
  const { calc, marginCallRatio } = figures.account;
  const asset = calc.account.settleAsset;
  return (
    <main class="portfolio" aria-labelledby="portfolio-title">
      <h1 id="portfolio-title">{watchedExchange === undefined ? 'Portfolio' : `Watched account on ${watchedExchange}`}</h1>
      <p class="note live-status" data-as-of-ms={asOfMs}>
        {live && asOfMs !== undefined ? `Live: as of market time ${marketTime(asOfMs)}` : 'Refreshed every 2 s'}
      </p>
      {problem && <p class="problem" role="status">{problem}</p>}
      <section class="summary" aria-label="account figures">
        <div class="card">
          <h2>Wallet</h2>
          <p class="figure num">
            {amount(calc.account.totalWalletBalance)} <span class="unit">{asset}</span>
          </p>
        </div>
        <div class="card">
          <h2>Available</h2>
          <p class="figure num">
            {amount(calc.account.availableBalance)} <span class="unit">{asset}</span>
          </p>
        </div>
        <div class="card">
          <h2>Maintenance margin</h2>
          <p class="figure num">
            {amount(calc.account.maintenanceMargin)} <span class="unit">{asset}</span>
          </p>
        </div>
        <div class="card">
          <h2>Cross margin ratio</h2>
          <MarginGauge ratio={calc.account.marginRatio} marginCall={marginCallRatio} label="cross account" />
          <p class="note">
            {watchedExchange === undefined ? 'margin call' : 'your warning'} at {ratioPct(marginCallRatio, 0)}, liquidation at 100 %
          </p>
        </div>
      </section>
      <PositionsTable positions={calc.positions} account={calc.account} marginCall={marginCallRatio} charts={watchedExchange === undefined} />
      {watch && <WatchPanel watch={watch} />}
      {liquidations.length > 0 && <Liquidations orders={liquidations} asset={asset} />}
      <div class="risk">
        <CrossPool account={calc.account} positions={calc.positions} />
        <BlastRadius blast={figures.blastRadius} asset={asset} />
      </div>
      <DominoChain domino={figures.domino} />
    </main>
  );
}
