// `users deactivate|activate` and `memberships deactivate|activate`: a person's access to ONE
// practice (src/commands/set-member-active.ts), never the whole identity. The practice is --practice,
// or the person's only membership; with several, the operator must name one (the error lists them).
import type { UserDoc } from '../accounts/service.js';
import { setMemberActive, OPERATOR } from '../commands/index.js';
import { appError } from '../errors.js';
import type { Values } from './command.js';
import type { CliContext } from './context.js';
import { practiceById, userByEmail } from './operator.js';

/** The practice whose membership the command acts on: named, or the only one (invitations do not count). */
export async function memberPractice(context: CliContext, user: UserDoc, named: Values[string]) {
  if (named !== undefined) {
    const practice = await practiceById(context, named);
    const membership = await context.models.Membership.exists({ userId: user._id, practiceId: practice._id, status: { $ne: 'invited' } });
    if (!membership) throw appError('invalid_input', { detail: 'not a member of the named practice', message: `${user.email} is not a member of ${practice.name} (${String(practice._id)}).` });
    return practice;
  }
  const memberships = await context.models.Membership.find({ userId: user._id, status: { $ne: 'invited' } }, { practiceId: 1 }).sort({ createdAt: 1 }).lean();
  const practices = await context.models.Practice.find({ _id: { $in: memberships.map((m) => m.practiceId) } }, { name: 1 }).lean();
  if (practices.length === 1) return practices[0]!;
  if (practices.length === 0) throw appError('invalid_input', { detail: 'no membership', message: `${user.email} is a member of no practice.` });
  const listed = practices.map((practice) => `${practice.name} (${String(practice._id)})`).join(', ');
  throw appError('invalid_input', {
    detail: 'several memberships, no --practice',
    message: `${user.email} is a member of ${practices.length} practices: ${listed}. Name the one to change with --practice ID (the others stay as they are).`,
  });
}

export const setMemberActiveCommand = (active: boolean) => async ({ values, context, io }: { values: Values; context: CliContext; io: { out(text: string): void } }) => {
  const user = await userByEmail(context, values);
  const practice = await memberPractice(context, user, values.practice);
  const { changed, ended } = await setMemberActive(await context.deps(), OPERATOR, practice._id, user, active);
  const signedOut = ended && (ended.sessions > 0 || ended.grants > 0) ? `; ${ended.sessions} ${ended.sessions === 1 ? 'session' : 'sessions'} that entered it ended` : '';
  if (!changed) return io.out(`${user.email} is already ${active ? 'active' : 'deactivated'} in ${practice.name}${signedOut}`);
  io.out(`${active ? 'Activated' : 'Deactivated'} ${user.email} in ${practice.name}${signedOut}`);
};
