// The child process of durability.test.ts: appends deposits to one account as fast as it can and prints
// each sequence number once its append has resolved (an acknowledgement), until it is killed.
// argv: the store location as JSON, the account id.
import { openStore } from './store.ts';
import type { StoreLocation } from './connection.ts';
import { TEST_SECRET_KEY } from './store-test-support.ts';

const location = JSON.parse(process.argv[2]!) as StoreLocation;
const accountId = process.argv[3]!;
const store = await openStore({ location, env: { PERPGUARD_SECRET_KEY: TEST_SECRET_KEY } });
for (let i = 1; ; i++) {
  const seq = await store.append({ command: { op: 'deposit', account: accountId, asset: 'USDT', amount: `${i}.000000000000000001` }, timeMs: i });
  // stdout to a pipe is synchronous on Linux: the line has left the process when write returns
  process.stdout.write(`${seq} ${i}\n`);
}
