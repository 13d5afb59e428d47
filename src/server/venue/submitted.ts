// What the venue answers a trader's command: the value shaped from the state right after the apply and the
// command's sequence number once durable, or the engine's rejection; VenueStopped once a failed append
// stopped the venue (fail-stop, ./venue.ts).
import type { Rejection } from '../../engine/codes.ts';

export type Submitted<T> = { readonly value: T; readonly seq: number } | { readonly rejection: Rejection };

/** Thrown to callers once the venue stopped on a failed append (answered as -1000 by the server). */
export class VenueStopped extends Error {
  override readonly name = 'VenueStopped';
}
