// The advisor over HTTP: /perpguard/v1/... answers JSON about the authenticated account's live state, signed
// as Binance's USER_DATA endpoints are (the same API key and secret, so an account only ever sees its own).
// Each answer is the JSON the matching CLI command prints on the same positions (src/views/): the account
// (`perpguard calc --json` and the account view), the liquidation table in both modes, the blast radius,
// the domino chain (`advise hedge`), margin chasing in the account's history (`advise chasing` on its
// exported journal) and the pre-trade checklist for a proposed order.
import { detectChasing, historyOfJournal } from '../../advisor/chasing.ts';
import { checklist } from '../../advisor/checklist.ts';
import { parseJournal, runJournal } from '../../engine/journal.ts';
import { chasingJson } from '../../views/chasing.ts';
import { toJsonText } from '../../views/json-text.ts';
import { read, type ParamMap } from '../binance/params.ts';
import { accountJson, accountSnapshot, blastRadiusJson, dominoJson, liquidationTable } from '../advisor/account-advice.ts';
import { checklistRequest } from '../advisor/checklist-request.ts';
import { whatIfAnswer, whatIfRequest } from '../advisor/what-if-request.ts';
import { answerOf, ok, type Route } from './route.ts';

const noParams = (params: ParamMap) => read(params, () => null);

export const ADVISOR_ROUTES: readonly Route[] = [
  { method: 'GET', path: '/perpguard/v1/account', security: 'SIGNED', handle: ({ params, account, state }) => answerOf(noParams(params), () => ok(accountJson(state, account))) },
  {
    method: 'GET',
    path: '/perpguard/v1/liquidation',
    security: 'SIGNED',
    handle: ({ params, account, state }) => answerOf(noParams(params), () => ok(liquidationTable(accountSnapshot(state, account)))),
  },
  {
    method: 'GET',
    path: '/perpguard/v1/blastRadius',
    security: 'SIGNED',
    handle: ({ params, account, state }) => answerOf(noParams(params), () => ok(blastRadiusJson(accountSnapshot(state, account)))),
  },
  { method: 'GET', path: '/perpguard/v1/domino', security: 'SIGNED', handle: ({ params, account, state }) => answerOf(noParams(params), () => ok(dominoJson(accountSnapshot(state, account)))) },
  {
    method: 'GET',
    path: '/perpguard/v1/chasing',
    security: 'SIGNED',
    handle: ({ venue, params, account }) =>
      answerOf(noParams(params), async () => {
        const journal = await venue.records.journal(account);
        const history = historyOfJournal(runJournal(parseJournal(journal)));
        // exact amounts stay fixed-point in the view: printed as decimal strings, as the CLI prints them
        return ok(JSON.parse(toJsonText(chasingJson(`account ${account}`, detectChasing(history)))));
      }),
  },
  {
    method: 'GET',
    path: '/perpguard/v1/whatIf',
    security: 'SIGNED',
    handle: ({ params, account, state }) =>
      answerOf(whatIfRequest(params), (change) => {
        const answer = whatIfAnswer(state, account, change);
        return 'before' in answer ? ok(answer) : answer;
      }),
  },
  { method: 'GET', path: '/perpguard/v1/checklist', security: 'SIGNED', handle: ({ params, account, state }) => answerOf(checklistRequest(params, state, account), (input) => ok(checklist(input))) },
];
