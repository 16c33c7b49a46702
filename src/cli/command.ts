// How an operator command is declared, parsed (node:util parseArgs) and explained (--help).
// A group (practices, users…) is a list of commands; run.ts dispatches `<group> <command>`.
import { parseArgs } from 'node:util';
import type { CliContext } from './context.js';

export const PROGRAM = 'npm run cli --';

export interface OptionDef {
  type: 'string' | 'boolean';
  description: string;
  /** Placeholder shown in help, e.g. ID or URL. */
  value?: string;
  required?: boolean;
  multiple?: boolean;
  /** Allowed values of a string option. */
  choices?: readonly string[];
}

export type Values = Record<string, string | boolean | string[] | undefined>;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export interface Command {
  name: string;
  summary: string;
  /** Extra lines shown under the usage line. */
  details?: string;
  options: Record<string, OptionDef>;
  example: string;
  run(args: { values: Values; context: CliContext; io: CliIo }): Promise<void>;
}

export interface CommandGroup {
  name: string;
  summary: string;
  commands: Command[];
}

/** Wrong arguments: exit code 2 and the command's usage. */
export class UsageError extends Error {
  constructor(message: string, readonly help: string) {
    super(message);
  }
}

export const JSON_OPTION: OptionDef = { type: 'boolean', description: 'print JSON instead of a table (for scripts)' };

export function parseCommandArgs(group: CommandGroup, command: Command, argv: string[]): Values & { help?: boolean } {
  const help = commandHelp(group, command);
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, def] of Object.entries(command.options)) options[name] = { type: def.type, ...(def.multiple ? { multiple: true } : {}) };

  let values: Values;
  try {
    values = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as Values;
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0] ?? 'invalid arguments', help);
  }
  if (values.help) return { help: true };
  for (const [name, def] of Object.entries(command.options)) {
    const value = values[name];
    if (def.required && value === undefined) throw new UsageError(`missing --${name}`, help);
    const given = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
    for (const item of given) {
      if (item.trim() === '') throw new UsageError(`--${name} must not be empty`, help);
      if (def.choices && !def.choices.includes(item)) throw new UsageError(`--${name} must be one of ${def.choices.join(', ')}`, help);
    }
  }
  return values;
}

export function commandHelp(group: CommandGroup, command: Command): string {
  const required = Object.entries(command.options).filter(([, def]) => def.required)
    .map(([name, def]) => `--${name} ${def.value ?? 'VALUE'}`);
  const lines = [`Usage: ${PROGRAM} ${group.name} ${command.name}${required.length ? ` ${required.join(' ')}` : ''} [options]`, '', command.summary];
  if (command.details) lines.push(command.details);
  lines.push('', 'Options:');
  const rows = Object.entries(command.options).map(([name, def]) => {
    const flag = `--${name}${def.type === 'string' ? ` ${def.value ?? 'VALUE'}` : ''}`;
    const notes = [def.required ? 'required' : '', def.multiple ? 'repeatable' : ''].filter(Boolean);
    return [flag, `${def.description}${notes.length ? ` (${notes.join(', ')})` : ''}`] as const;
  });
  rows.push(['-h, --help', 'show this help']);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  for (const [flag, text] of rows) lines.push(`  ${flag.padEnd(width)}  ${text}`);
  lines.push('', 'Example:', `  ${command.example}`);
  return lines.join('\n');
}

export function groupHelp(group: CommandGroup): string {
  const width = Math.max(...group.commands.map((command) => command.name.length));
  return [
    `Usage: ${PROGRAM} ${group.name} <command> [options]`,
    '',
    group.summary,
    '',
    'Commands:',
    ...group.commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    `Run "${PROGRAM} ${group.name} <command> --help" for a command's options.`,
  ].join('\n');
}

export function programHelp(groups: CommandGroup[]): string {
  const names = groups.flatMap((group) => group.commands.map((command) => [`${group.name} ${command.name}`, command.summary] as const));
  const width = Math.max(...names.map(([name]) => name.length));
  return [
    `Usage: ${PROGRAM} <group> <command> [options]`,
    '',
    'Operator commands for the identity provider. They use the same configuration as the provider',
    '(environment variables, CONFIG_FILE): MONGODB_URI, or the embedded store in DATA_DIR (default ./data),',
    'also while the provider is running on it. Use "npm run --silent cli -- …" to keep npm\'s banner out of',
    'the output. Set DEBUG=1 to see stack traces.',
    '',
    'Commands:',
    ...names.map(([name, summary]) => `  ${name.padEnd(width)}  ${summary}`),
    '',
    `Run "${PROGRAM} <group> <command> --help" for a command's options and an example.`,
  ].join('\n');
}
