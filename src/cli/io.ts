// The CLI's standard streams, swappable so that tests run `perpguard` in-process (test-support.ts) and every
// command writes through one place. main() installs the streams for the length of one run; the command
// modules call out()/readStdinText()/setExitCode() instead of touching `process` directly.
import { readSync } from 'node:fs';
import { Readable } from 'node:stream';

export interface CliIo {
  /** Writes to standard output. */
  readonly stdout: (text: string) => void;
  /** Writes to standard error. */
  readonly stderr: (text: string) => void;
  /** The whole of standard input, read to end of file. */
  readonly readStdin: () => string;
  /** Standard input as a stream, for the interactive checklist (one answer per line). */
  readonly stdinStream: () => NodeJS.ReadableStream;
  /** True when standard input is a terminal (nothing piped in). */
  readonly stdinIsTTY: boolean;
  /** True when standard error is a terminal (progress bars). */
  readonly stderrIsTTY: boolean;
  /** The terminal's width when standard output is one (tables fit it), else undefined. */
  readonly stdoutColumns?: number | undefined;
}

/** Standard input to end of file, whatever its size: readFileSync(0) fails with EAGAIN on a non-blocking pipe. */
export function readAllSync(fd: number): string {
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(1 << 16);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buffer, 0, buffer.length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // the writer has not caught up yet: wait a little without spinning, then read on
      if (code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, 2);
        continue;
      }
      if (code === 'EOF') break; // Windows: a closed pipe
      throw error;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buffer.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString('utf8');
}

export const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  readStdin: () => readAllSync(0),
  stdinStream: () => process.stdin,
  get stdinIsTTY() {
    return process.stdin.isTTY === true;
  },
  get stderrIsTTY() {
    return process.stderr.isTTY === true;
  },
  get stdoutColumns() {
    return process.stdout.isTTY ? process.stdout.columns : undefined;
  },
};

/** Streams over strings: what the tests give and collect. */
export function memoryIo(stdinText: string, sinks: { stdout: (t: string) => void; stderr: (t: string) => void }, stdoutColumns?: number): CliIo {
  return {
    stdout: sinks.stdout,
    stderr: sinks.stderr,
    readStdin: () => stdinText,
    stdinStream: () => Readable.from([stdinText]),
    stdinIsTTY: false,
    stderrIsTTY: false,
    stdoutColumns,
  };
}

let current: CliIo = processIo;
let exitCode: number | undefined;

/** The streams of the run in progress. */
export function io(): CliIo {
  return current;
}

export function out(text: string): void {
  current.stdout(text);
}

export function readStdinText(): string {
  return current.readStdin();
}

/** A command's own exit code (checklist: 3 when not ready; run: 1 when the audit fails). */
export function setExitCode(code: number): void {
  exitCode = code;
}

/** Runs one command with these streams; returns what it did and the exit code it asked for. */
export async function withIo<T>(streams: CliIo, body: () => Promise<T>): Promise<{ value: T; exitCode: number | undefined }> {
  const previous = current;
  const previousCode = exitCode;
  current = streams;
  exitCode = undefined;
  try {
    const value = await body();
    return { value, exitCode };
  } finally {
    current = previous;
    exitCode = previousCode;
  }
}
