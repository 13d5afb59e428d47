// Every route the venue serves, keyed "METHOD /path" for the generic handler.
import { ACCOUNT_ROUTES } from './account-routes.ts';
import { ADVISOR_ROUTES } from './advisor-routes.ts';
import { ORDER_ROUTES } from './order-routes.ts';
import { PUBLIC_ROUTES } from './public-routes.ts';
import type { Route } from './route.ts';

export const ROUTES: readonly Route[] = [...PUBLIC_ROUTES, ...ORDER_ROUTES, ...ACCOUNT_ROUTES, ...ADVISOR_ROUTES];
