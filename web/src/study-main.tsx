// The study and sweep pages' own bundle (/study.js), loaded only when #/study or #/sweep opens: it carries uPlot and the report
// components (../report/), which would put the dashboard's first script over its 80 kB budget. It renders
// into the element the dashboard gives it, with its own Preact, and is taken down when the page is left.
import { render } from 'preact';
import type { Credentials } from './credentials.ts';
import { StudyPage } from './study/study-page.tsx';
import { SweepPage } from './sweep/sweep-page.tsx';

export function mountStudy(element: HTMLElement, credentials: Credentials): () => void {
  render(<StudyPage credentials={credentials} />, element);
  return () => render(null, element);
}

/** #/sweep (./sweep/sweep-page.tsx): in this bundle too, beside the report components it shares with the study. */
export function mountSweep(element: HTMLElement, credentials: Credentials): () => void {
  render(<SweepPage credentials={credentials} />, element);
  return () => render(null, element);
}
