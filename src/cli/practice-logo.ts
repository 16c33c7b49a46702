// practices logo: set or remove a practice's logo from the command line, through the same command
// (src/commands/practice-logo.ts) and the same checks as the admin upload on Practice security.
import { open } from 'node:fs/promises';
import { OPERATOR, setPracticeLogo } from '../commands/index.js';
import { PROGRAM, UsageError, commandHelp, type Command } from './command.js';
import { practiceById } from './operator.js';

/** Read at most this much of the file: anything longer is refused as too large by the check. */
const READ_LIMIT = 100 * 1024 + 1;

export const practiceLogo: Command = {
  name: 'logo',
  summary: "Set or remove a practice's logo (shown on its users' pages; PNG, JPEG or WebP, at most 100 KB).",
  options: {
    practice: { type: 'string', value: 'ID', required: true, description: 'practice id (see "practices list")' },
    file: { type: 'string', value: 'PATH', description: 'the image to use as the logo' },
    remove: { type: 'boolean', description: 'remove the logo' },
  },
  example: `${PROGRAM} practices logo --practice 665f1c2e9b1e8a0012345678 --file ./logo.png`,
  async run({ values, context, io }) {
    const file = typeof values.file === 'string' ? values.file : undefined;
    if (!file === !values.remove) throw new UsageError('give either --file PATH or --remove', commandHelp({ name: 'practices', summary: '', commands: [] }, practiceLogo));
    const practice = await practiceById(context, values.practice);
    const image = file ? await readLimited(file) : null;
    const changed = await setPracticeLogo(await context.deps(), OPERATOR, practice._id, image);
    io.out(image ? `Logo of practice "${practice.name}" saved.` : changed ? `Logo of practice "${practice.name}" removed.` : `Practice "${practice.name}" has no logo: nothing changed.`);
  },
};

async function readLimited(path: string): Promise<{ bytes: Buffer; truncated: boolean }> {
  try {
    const file = await open(path);
    try {
      const buffer = Buffer.alloc(READ_LIMIT);
      const { bytesRead } = await file.read(buffer, 0, READ_LIMIT, 0);
      // One byte past the limit read means the file is larger: the check refuses it as too large.
      return { bytes: buffer.subarray(0, bytesRead), truncated: bytesRead === READ_LIMIT };
    } finally {
      await file.close();
    }
  } catch (err) {
    throw new UsageError(`--file ${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, commandHelp({ name: 'practices', summary: '', commands: [] }, practiceLogo));
  }
}
