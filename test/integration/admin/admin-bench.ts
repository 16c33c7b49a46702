// Shared by the admin tests of users, practice security, isolation and the gate: two practices
// with an admin each, a signed-in (MFA-level) admin browser, and helpers to post admin forms, to
// sign a user in to a module, and to read the audit entries of an event.
import { expect } from 'chai';
import type { Types } from 'mongoose';
import type { UserDoc } from '../../../src/accounts/service.js';
import type { MfaPolicy } from '../../../src/store/models/practice.js';
import { adminSignIn } from '../../helpers/admin-signin.js';
import { Browser, field, type Page } from '../../helpers/browser.js';
import { finishAt, isCodePage, passwordStep, startMfaBench, submitCode, type MfaBench } from '../../helpers/mfa.js';

export const PASSWORD = 'Quiet-Harbor-Lantern-0123!';

export interface AdminBench {
  bench: MfaBench;
  practiceId: Types.ObjectId;
  otherPracticeId: Types.ObjectId;
  admin: UserDoc;
  /** The admin of the other practice (its data must stay out of reach). */
  otherAdmin: UserDoc;
  browser: Browser;
  url(path: string): string;
  /** A fresh CSRF token of the admin browser. */
  csrf(): Promise<string>;
  /** Posts an admin form with a valid CSRF token. */
  post(path: string, form?: Record<string, string>): Promise<Page>;
  /** The audit entries of `event` about `userSub` (or the practice), oldest first. */
  audited(event: string, userSub?: string): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

export async function startAdminBench(mfaPolicy: MfaPolicy = 'risk'): Promise<AdminBench> {
  const bench = await startMfaBench({ mfaPolicy });
  const { server } = bench;
  const practiceId = (await server.createPractice({ name: 'Seaside Clinic', mfaPolicy }))._id;
  const otherPracticeId = (await server.createPractice({ name: 'Hilltop Clinic', mfaPolicy }))._id;
  const admin = await server.createUser({ practiceId, email: 'ada.admin@seaside.test', name: 'Ada Admin', role: 'admin', password: PASSWORD });
  const otherAdmin = await server.createUser({ practiceId: otherPracticeId, email: 'hal.admin@hilltop.test', name: 'Hal Admin', role: 'admin', password: PASSWORD });
  const { browser, page } = await adminSignIn(bench, admin, PASSWORD, '/admin/users');
  expect(page.status, 'admin signed in').to.equal(200);
  const url = (path: string) => server.url(path);
  const csrf = async () => field((await browser.get(url('/admin/users/new'))).html, '_csrf');
  return {
    bench, practiceId, otherPracticeId, admin, otherAdmin, browser, url, csrf,
    post: async (path, form = {}) => browser.post(url(path), { _csrf: await csrf(), ...form }),
    audited: async (event, userSub) => {
      const entries = await server.models.AuditEntry.collection.find({ event, ...(userSub ? { userSub } : {}) }).sort({ seq: 1 }).toArray();
      return entries as Array<Record<string, unknown>>;
    },
    close: () => bench.close(),
  };
}

/**
 * Signs `user` in to the charting module, in a fresh browser unless one is given (the code, when asked for, read from
 * the email catcher or, with `sms`, the text catcher); returns the browser and whether a code was asked.
 */
export async function signInToModule(bench: MfaBench, user: Pick<UserDoc, 'email' | 'phone'>, options: { sms?: boolean; browser?: Browser } = {}): Promise<{ browser: Browser; askedForCode: boolean }> {
  const browser = options.browser ?? new Browser({ from: '203.0.113.50' });
  const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD);
  const askedForCode = isCodePage(attempt.page);
  let page = attempt.page;
  if (askedForCode) {
    const code = options.sms ? (await bench.sms.nextTo(user.phone!)).code : (await bench.mail.nextTo(user.email)).code;
    page = await submitCode(browser, attempt.page, code!);
  }
  await finishAt(browser, attempt, bench.charting, page);
  return { browser, askedForCode };
}

/** The provider sessions the store holds for a user. */
export function sessionsOf(bench: MfaBench, sub: string): Promise<number> {
  return bench.server.models.OidcRecord.collection.countDocuments({ kind: 'Session', accountId: sub });
}
