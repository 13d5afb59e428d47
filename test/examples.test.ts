// Every example runs as written: each `perpguard …` / `npx perpguard …` command in README.md's code blocks
// and in every command's and subcommand's --help is run in-process (src/cli/test-support.ts) with its
// exit code checked (0, or the code its line states as a trailing `# exit N` comment), and where README
// shows output under a `$ ` command, every shown line must appear in the real output. Lines are compared
// without table borders and with runs of spaces collapsed, so a shown line may leave the rules out; a line
// "…" stands for output left out. Tables are printed at the default 100 columns, and no line may be wider.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildProgram } from '../src/cli/main.ts';
import { runCli } from '../src/cli/test-support.ts';
import type { Command } from 'commander';

const root = fileURLToPath(new URL('..', import.meta.url));
// README's paths (examples/…, data/…) are relative to the clone; each test file runs in its own process
process.chdir(root);

export interface Example {
  readonly where: string;
  readonly line: string;
  readonly args: string[];
  readonly stdin: string;
  readonly exitCode: number;
  /** Lines README shows under the command (empty: none shown). */
  readonly shown: string[];
}

/** Splits a shell word list: '…' literal, "…" with \" and \\, backslash escapes outside quotes. */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unclosed ' in: ${text}`);
      word += text.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      i++;
      for (; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) i++;
        word += text[i];
      }
      if (i >= text.length) throw new Error(`unclosed " in: ${text}`);
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** Where an unquoted character occurs first (for `|` and `#`), or -1. */
function unquotedIndex(text: string, target: RegExp): number {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (target.test(text.slice(i, i + 2))) return i;
  }
  return -1;
}

/** printf's escapes that examples use. */
const printfText = (format: string): string => format.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/%%/g, '%');

/** One command line as a shell would run it: `[producer |] [npx] perpguard args [< file] [# exit N]`. */
export function parseCommand(line: string, where: string, shown: string[] = []): Example {
  let text = line.replace(/^\$\s+/, '');
  let exitCode = 0;
  const hash = unquotedIndex(text, /^\s#/);
  if (hash >= 0) {
    const comment = text.slice(hash).trim();
    const stated = /^#\s*exit (\d+)/.exec(comment);
    if (stated) exitCode = Number(stated[1]);
    text = text.slice(0, hash);
  }
  const pipe = unquotedIndex(text, /^\|/);
  let stdin = '';
  let command = text;
  if (pipe >= 0) {
    const [producer, ...producerArgs] = shellWords(text.slice(0, pipe));
    command = text.slice(pipe + 1);
    if (producer === 'echo') stdin = `${producerArgs.join(' ')}\n`;
    else if (producer === 'printf') stdin = printfText(producerArgs[0] ?? '');
    else if (producer === 'cat') stdin = readFileSync(producerArgs[0]!, 'utf8');
    else throw new Error(`${where}: cannot run the producer "${producer}" of: ${line}`);
  }
  const words = shellWords(command);
  const redirect = words.indexOf('<');
  if (redirect >= 0) {
    stdin = readFileSync(words[redirect + 1]!, 'utf8');
    words.splice(redirect, 2);
  }
  if (words[0] === 'npx') words.shift();
  if (words.shift() !== 'perpguard') throw new Error(`${where}: not a perpguard command: ${line}`);
  return { where, line, args: words, stdin, exitCode, shown };
}

const isCommand = (line: string): boolean => /^(\$\s+)?(.*\|\s*)?(npx\s+)?perpguard(\s|$)/.test(line.trim());

/** The commands of README.md's code blocks, with the output shown under each `$ ` command. */
export function readmeExamples(markdown: string): Example[] {
  const examples: Example[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(\w*)/.exec(lines[i]!);
    if (!fence) continue;
    const block: { text: string; n: number }[] = [];
    for (i++; i < lines.length && !lines[i]!.startsWith('```'); i++) block.push({ text: lines[i]!, n: i + 1 });
    if (!['', 'sh', 'bash', 'console', 'shell', 'text'].includes(fence[1]!)) continue;
    for (let j = 0; j < block.length; j++) {
      const { text, n } = block[j]!;
      if (!isCommand(text)) continue;
      const shown: string[] = [];
      if (text.startsWith('$')) {
        for (let k = j + 1; k < block.length && !block[k]!.text.startsWith('$'); k++) shown.push(block[k]!.text);
      }
      examples.push(parseCommand(text.trim(), `README.md:${n}`, shown));
    }
  }
  // runnable commands in the prose too: `perpguard …` code spans with a file or a flag (not the syntax
  // summaries of the commands table, with their [options], alternatives and …)
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, (block) => block.replace(/[^\n]/g, ' '));
  for (const m of prose.matchAll(/`((?:npx\s+)?perpguard\s[^`]+)`/g)) {
    const text = m[1]!.replace(/\s+/g, ' ').trim();
    if (/[[…<|]/.test(text) || !/(--\w|\/)/.test(text)) continue;
    const n = prose.slice(0, m.index).split('\n').length;
    examples.push(parseCommand(text, `README.md:${n}`));
  }
  return examples;
}

/** Every command and subcommand's path: [], ['calc'], ['advise'], ['advise', 'size'], … */
function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return [prefix, ...command.commands.flatMap((c) => commandPaths(c, [...prefix, c.name()]))];
}

/** Comparable form of a line: no table borders, runs of spaces as one. */
const normal = (line: string): string => line.replace(/[│┌┐└┘├┤┬┴┼─]/g, ' ').replace(/\s+/g, ' ').trim();

// README's prose and a --help may give the same command: it runs once (the slow advisor examples cost seconds)
const runs = new Map<string, ReturnType<typeof runCli>>();
function once(example: Example): ReturnType<typeof runCli> {
  const key = JSON.stringify([example.args, example.stdin]);
  if (!runs.has(key)) runs.set(key, runCli(example.args, { stdin: example.stdin }));
  return runs.get(key)!;
}

/** Runs one example; returns what is wrong with it, or undefined. */
async function problem(example: Example): Promise<string | undefined> {
  const r = await once(example);
  const context = `${example.where}: ${example.line}\n--- stderr\n${r.stderr}--- stdout (first lines)\n${r.stdout.split('\n').slice(0, 12).join('\n')}`;
  if (r.code !== example.exitCode) return `exit ${r.code}, expected ${example.exitCode}: ${context}`;
  // tables for people fit the default 100 columns (JSON is for programs)
  const widest = Math.max(...r.stdout.split('\n').map((l) => [...l].length));
  if (!example.args.includes('--json') && widest > 100) return `a line of ${widest} columns (more than 100): ${context}`;
  const actual = `${r.stdout}\n${r.stderr}`.split('\n').map(normal);
  for (const shownLine of example.shown) {
    const want = normal(shownLine);
    if (want === '' || want === '…') continue;
    if (!actual.some((line) => line.includes(want))) return `README shows "${want}", not in the output of ${context}`;
  }
  return undefined;
}

/** Every example is run, and every one that fails is reported (not only the first). */
async function checkAll(examples: readonly Example[]): Promise<void> {
  const problems: string[] = [];
  for (const example of examples) {
    const p = await problem(example).catch((error: Error) => `${example.where}: ${example.line}: ${error.message}`);
    if (p) problems.push(p);
  }
  assert.equal(problems.length, 0, `${problems.length} of ${examples.length} examples fail:\n\n${problems.join('\n\n')}`);
}

describe('every example runs as written', () => {
  it('README.md: every perpguard command in a code block, and the output it shows', async () => {
    const examples = readmeExamples(readFileSync('README.md', 'utf8'));
    assert.ok(examples.length >= 5, `only ${examples.length} examples found in README.md`);
    await checkAll(examples);
  });
  it('--help of every command and subcommand, and every example it gives', async () => {
    const paths = commandPaths(buildProgram());
    assert.ok(paths.length >= 15, `only ${paths.length} commands`);
    const examples: Example[] = [];
    for (const path of paths) {
      const help = await runCli([...path, '--help']);
      assert.equal(help.code, 0, `perpguard ${path.join(' ')} --help: ${help.stderr}`);
      assert.match(help.stdout, /^Usage: perpguard/);
      for (const line of help.stdout.split('\n')) {
        // examples are indented lines that run perpguard (possibly fed by cat … |)
        if (/^\s{2,}\S/.test(line) && isCommand(line) && !/^\s+-/.test(line)) {
          try {
            examples.push(parseCommand(line.trim(), `perpguard ${path.join(' ')} --help`));
          } catch (error) {
            examples.push({ where: `perpguard ${path.join(' ')} --help`, line: line.trim(), args: ['--unparsable-example', (error as Error).message], stdin: '', exitCode: 0, shown: [] });
          }
        }
      }
    }
    assert.ok(examples.length >= 10, `only ${examples.length} examples in the help texts`);
    await checkAll(examples);
  });
});

describe('the example runner itself', () => {
  it('reads pipes, quotes, redirects and stated exit codes', () => {
    const e = parseCommand(`$ printf '1\\n2\\n' | npx perpguard checklist --x "a b"   # exit 3`, 'test');
    assert.deepEqual([e.args, e.stdin, e.exitCode], [['checklist', '--x', 'a b'], '1\n2\n', 3]);
    const j = parseCommand(`echo '{"a":"b c"}' | perpguard calc`, 'test');
    assert.deepEqual([j.args, j.stdin, j.exitCode], [['calc'], '{"a":"b c"}\n', 0]);
    assert.throws(() => parseCommand('rm -rf / | perpguard calc', 'test'), /cannot run the producer "rm"/);
  });
  it('reports a shown line that the output does not have, and a wrong exit code', async () => {
    const size = parseCommand('perpguard advise size --portfolio 10000 --risk 2 --entry 60000 --stop 58800 --leverage 10', 'test', [
      '│ quantity (rounded down to the step 0.001)            │ 0.159 │',
    ]);
    assert.match((await problem(size)) ?? '', /README shows "quantity \(rounded down to the step 0\.001\) 0\.159"/);
    assert.equal(await problem({ ...size, shown: ['quantity (rounded down to the step 0.001) 0.158'] }), undefined);
    assert.match((await problem({ ...size, exitCode: 3 })) ?? '', /^exit 0, expected 3/);
  });
  it('takes the shown output up to the next command of the block', () => {
    const md = ['```', '$ perpguard calc a.json', 'line 1', '', '$ perpguard run b.json', '```', '```json', 'perpguard x', '```'].join('\n');
    const found = readmeExamples(md);
    assert.deepEqual(found.map((e) => [e.args, e.shown]), [[['calc', 'a.json'], ['line 1', '']], [['run', 'b.json'], []]]);
    const prose = readmeExamples('run `perpguard calc\nexamples/a.json`, not `perpguard calc [file]` nor `perpguard study`');
    assert.deepEqual(prose.map((e) => [e.where, e.args]), [['README.md:1', ['calc', 'examples/a.json']]]);
  });
});
