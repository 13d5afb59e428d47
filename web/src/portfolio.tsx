// The portfolio page: the account's figures, every position, the cross pool, the blast radius and the
// domino chain, refreshed every REFRESH_MS while the tab is visible. Sizes are fixed while data loads and
// refreshes (tabular digits, reserved rows), so live updates move no layout.
import { useEffect, useState } from 'preact/hooks';
import { signed } from './api.ts';
import type { Credentials } from './credentials.ts';
import { amount, ratioPct } from './format.ts';
import { MarginGauge } from './gauge.tsx';
import { Liquidations, type ForceOrder } from './liquidations.tsx';
import { PositionsTable } from './positions.tsx';
import { BlastRadius, CrossPool, DominoChain } from './risk.tsx';
import type { AccountAnswer, BlastRadiusAnswer, DominoAnswer, WatchAnswer } from './types.ts';
import { watchedExchange } from './board.ts';
import { WatchPanel } from './watch-panel.tsx';

const REFRESH_MS = 2_000;
/**
 * The liquidation list weighs 50 against the venue's 2,400 per minute (Binance's weight of forceOrders
 * without a symbol); the rest of a refresh weighs 3. Read every LIQUIDATIONS_EVERY-th refresh (16 s), the
 * page stays near 400 a minute, and a second tab still fits.
 */
const LIQUIDATIONS_EVERY = 8;

interface Portfolio {
  readonly account: AccountAnswer;
  readonly blast: BlastRadiusAnswer;
  readonly domino: DominoAnswer;
  readonly liquidations: readonly ForceOrder[];
  /** A watched account's panel (`perpguard watch --dashboard`). */
  readonly watch: WatchAnswer | undefined;
}

async function loadPortfolio(credentials: Credentials, previous: Portfolio | undefined, refresh: number): Promise<Portfolio> {
  const [account, blast, domino, liquidations, watch] = await Promise.all([
    signed<AccountAnswer>(credentials, 'GET', '/perpguard/v1/account'),
    signed<BlastRadiusAnswer>(credentials, 'GET', '/perpguard/v1/blastRadius'),
    signed<DominoAnswer>(credentials, 'GET', '/perpguard/v1/domino'),
    previous && refresh % LIQUIDATIONS_EVERY !== 0 ? previous.liquidations : signed<ForceOrder[]>(credentials, 'GET', '/fapi/v1/forceOrders'),
    watchedExchange === undefined ? undefined : signed<WatchAnswer>(credentials, 'GET', '/perpguard/v1/watch'),
  ]);
  return { account, blast, domino, liquidations, watch };
}

export function PortfolioPage(props: { credentials: Credentials; onAuthError: (message: string) => void }) {
  const [portfolio, setPortfolio] = useState<Portfolio | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last: Portfolio | undefined;
    let count = 0;
    const refresh = async () => {
      if (document.visibilityState === 'visible') {
        try {
          const next = await loadPortfolio(props.credentials, last, count++);
          last = next;
          if (stopped) return;
          setPortfolio(next);
          setProblem(undefined);
          performance.mark('perpguard:portfolio');
        } catch (error) {
          if (stopped) return;
          const status = (error as { status?: number }).status;
          if (status === 401 || status === 400) return props.onAuthError((error as Error).message);
          setProblem(`The venue did not answer (${(error as Error).message}); retrying.`);
        }
      }
      if (!stopped) timer = setTimeout(refresh, REFRESH_MS);
    };
    void refresh();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [props.credentials]);

  if (!portfolio) return <p class="loading" aria-busy="true">{problem ?? 'Loading the account…'}</p>;
  const { calc, marginCallRatio } = portfolio.account;
  const asset = calc.account.settleAsset;
  return (
    <main class="portfolio" aria-labelledby="portfolio-title">
      <h1 id="portfolio-title">{watchedExchange === undefined ? 'Portfolio' : `Watched account on ${watchedExchange}`}</h1>
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
      {portfolio.watch && <WatchPanel watch={portfolio.watch} />}
      {portfolio.liquidations.length > 0 && <Liquidations orders={portfolio.liquidations} asset={asset} />}
      <div class="risk">
        <CrossPool account={calc.account} positions={calc.positions} />
        <BlastRadius blast={portfolio.blast} asset={asset} />
      </div>
      <DominoChain domino={portfolio.domino} />
    </main>
  );
}
