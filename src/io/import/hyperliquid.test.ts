// Hyperliquid's clearinghouseState and ccxt's unified positions of it (ccxt hyperliquid.json static
// responses, test/fixtures/import/SOURCES.md): the snapshot field by field, and perpguard's liquidation
// price against the liquidationPx Hyperliquid reported.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { calcReport } from '../../cli/calc.ts';
import { reportJson } from '../../views/calc.ts';
import { compareLiquidation } from './compare.ts';
import { accountOf } from './read.ts';

const fixture = (name: string) => ({ label: name, json: JSON.parse(readFileSync(new URL(`../../../test/fixtures/import/${name}`, import.meta.url), 'utf8')) as unknown });

describe('Hyperliquid clearinghouseState, cross: SOL 0.5 short and ETH 1.6 long (ccxt "short position")', () => {
  const { snapshot, imported } = accountOf(fixture('hyperliquid-clearinghouseState-cross.json'), [], {});

  it('gives the snapshot field by field', () => {
    assert.deepEqual(imported!.snapshot, {
      exchange: 'hyperliquid',
      positionMode: 'one-way',
      asOf: '2024-10-10',
      // totalRawUsd 7773.996934 + (-0.5 x 138.76) + 1.6 x 1100 = accountValue 11524.216934 - uPnL (0.4 + 2059.2)
      walletBalance: '9464.616934',
      positions: [
        // mark = positionValue / |szi|: 68.98 / 0.5, 3819.2 / 1.6
        { symbol: 'SOL', side: 'short', size: '0.5', entryPrice: '138.76', markPrice: '137.96', marginMode: 'cross', leverage: 20 },
        { symbol: 'ETH', side: 'long', size: '1.6', entryPrice: '1100', markPrice: '2387', marginMode: 'cross', leverage: 20 },
      ],
      // the body's own maxLeverage: the maintenance margin is half the initial margin at it
      markets: { SOL: { maxLeverage: 50 }, ETH: { maxLeverage: 50 } },
    });
  });

  it("reproduces the account's figures and SOL's liquidationPx 22881.19788911 to the 8th decimal", () => {
    const report = calcReport(snapshot);
    const json = reportJson(report);
    assert.equal(json.account.marginBalance, '11524.21693400'); // accountValue "11524.216934"
    assert.equal(json.account.maintenanceMargin, '38.88180000'); // crossMaintenanceMarginUsed "38.8818"
    assert.equal(json.account.initialMargin, '194.40900000'); // totalMarginUsed "194.409"
    assert.deepEqual(compareLiquidation(report, imported!.reported), [
      { symbol: 'SOL', side: 'short', positionSide: 'BOTH', marginMode: 'cross', tickSize: '0.01', perpguard: '22881.19788911', exchange: '22881.19788911', differenceTicks: '0.00' },
      // the ETH long has no liquidation price at any positive price, and Hyperliquid reports null
      { symbol: 'ETH', side: 'long', positionSide: 'BOTH', marginMode: 'cross', tickSize: '0.1', perpguard: null, exchange: null, differenceTicks: null },
    ]);
  });
});

describe('Hyperliquid isolated HYPE 4 short at 10x (ccxt "isolated short position")', () => {
  const expected = { symbol: 'HYPE', side: 'short', size: '4', entryPrice: '47.9932', markPrice: '48.145', marginMode: 'isolated', leverage: 10, isolatedMargin: '19.171617' };

  it('raw and ccxt unified give the same position; the bucket is rawUsd + szi x entryPx, exact', () => {
    // 211.144417 - 4 x 47.9932 = 19.171617 (ccxt's initialMargin 19.171517 carries the rounding of unrealizedPnl)
    const raw = accountOf(fixture('hyperliquid-clearinghouseState-isolated.json'), [], {});
    const ccxt = accountOf(fixture('ccxt-hyperliquid-fetchPositions-isolated.json'), [], {});
    assert.deepEqual(raw.imported!.snapshot.positions, [expected]);
    assert.deepEqual(ccxt.imported!.snapshot.positions, [expected]);
    assert.deepEqual(ccxt.imported!.snapshot.markets, { HYPE: { maxLeverage: 10 } });
    assert.equal(ccxt.imported!.format, 'ccxt fetchPositions');
    // no cross position: no wallet needed from ccxt's positions alone
    assert.equal(ccxt.imported!.snapshot.walletBalance, undefined);
    assert.equal(raw.imported!.snapshot.walletBalance, '57.6421');
  });

  it("matches liquidationPx 50.2724802381 within a hundredth of perpguard's 1e-8 tick", () => {
    const { snapshot, imported } = accountOf(fixture('ccxt-hyperliquid-fetchPositions-isolated.json'), [], {});
    const [row] = compareLiquidation(calcReport(snapshot), imported!.reported);
    assert.equal(row!.perpguard, '50.27248024');
    assert.equal(row!.exchange, '50.2724802381');
    // HYPE is not a bundled market: the default tick 1e-8 applies; the exact prices differ by < 0.005 of it
    assert.equal(row!.tickSize, '0.00000001');
    assert.equal(row!.differenceTicks, '0.00');
  });
});

describe('ccxt fetchPositions filtered to SOL, with the clearinghouseState as --balance', () => {
  it('says the wallet holds a cross ETH position the file left out, and --compare shows what that costs', () => {
    const { snapshot, imported } = accountOf(fixture('ccxt-hyperliquid-fetchPositions-cross.json'), [{ ...fixture('hyperliquid-clearinghouseState-cross.json'), label: '--balance' }], {});
    assert.equal(imported!.format, 'ccxt fetchPositions + Hyperliquid clearinghouseState');
    assert.equal(imported!.snapshot.walletBalance, '9464.616934');
    assert.match(imported!.notes.join('\n'), /the balance also holds cross ETH, missing from the positions/);
    // without ETH's 2,059.2 of unrealized profit behind it, the SOL short is liquidated 4,002 USDC sooner
    const [row] = compareLiquidation(calcReport(snapshot), imported!.reported);
    assert.equal(row!.perpguard, '18879.2018495');
    assert.equal(row!.differenceTicks, '-400199.60');
  });
});
