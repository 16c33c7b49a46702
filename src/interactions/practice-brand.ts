// The practice of the person signing in, once it is known: after the password step (or in a
// step-up of a session), never before, so the sign-in page cannot tell anyone which practice an
// email belongs to. Its name and logo head the code page; its language and name serve the code
// emails. Read once per user document (one request holds one), whatever asks for it.
import type { UserDoc } from '../accounts/service.js';
import type { Models } from '../store/models/index.js';
import { logoUrl } from '../store/models/practice-logo.js';

interface PracticeFacts {
  _id: unknown;
  name: string;
  language?: string | null;
  logoDigest?: string | null;
}

const read = new WeakMap<object, Promise<PracticeFacts | null>>();

export function practiceOfUser(models: Models, user: UserDoc): Promise<PracticeFacts | null> {
  let facts = read.get(user);
  if (!facts) {
    facts = models.Practice.findById(user.practiceId, { name: 1, language: 1, logoDigest: 1 }).lean<PracticeFacts>().exec();
    read.set(user, facts);
  }
  return facts;
}

/** The page header's practice: its name and, when it has one, its logo (alt text = its name). */
export async function practiceBrand(models: Models, user: UserDoc): Promise<{ practiceName?: string; practiceLogo?: string }> {
  const practice = await practiceOfUser(models, user);
  if (!practice) return {};
  const logo = logoUrl(practice);
  return { practiceName: practice.name, ...(logo ? { practiceLogo: logo } : {}) };
}
