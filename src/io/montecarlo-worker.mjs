// Piscina worker entry: registers tsx's loader in this thread, then runs batches of paths.
import { register } from 'tsx/esm/api';

register();
const { runTask } = await import('./montecarlo-task.ts');

export default function run(task) {
  return runTask(task);
}
