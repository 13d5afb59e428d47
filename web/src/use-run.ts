// One signed GET at a time per form (the advisor's forms, the study page's): its answer, the server's
// one-line refusal in plain words, or "running" while it is on its way.
import { useState } from 'preact/hooks';
import { signed } from './api.ts';
import type { Credentials } from './credentials.ts';
import { plainError } from './errors.ts';

export function useRun<T>(credentials: Credentials, path: string) {
  const [answer, setAnswer] = useState<T | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [running, setRunning] = useState(false);
  const run = async (params: Record<string, string>) => {
    setRunning(true);
    try {
      setAnswer(await signed<T>(credentials, 'GET', path, params));
      setProblem(undefined);
    } catch (error) {
      setAnswer(undefined);
      setProblem(plainError(error));
    } finally {
      setRunning(false);
    }
  };
  return { answer, problem, running, run };
}
