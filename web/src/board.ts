// Which board the page is on: the paper venue's dashboard, or `perpguard watch --dashboard`'s page of a watched
// account (its <meta name="perpguard-board" content="watch EXCHANGE">, src/server/watch/board.ts). A watched
// account is read-only here: no ticket, what-if, advisor, study or chart pages, and the watch panel.
const content = document.querySelector('meta[name="perpguard-board"]')?.getAttribute('content') ?? '';

/** The ccxt id of the watched exchange, or undefined on the venue's own dashboard. */
export const watchedExchange: string | undefined = content.startsWith('watch ') ? content.slice('watch '.length) : undefined;
