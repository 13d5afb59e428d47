// Numbers for the eye. The server's decimals are exact strings; Intl formats a decimal string without going
// through a float (Intl.NumberFormat v3), so what is shown is the exact value rounded half-up to the digits
// shown. Units are always written: the asset after an amount, % after a percentage.
const formats = new Map<number, Intl.NumberFormat>();

function formatter(digits: number): Intl.NumberFormat {
  let f = formats.get(digits);
  if (!f) formats.set(digits, (f = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })));
  return f;
}

/** "9882.0433075" -> "9,882.04" (digits after the point). */
export function amount(value: string | null | undefined, digits = 2): string {
  if (value === null || value === undefined) return '—';
  return formatter(digits).format(value as unknown as number);
}

/** A price with as many digits as it has, up to `max` ("2134.24748996" -> "2,134.2475" at max 4). */
export function price(value: string | null | undefined, max = 4): string {
  if (value === null || value === undefined) return '—';
  const decimals = value.includes('.') ? value.length - value.indexOf('.') - 1 : 0;
  return formatter(Math.min(Math.max(decimals, 2), max)).format(value as unknown as number);
}

/** A ratio as a percentage: "0.08" -> "8.00 %". */
export function ratioPct(value: string | null | undefined, digits = 2): string {
  if (value === null || value === undefined) return '—';
  return `${formatter(digits).format((Number(value) * 100) as number)} %`;
}

/** A percentage already in percent: "-4.6184" -> "−4.62 %". */
export function pct(value: string | null | undefined, digits = 2): string {
  if (value === null || value === undefined) return '—';
  return `${formatter(digits).format(value as unknown as number)} %`;
}

/** The sign of a decimal string: -1, 0 or 1. */
export function sign(value: string): -1 | 0 | 1 {
  if (/^-0*(\.0*)?$/.test(value) || /^0*(\.0*)?$/.test(value)) return 0;
  return value.startsWith('-') ? -1 : 1;
}
