// The practice of the person signing in, once it is known: after the password step (or in a
// step-up of a session), never before, so the sign-in page cannot tell anyone which practice an
// email belongs to. Its name and logo head the code page; its language and name serve the code
// emails. Read once per user document (one request holds one), whatever asks for it.
// Before the password, the only practice a page may show is the app's own: an app registered to
// one practice (client `practice_id`) heads its sign-in page with that practice, whoever signs in.
import type { UserDoc } from '../accounts/service.js';
import type { Models } from '../store/models/index.js';
import { currentReads } from '../oidc/request-reads.js';
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

/**
 * The sign-in page's header for an app registered to one practice: that practice's name and logo,
 * read with the interaction (read-ahead.ts); nothing for an app any practice's people use.
 */
export async function appPracticeBrand(models: Models, clientId: string): Promise<{ practiceName?: string; practiceLogo?: string }> {
  const reads = currentReads(models);
  const client = clientId ? await reads.client(clientId) : null;
  const practice = client?.practiceId ? await reads.practice(client.practiceId) : null;
  if (!practice) return {};
  const logo = logoUrl(practice);
  return { practiceName: practice.name, ...(logo ? { practiceLogo: logo } : {}) };
}
