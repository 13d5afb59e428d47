// `perpguard advise mode`: isolated or cross for a planned trade inside a portfolio, from the seed's criteria
// (role, correlation with the other positions, experience) backed by the crash windows and a Monte Carlo.
import type { Command } from 'commander';
import { toJsonText } from '../views/json-text.ts';
import { InputError } from '../schema/input-error.ts';
import { loadCrashWindows } from '../io/crash-data.ts';
import { bundledReturnsModel, MC_TICKS } from '../io/returns.ts';
import { adviseMode, EXPERIENCES, type Experience, type ModeAdvice } from '../advisor/mode.ts';
import { decimalText, percentText } from '../advisor/statistics.ts';
import { parseSpec, SpecError, type LegSpec, type Spec } from '../sim/spec.ts';
import { withNewTrade } from '../advisor/mode-trade.ts';
import { FittedRows, wrapText } from './format.ts';
import { grouped } from '../views/numbers.ts';
import { choiceOption, positiveOption, probabilityOption, wholeOption } from './advise-options.ts';
import { readSpec } from './simulate.ts';
import { formatFixed } from '../domain/fixed.ts';
import { out } from './io.ts';
import { modeJson } from '../views/mode.ts';

interface ModeOptions {
  spec: string;
  leg?: string;
  symbol?: string;
  side: string;
  margin?: string;
  notional?: string;
  leverage?: string;
  role?: string;
  experience: string;
  paths: string;
  hours: string;
  seed: string;
  crashProbability: string;
  json?: boolean;
}

export function registerMode(advise: Command): void {
  advise
    .command('mode')
    .description('isolated or cross for a planned trade in a portfolio: role, correlation and experience, backed by the crash windows and a Monte Carlo of both modes (kept equity, liquidation probability, blast radius)')
    .requiredOption('--spec <file>', 'the portfolio (YAML/JSON spec, see examples/)')
    .option('--leg <index|symbol>', "the planned trade: a leg of the spec (0-based index or symbol; default: the last leg)")
    .option('--symbol <symbol>', 'or a new trade added to the spec: its symbol')
    .option('--side <side>', 'the new trade: long or short', 'long')
    .option('--margin <amount>', 'the new trade: margin (the position is margin x leverage)')
    .option('--notional <amount>', 'the new trade: notional instead of margin')
    .option('--leverage <n>', 'the new trade: leverage', '10')
    .option('--role <role>', 'the trade\'s role, overriding the spec: core, speculative or hedge')
    .option('--experience <level>', 'novice, intermediate or expert', 'intermediate')
    .option('--paths <n>', 'Monte Carlo paths (0: none)', '100')
    .option('--hours <n>', 'hours per Monte Carlo path', '168')
    .option('--seed <n>', 'Monte Carlo seed', '42')
    .option('--crash-probability <p>', 'probability that a path gets a real crash spliced in', '0.2')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nRules: novices and speculative trades get isolated; otherwise the numbers first (a blast radius in cross,\nmore positions liquidated with it, or isolated keeping more equity decide for isolated), then a PnL correlation\n>= 0.5 with the positions sharing the cross wallet, else cross.\n\nExamples:\n  perpguard advise mode --spec examples/crash-study.yaml --leg ETHUSDT\n  perpguard advise mode --spec examples/crash-study.yaml --leg 0 --experience expert\n  perpguard advise mode --spec examples/max-exposure.yaml --symbol SOLUSDT --side long --margin 300 --leverage 5 --role core\n',
    )
    .action((options: ModeOptions) => {
      const advice = modeAdvice(options);
      out(options.json ? toJsonText(modeJson(advice)) + '\n' : renderMode(advice));
    });
}

function tradeOf(spec: Spec, o: ModeOptions): { spec: Spec; index: number } {
  const role = o.role === undefined ? undefined : choiceOption<LegSpec['role']>('--role', o.role, ['core', 'speculative', 'hedge']);
  if (o.symbol !== undefined) {
    if (o.leg !== undefined) throw new InputError('--symbol', 'give either --leg (a leg of the spec) or --symbol (a new trade), not both');
    if ((o.margin === undefined) === (o.notional === undefined)) throw new InputError('--margin', 'a new trade needs --margin or --notional (one of them)');
    const size = o.margin !== undefined ? { margin: formatFixed(positiveOption('--margin', o.margin)) } : { notional: formatFixed(positiveOption('--notional', o.notional!)) };
    const side = choiceOption('--side', o.side, ['long', 'short'] as const);
    const added = withNewTrade(spec, { symbol: o.symbol, side, size, leverage: wholeOption('--leverage', o.leverage ?? '10', 1, 125), role: role ?? 'core' });
    if ('problem' in added) throw new InputError('--symbol', added.problem);
    return { spec: added, index: added.legs.length - 1 };
  }
  let index: number;
  let legs = spec.legs;
  if (o.leg === undefined) index = legs.length - 1;
  else if (/^\d+$/.test(o.leg)) {
    index = Number(o.leg);
    if (index >= legs.length) throw new InputError('--leg', `the spec has ${legs.length} leg(s) (0 to ${legs.length - 1}), got ${o.leg}`);
  } else {
    index = legs.findIndex((l) => l.symbol === o.leg);
    if (index < 0) throw new InputError('--leg', `no leg of ${o.leg} in the spec (${legs.map((l) => l.symbol).join(', ')})`);
  }
  if (role !== undefined) legs = legs.map((l, i) => (i === index ? { ...l, role } : l));
  try {
    return { spec: parseSpec({ ...spec, legs }), index };
  } catch (error) {
    if (error instanceof SpecError) throw new InputError('--symbol', error.message);
    throw error;
  }
}

function modeAdvice(o: ModeOptions): ModeAdvice {
  const experience = choiceOption<Experience>('--experience', o.experience, EXPERIENCES);
  const paths = wholeOption('--paths', o.paths, 0, 100_000);
  const hours = wholeOption('--hours', o.hours, 2, 100_000);
  const seed = wholeOption('--seed', o.seed, 0, 2 ** 31 - 1);
  const crashProbability = probabilityOption('--crash-probability', o.crashProbability);
  const { spec, index } = tradeOf(readSpec(o.spec), o);
  const windows = loadCrashWindows([...new Set(spec.legs.map((l) => l.symbol))], spec.exchange);
  const model = bundledReturnsModel();
  return adviseMode({
    spec,
    tradeIndex: index,
    experience,
    windows,
    model,
    ...(paths > 0 ? { monteCarlo: { tickTexts: MC_TICKS, paths, hours, seed, crashProbability } } : {}),
  });
}

const pct = (x: number) => percentText(x, 1);

function describeLeg(l: LegSpec): string {
  const size = 'notional' in l.size ? `notional ${grouped(l.size.notional)}` : 'margin' in l.size ? `margin ${grouped(l.size.margin)}` : `risk ${l.size.riskPercent} %`;
  return `${l.symbol} ${l.side} ${l.leverage}x (${size}), ${l.role}`;
}

export function renderMode(a: ModeAdvice): string {
  const out: string[] = [];
  out.push(`Margin mode for ${describeLeg(a.trade)}; experience: ${a.experience}`);
  out.push(`Recommendation: ${a.recommendation.toUpperCase()}`);
  out.push(`Reason: ${a.reason}`);
  out.push('');
  const criteria = new FittedRows([{ head: 'criterion' }, { head: 'says' }, { head: 'because', wrap: true, minWidth: 30 }]);
  for (const c of a.criteria) criteria.push([c.name, c.verdict, c.statement]);
  out.push(criteria.toString());
  if (a.windows.length > 0) {
    out.push('');
    out.push('Crash windows: the trade isolated vs cross, the rest as specified (blast: what the trade took from the rest beyond its own margin and fees, % of the wallet)');
    const t = new FittedRows([{ head: 'window', wrap: true, minWidth: 8 }, 'kept\niso.', 'kept\ncross', 'trade liq.\niso.', 'trade liq.\ncross', 'blast\niso.', 'blast\ncross', 'others\nliq. iso.', 'others\nliq. cross'], { compact: true });
    for (const w of a.windows) {
      t.push([w.title, pct(w.isolated.kept), pct(w.cross.kept), w.isolated.tradeLiquidated ? 'yes' : 'no', w.cross.tradeLiquidated ? 'yes' : 'no', pct(w.isolated.blast), pct(w.cross.blast), w.isolated.othersLiquidated, w.cross.othersLiquidated]);
    }
    out.push(t.toString());
    if (a.skippedWindows.length) out.push(`(no data for ${a.trade.symbol} in ${a.skippedWindows.join(', ')})`);
  }
  if (a.monteCarlo) {
    const mc = a.monteCarlo;
    out.push('');
    out.push(`Monte Carlo: ${mc.isolated.paths} block-bootstrap paths x ${mc.hours} h, seed ${mc.seed}`);
    const t = new FittedRows(['trade', 'P(trade\nliquidated)', 'mean\nkept', 'kept\np5', 'P(others liquidated\nwith it)', 'blast\nmean', 'blast\nworst'], { compact: true });
    for (const [mode, s] of [['isolated', mc.isolated], ['cross', mc.cross]] as const) {
      t.push([mode, pct(s.tradeLiquidation), pct(s.meanKept), pct(s.keptP5), pct(s.extraLiquidation), `${decimalText(s.meanBlast * 100, 2)} %`, pct(s.worstBlast)]);
    }
    out.push(t.toString());
  }
  if (a.legCorrelations.length > 0) {
    out.push('');
    out.push(`PnL correlation with the other positions (hourly returns 2024-2026): ${a.legCorrelations.map((l) => `${l.symbol} ${l.side} ${l.marginMode} ${l.correlation === undefined ? 'n/a' : decimalText(l.correlation, 2)}`).join(', ')}${a.correlation !== undefined ? `; with the cross book ${decimalText(a.correlation, 2)}` : ''}`);
  }
  return wrapText(out.join('\n')) + '\n';
}
