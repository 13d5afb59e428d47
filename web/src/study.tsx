// #/study and #/sweep in the dashboard's own script: a host that loads the second bundle (/study.js and its
// styles, ./study-main.tsx) on first visit and hands the page it mounts the credentials. Kept apart so the first
// page stays in budget.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Credentials } from './credentials.ts';
import type { mountStudy, mountSweep } from './study-main.tsx';

const SCRIPT = '/study.js';
const STYLES = '/study.css';

export function StudyHost(props: { credentials: Credentials; page: 'study' | 'sweep' }) {
  const box = useRef<HTMLDivElement>(null);
  const [problem, setProblem] = useState<string | undefined>();
  useEffect(() => {
    if (!document.querySelector(`link[href="${STYLES}"]`)) document.head.append(Object.assign(document.createElement('link'), { rel: 'stylesheet', href: STYLES }));
    let unmount: (() => void) | undefined;
    let left = false;
    // a variable, not a literal: the bundler leaves the import to the browser
    const url: string = SCRIPT;
    (import(url) as Promise<{ mountStudy: typeof mountStudy; mountSweep: typeof mountSweep }>)
      .then((module) => {
        if (!left && box.current) unmount = (props.page === 'sweep' ? module.mountSweep : module.mountStudy)(box.current, props.credentials);
      })
      .catch((error: Error) => setProblem(`The ${props.page} page could not be loaded (${error.message}).`));
    return () => {
      left = true;
      unmount?.();
    };
  }, [props.credentials, props.page]);
  // the problem stays outside the box: the second bundle's Preact owns everything inside it
  return (
    <>
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
      <div class="study-host" key={props.page} ref={box} />
    </>
  );
}
