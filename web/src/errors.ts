// The venue's refusals in plain words: what happened and what to do, for the codes a trader meets; any
// other code shows Binance's message and perpguard's own reason (the X-Perpguard-Detail header).
import { ApiError } from './api.ts';

const PLAIN: Record<number, string> = {
  [-2019]: 'Not enough margin for this order: lower the quantity or the leverage, or add funds.',
  [-4048]: 'The margin mode cannot be changed while a position is open in this symbol: close the position first, or keep its mode.',
  [-4047]: 'The margin mode cannot be changed while orders are open in this symbol: cancel them first.',
  [-4068]: 'The position mode cannot be changed while any position is open: close them first.',
  [-4067]: 'The position mode cannot be changed while any order is open: cancel them first.',
  [-2022]: 'A reduce-only order must reduce a position: there is none on that side to reduce.',
  [-4164]: "The order's notional is below the symbol's minimum: raise the quantity.",
  [-1111]: "The quantity or price has more decimals than the symbol's step or tick allows.",
  [-4003]: 'The quantity must be above zero.',
  [-2011]: 'That order is no longer open (filled, cancelled or unknown).',
  [-2013]: 'No such order.',
  [-4061]: "The order's position side does not match the account's position mode (one-way: BOTH; hedge: LONG or SHORT).",
  [-4050]: 'Not enough cross balance to move that much margin.',
  [-4051]: 'The position holds less isolated margin than that.',
  [-4028]: 'That leverage is not allowed for this position size (its bracket caps it).',
  [-1021]: "This computer's clock is off from the venue's: set the clock and retry.",
  [-1022]: 'The signature did not match: check the secret.',
  [-2015]: 'The venue does not know this API key.',
  [-2021]: 'The trigger price would fire at once: put it on the other side of the mark.',
};

export function plainError(error: unknown): string {
  if (!(error instanceof ApiError)) return `The venue could not be reached (${(error as Error).message}).`;
  const plain = error.code !== undefined ? PLAIN[error.code] : undefined;
  const code = error.code !== undefined ? ` (${error.code})` : '';
  if (plain) return `${plain}${code}`;
  return `${error.message}${code}${error.detail ? `: ${error.detail}` : ''}`;
}
