// Names a store command as the cost scripts list it: `find oidc_records AuthorizationCode by _id`,
// `update users by _id+lockout.version`: command, collection, the oidc model, the filter's fields.
import type { CommandStartedEvent } from 'mongodb';

export function describeCommand(event: CommandStartedEvent): string {
  const command = event.command as Record<string, unknown>;
  const collection = String(command[event.commandName] ?? '');
  const first = (list: unknown) => (Array.isArray(list) ? (list[0] as Record<string, unknown>) : undefined);
  const filter = (command.filter ?? command.query ?? first(command.updates)?.q ?? first(command.deletes)?.q) as Record<string, unknown> | undefined;
  const id = typeof filter?._id === 'string' ? filter._id : undefined;
  const model = id?.includes(':') ? ` ${id.slice(0, id.indexOf(':'))}` : filter?.kind ? ` ${String(filter.kind)}` : '';
  const fields = filter ? ` by ${Object.keys(filter).join('+')}` : '';
  return `${event.commandName} ${collection}${model}${fields}`;
}
