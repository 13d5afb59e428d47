// Runs `perpguard` in-process for tests: no child process (each costs ~1 s), the streams captured.
// Signature kept stable: the examples test and the bad-input suite depend on it.
import { memoryIo } from './io.ts';
import { main } from './main.ts';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `perpguard <args...>` with `stdin` piped in (empty by default); resolves to the exit code and both streams. */
export async function runCli(args: readonly string[], options: { stdin?: string } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const streams = memoryIo(options.stdin ?? '', { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  const code = await main(['node', 'perpguard', ...args], streams);
  return { code, stdout, stderr };
}
