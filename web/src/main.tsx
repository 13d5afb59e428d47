// The dashboard of a perpguard venue, served by `perpguard serve` on the same origin as its API. It signs in
// with the account's API key and secret (./credentials.ts) and shows the portfolio (./portfolio.tsx).
import { render } from 'preact';
import { useState } from 'preact/hooks';
import { forgetCredentials, isCredentials, loadCredentials, saveCredentials, type Credentials } from './credentials.ts';
import { AdvisorPage } from './advisor.tsx';
import { ChartPage } from './chart.tsx';
import { PortfolioPage } from './portfolio.tsx';
import { StudyHost } from './study.tsx';
import { TicketPage } from './ticket.tsx';
import { WhatIfPage } from './whatif.tsx';
import { useRoute } from './route.ts';
import { watchedExchange } from './board.ts';
import './styles.css';

function SignIn(props: { onSignIn: (credentials: Credentials) => void; problem: string | undefined }) {
  const [apiKey, setApiKey] = useState('');
  const [secret, setSecret] = useState('');
  const [invalid, setInvalid] = useState(false);
  return (
    <main class="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{watchedExchange === undefined ? 'Sign in to the paper venue' : `Sign in to the watched ${watchedExchange} account`}</h1>
      <p class="note">
        {watchedExchange === undefined ? (
          <>
            Use the API key and secret of a paper account (<code>perpguard accounts create</code>, or the demo account that <code>perpguard serve --demo</code> prints). They stay in this tab only.
          </>
        ) : (
          <>
            Open the link <code>perpguard watch --dashboard</code> printed: it signs this page in. It is not your exchange's key.
          </>
        )}
      </p>
      {props.problem && (
        <p class="problem" role="alert">
          {props.problem}
        </p>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!isCredentials(apiKey.trim(), secret.trim())) return setInvalid(true);
          props.onSignIn({ apiKey: apiKey.trim(), secret: secret.trim() });
        }}
      >
        <label>
          API key
          <input name="apiKey" autocomplete="off" required value={apiKey} onInput={(e) => setApiKey(e.currentTarget.value)} />
        </label>
        <label>
          Secret
          <input name="secret" type="password" autocomplete="off" required value={secret} onInput={(e) => setSecret(e.currentTarget.value)} />
        </label>
        {invalid && <p class="problem">An API key is letters, digits, - and _ (at most 128); the secret cannot be empty.</p>}
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}

function App() {
  const [credentials, setCredentials] = useState<Credentials | undefined>(() => loadCredentials());
  const [problem, setProblem] = useState<string | undefined>();
  const route = useRoute();
  // a watched account (perpguard watch --dashboard) has the portfolio page only
  const page = watchedExchange === undefined ? route.page : 'portfolio';
  const onAuthError = (message: string) => {
    forgetCredentials();
    setCredentials(undefined);
    setProblem(`${watchedExchange === undefined ? 'The venue' : 'perpguard watch'} refused these credentials: ${message}`);
  };
  return (
    <>
      <header class="top">
        <span class="brand">perpguard</span>
        <span class="note">{watchedExchange === undefined ? 'isolated vs cross, exact' : `watching ${watchedExchange}, read-only`}</span>
        {credentials && watchedExchange === undefined && (
          <nav aria-label="pages">
            <a href="#/" aria-current={route.page === 'portfolio' ? 'page' : undefined}>
              Portfolio
            </a>
            <a href="#/whatif" aria-current={route.page === 'whatif' ? 'page' : undefined}>
              What if
            </a>
            <a href="#/trade" aria-current={route.page === 'trade' ? 'page' : undefined}>
              Trade
            </a>
            <a href="#/advisor" aria-current={route.page === 'advisor' ? 'page' : undefined}>
              Advisor
            </a>
            <a href="#/study" aria-current={route.page === 'study' ? 'page' : undefined}>
              Study
            </a>
            <a href="#/sweep" aria-current={route.page === 'sweep' ? 'page' : undefined}>
              Sweep
            </a>
          </nav>
        )}
        {credentials && (
          <button
            class="link"
            onClick={() => {
              forgetCredentials();
              setCredentials(undefined);
            }}
          >
            Sign out
          </button>
        )}
      </header>
      {credentials && page === 'chart' && route.page === 'chart' ? (
        <ChartPage credentials={credentials} symbol={route.symbol} onAuthError={onAuthError} />
      ) : credentials && page === 'whatif' ? (
        <WhatIfPage credentials={credentials} />
      ) : credentials && page === 'advisor' ? (
        <AdvisorPage credentials={credentials} />
      ) : credentials && (page === 'study' || page === 'sweep') ? (
        <StudyHost credentials={credentials} page={page} />
      ) : credentials && page === 'trade' ? (
        <TicketPage credentials={credentials} />
      ) : credentials ? (
        <PortfolioPage credentials={credentials} onAuthError={onAuthError} />
      ) : (
        <SignIn
          problem={problem}
          onSignIn={(c) => {
            saveCredentials(c);
            setProblem(undefined);
            setCredentials(c);
          }}
        />
      )}
    </>
  );
}

render(<App />, document.getElementById('app')!);
