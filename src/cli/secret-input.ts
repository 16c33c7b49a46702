// Passwords reach the CLI on stdin, never in argv (argv is visible to every user through `ps`).
// Piped: the whole input, minus one trailing newline. A terminal: a prompt that does not echo,
// asked twice so a typo cannot lock the user out.
import { type AppError, appError } from '../errors.js';
import { PASSWORD_MAX_LENGTH } from '../accounts/password.js';
import type { CliIo } from './command.js';

/** Far above any password; stops a wrong pipe (a file, /dev/zero) from filling memory. */
const MAX_INPUT_BYTES = 4 * PASSWORD_MAX_LENGTH;

export async function readPassword(io: CliIo, prompt = 'New password: '): Promise<string> {
  const stdin = io.stdin as NodeJS.ReadStream;
  if (stdin.isTTY && typeof stdin.setRawMode === 'function') {
    const first = await promptHidden(stdin, prompt);
    const second = await promptHidden(stdin, 'Repeat the password: ');
    if (first !== second) throw inputError('the two passwords differ');
    return first;
  }
  const password = (await readAll(stdin)).replace(/\r?\n$/, '');
  if (!password) throw inputError('no password on stdin (pipe it in, e.g. printf \'%s\\n\' "$PASSWORD" | …)');
  return password;
}

async function readAll(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    size += buffer.length;
    if (size > MAX_INPUT_BYTES) throw inputError('the password on stdin is too long');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function promptHidden(stdin: NodeJS.ReadStream, prompt: string): Promise<string> {
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (outcome: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      outcome();
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish(() => resolve(value));
        if (char === '\u0003' || char === '\u0004') return finish(() => reject(inputError('cancelled')));
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else if (char >= ' ') value += char;
      }
    };
    stdin.on('data', onData);
  });
}

function inputError(message: string): AppError {
  return appError('invalid_input', { message });
}
