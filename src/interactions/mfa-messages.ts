// What the code page tells the user after each action: one sentence that says what happened and
// what to do next. Status codes let tests and tools tell the cases apart.
import { MAX_ATTEMPTS } from '../mfa/otp/index.js';
import type { IssueResult, VerifyResult } from '../mfa/service.js';

export interface Notice {
  kind: 'info' | 'error';
  text: string;
  status: number;
}

const NEW_CODE = 'Please request a new code.';

const waitFor = (seconds: number) => (seconds > 90 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`);

export const mfaNotice = {
  issued(result: IssueResult, asked: boolean, otherChannel: boolean): Notice | undefined {
    switch (result.status) {
      case 'sent':
        return asked ? { kind: 'info', text: `We sent a new code to ${result.view.destination}. Earlier codes no longer work.`, status: 200 } : undefined;
      case 'throttled': {
        const seconds = Math.ceil(result.view.resendInMs / 1000);
        const wait = seconds > 90 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`;
        return { kind: 'error', text: `Please wait ${wait} before asking for another code. The last code we sent still works.`, status: 429 };
      }
      case 'capped':
        return { kind: 'error', text: `You have asked for too many codes. For your security, no new code can be sent for ${waitFor(result.retryAfterSeconds)}. The last code we sent still works.`, status: 429 };
      case 'delivery_failed':
        return {
          kind: 'error',
          text: otherChannel ? result.message : 'We could not send your code. Please try again in a few minutes, or ask your practice administrator for help.',
          status: 502,
        };
    }
  },

  refused(result: VerifyResult): Notice {
    switch (result.outcome) {
      case 'wrong':
        return result.attemptsLeft > 0
          ? { kind: 'error', text: `That code is not correct. You have ${result.attemptsLeft} ${result.attemptsLeft === 1 ? 'try' : 'tries'} left.`, status: 401 }
          : { kind: 'error', text: `That code is not correct, and after ${MAX_ATTEMPTS} wrong tries it can no longer be used. ${NEW_CODE}`, status: 401 };
      case 'burned':
        return { kind: 'error', text: `This code can no longer be used after ${MAX_ATTEMPTS} wrong tries. ${NEW_CODE}`, status: 401 };
      case 'expired':
        return { kind: 'error', text: `This code has expired: codes are valid for 10 minutes. ${NEW_CODE}`, status: 401 };
      case 'used':
        return { kind: 'error', text: `This code was already used. ${NEW_CODE}`, status: 401 };
      case 'malformed':
        return { kind: 'error', text: 'Enter the 6-digit code from the message we sent.', status: 400 };
      default:
        return { kind: 'error', text: `No code is waiting here. ${NEW_CODE}`, status: 400 };
    }
  },
};
