// Signs a person in to the twin bench's module in a new browser, entering the practice named by
// `practice_hint`; returns the browser and the browser session the sign-in recorded for that practice.
import { expect } from 'chai';
import type { Types } from 'mongoose';
import { Browser } from '../../helpers/browser.js';
import { finishAt, isCodePage, passwordStep, submitCode } from '../../helpers/mfa.js';
import { PASSWORD, type TwinBench } from '../commands/bench.js';

export async function signInThrough(t: TwinBench, person: { email: string; sub: string }, practiceId: Types.ObjectId, from: string): Promise<{ browser: Browser; sessionUid: string }> {
  const browser = new Browser({ from });
  const known = new Set((await t.bench.server.models.PracticeEntry.find({ accountId: person.sub }).lean()).map((entry) => entry.sessionUid));
  const attempt = await passwordStep(browser, t.records, person.email, PASSWORD, { practice_hint: String(practiceId) });
  const page = isCodePage(attempt.page) ? await submitCode(browser, attempt.page, (await t.bench.mail.nextTo(person.email)).code!) : attempt.page;
  await finishAt(browser, attempt, t.records, page);
  const entry = (await t.bench.server.models.PracticeEntry.find({ accountId: person.sub, practiceId }).lean()).find((candidate) => !known.has(candidate.sessionUid));
  expect(entry, 'the sign-in recorded the practice it entered').to.exist;
  return { browser, sessionUid: entry!.sessionUid! };
}

/** The browser sessions (uids) the store holds for a person. */
export async function sessionUidsOf(t: TwinBench, sub: string): Promise<string[]> {
  const records = await t.bench.server.models.OidcRecord.collection.find({ kind: 'Session', accountId: sub }).toArray();
  return records.map((record) => (JSON.parse(String(record.payload)) as { uid: string }).uid);
}
