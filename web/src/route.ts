// Which page the dashboard shows, from the address's fragment (#/ the portfolio, #/chart/BTCUSDT a
// position's chart, #/whatif, #/trade, #/advisor, #/study, #/sweep): links and the back button work, and a page can be opened directly.
import { useEffect, useState } from 'preact/hooks';

export type Route = { readonly page: 'portfolio' | 'whatif' | 'trade' | 'advisor' | 'study' | 'sweep' } | { readonly page: 'chart'; readonly symbol: string };

export function routeOf(hash: string): Route {
  const chart = /^#\/chart\/([A-Z0-9]{2,20})$/.exec(hash);
  if (chart) return { page: 'chart', symbol: chart[1]! };
  const pages = ['whatif', 'trade', 'advisor', 'study', 'sweep'] as const;
  const page = pages.find((p) => hash === `#/${p}`);
  return page ? { page } : { page: 'portfolio' };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => routeOf(location.hash));
  useEffect(() => {
    const changed = () => setRoute(routeOf(location.hash));
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}
