// GET /perpguard/v1/whatIf on a live venue account: the account now and after switching a position's
// margin mode, changing its leverage or margin, or moving the other marks, evaluated by the same margin
// model as /perpguard/v1/account; the switch to isolated agrees with /perpguard/v1/liquidation's isolated
// column (advise liquidation); a bad change is Binance's refusal naming the field; nothing is sent.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed, parseFixed, rate, scale } from '../../domain/fixed.ts';
import { testVenue, type TestVenue } from './dashboard-test-support.ts';
import { client, type SignedClient } from './http-test-support.ts';

describe('/perpguard/v1/whatIf', () => {
  let v: TestVenue;
  let api: SignedClient;
  before(async () => {
    v = await testVenue(['10000']);
    const trader = v.accounts[0]!;
    api = client(v.server.url, trader.apiKey, trader.secret);
    assert.equal((await api.signed('POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: '20' })).status, 200);
    for (const [symbol, side, quantity] of [['BTCUSDT', 'BUY', '0.5'], ['ETHUSDT', 'BUY', '2']] as const) assert.equal((await api.signed('POST', '/fapi/v1/order', { symbol, side, type: 'MARKET', quantity })).status, 200);
  });
  after(() => v.close());

  it('BTC switched to isolated: its liquidation price is advise liquidation\'s isolated one; the account itself is unchanged', async () => {
    const accountBefore = (await api.signed('GET', '/perpguard/v1/account')).body;
    const answer = await api.signed('GET', '/perpguard/v1/whatIf', { symbol: 'BTCUSDT', marginType: 'ISOLATED' });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const table = (await api.signed('GET', '/perpguard/v1/liquidation')).body;
    const btc = (figures: any) => figures.calc.positions.find((p: any) => p.symbol === 'BTCUSDT');
    assert.equal(btc(answer.body.before).marginMode, 'cross');
    assert.equal(btc(answer.body.after).marginMode, 'isolated');
    assert.equal(btc(answer.body.after).liquidationPrice, table.positions.find((p: any) => p.symbol === 'BTCUSDT').isolated.liquidationPrice);
    assert.deepEqual(answer.body.before.calc, accountBefore.calc);
    assert.deepEqual((await api.signed('GET', '/perpguard/v1/account')).body, accountBefore);
  });

  it('isolated with 500 USDT more: its liquidation price moves away from the mark; ETH down 20 % moves the cross one', async () => {
    const moreReply = await api.signed('GET', '/perpguard/v1/whatIf', { symbol: 'BTCUSDT', marginType: 'ISOLATED', amount: '500', type: '1' });
    assert.equal(moreReply.status, 200, JSON.stringify(moreReply.body) + (moreReply.headers.get('x-perpguard-detail') ?? ''));
    const more = moreReply.body;
    const plain = (await api.signed('GET', '/perpguard/v1/whatIf', { symbol: 'BTCUSDT', marginType: 'ISOLATED' })).body;
    const lp = (figures: any) => Number(figures.calc.positions.find((p: any) => p.symbol === 'BTCUSDT').liquidationPrice);
    assert.ok(lp(more.after) < lp(plain.after));
    const moved = (await api.signed('GET', '/perpguard/v1/whatIf', { symbol: 'BTCUSDT', othersMovePct: '20', othersDirection: 'DOWN' })).body;
    const eth = (figures: any) => figures.calc.positions.find((p: any) => p.symbol === 'ETHUSDT');
    // exact: the mark x 0.8, half-even at the 18th decimal (../../advisor/liquidation.ts movedPrice)
    assert.equal(eth(moved.after).markPrice, formatFixed(scale(parseFixed<'Price'>(eth(moved.before).markPrice), rate('0.8'), 'halfEven')));
    assert.ok(Number(moved.after.calc.account.marginRatio) > Number(moved.before.calc.account.marginRatio));
  });

  it('refuses a change it cannot apply, naming the field (-1130), and incomplete pairs (-1102)', async () => {
    const none = await api.signed('GET', '/perpguard/v1/whatIf', { symbol: 'SOLUSDT', marginType: 'ISOLATED' });
    assert.equal(none.status, 400);
    assert.equal(none.body.code, -1130);
    assert.match(none.headers.get('x-perpguard-detail') ?? '', /symbol: the account holds no SOLUSDT position/);
    const cross = await api.signed('GET', '/perpguard/v1/whatIf', { symbol: 'BTCUSDT', amount: '10', type: '1' });
    assert.match(cross.headers.get('x-perpguard-detail') ?? '', /marginDelta: BTCUSDT is in cross/);
    const half = await api.signed('GET', '/perpguard/v1/whatIf', { symbol: 'BTCUSDT', amount: '10' });
    assert.equal(half.body.code, -1102);
    const unknown = await api.signed('GET', '/perpguard/v1/whatIf', { symbol: 'BTCUSDT', colour: 'red' });
    assert.equal(unknown.status, 400);
  });
});
