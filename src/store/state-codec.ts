// An engine state as text and back, for snapshots. The engine has a one-way serializer (invariants.ts
// `serialize`, bigints as "123n", which a string field such as a client order id "5n" could imitate), so
// the store writes its own: every bigint as {"$big": "123"} (no value of the state is an object with that
// single string-valued key: records keyed by names hold objects, numbers or bigints, never strings), the
// config left out (it is rebuilt from the venue's set-up, ./venue.ts), and on the way back the records
// keyed by user-supplied names rebuilt without a prototype, as state.ts's dict() makes them.
import { dict, type EngineConfig, type EngineState } from '../engine/state.ts';

const BIG = '$big';

export function encodeState(state: EngineState): string {
  const { config: _rebuilt, ...data } = state;
  return JSON.stringify(data, (_key, value: unknown) => (typeof value === 'bigint' ? { [BIG]: value.toString() } : value));
}

/** The state `encodeState` wrote, under `config` (the venue's set-up as the running engine builds it). */
export function decodeState(text: string, config: EngineConfig): EngineState {
  const data = JSON.parse(text, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      const big = (value as Record<string, unknown>)[BIG];
      if (keys.length === 1 && typeof big === 'string' && /^-?\d+$/.test(big)) return BigInt(big);
    }
    return value;
  }) as Omit<EngineState, 'config'>;
  const users = dict(data.users);
  for (const id in users) {
    const user = users[id]!;
    users[id] = { ...user, settings: dict(user.settings), positions: dict(user.positions) };
  }
  const balances = dict(data.balances);
  for (const asset in balances) balances[asset] = dict(balances[asset]);
  // the config first, as initialState builds it, so the decoded state serializes exactly as the original
  return { config, ...data, marks: dict(data.marks), users, balances, history: dict(data.history), fundingTimes: dict(data.fundingTimes) };
}
