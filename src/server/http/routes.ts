// Every route the venue serves, keyed "METHOD /path" for the generic handler.
import { ACCOUNT_ROUTES } from './account-routes.ts';
import { ADVISOR_ROUTES } from './advisor-routes.ts';
import { ANALYSIS_ROUTES } from './analysis-routes.ts';
import { HISTORY_ROUTES } from './history-routes.ts';
import { MODIFY_ROUTES } from './modify-routes.ts';
import { MARKET_DATA_ROUTES } from './market-data-routes.ts';
import { ORDER_ROUTES } from './order-routes.ts';
import { PUBLIC_ROUTES } from './public-routes.ts';
import type { Route } from './route.ts';

export const ROUTES: readonly Route[] = [...PUBLIC_ROUTES, ...MARKET_DATA_ROUTES, ...ORDER_ROUTES, ...MODIFY_ROUTES, ...ACCOUNT_ROUTES, ...HISTORY_ROUTES, ...ADVISOR_ROUTES, ...ANALYSIS_ROUTES];
