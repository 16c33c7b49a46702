// An operator command about one user named by --email (unlock, forget devices, end sessions, set a
// password…): the option, the lookup with a message the operator can act on, and the one line the
// command prints, written once for every such command.
import type { UserDoc } from '../accounts/service.js';
import type { CliIo, Command } from './command.js';
import type { CliContext } from './context.js';
import { EMAIL, userByEmail } from './operator.js';

export interface UserCommandSpec extends Omit<Command, 'options' | 'run'> {
  /** Does the work for the user found; returns the line to print. */
  act(args: { user: UserDoc; context: CliContext; io: CliIo }): Promise<string>;
}

export function userCommand({ act, ...command }: UserCommandSpec): Command {
  return {
    ...command,
    options: { email: EMAIL },
    async run({ values, context, io }) {
      const user = await userByEmail(context, values);
      io.out(await act({ user, context, io }));
    },
  };
}
