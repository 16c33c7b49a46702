// What the code page tells the user after each action: one sentence that says what happened and
// what to do next. Status codes let tests and tools tell the cases apart.
import { t } from '../i18n/request.js';
import { MAX_ATTEMPTS } from '../mfa/otp/index.js';
import type { IssueResult, VerifyResult } from '../mfa/service.js';

export interface Notice {
  kind: 'info' | 'error';
  text: string;
  status: number;
}

const waitFor = (seconds: number) => (seconds > 90 ? t('common:minutes', { count: Math.ceil(seconds / 60) }) : t('common:seconds', { count: seconds }));

export const mfaNotice = {
  issued(result: IssueResult, asked: boolean, otherChannel: boolean): Notice | undefined {
    switch (result.status) {
      case 'sent':
        return asked ? { kind: 'info', text: t('signin:code.new_code_sent', { destination: result.view.destination }), status: 200 } : undefined;
      case 'throttled': {
        const seconds = Math.ceil(result.view.resendInMs / 1000);
        return { kind: 'error', text: t('signin:code.wait_before_resend', { wait: waitFor(seconds) }), status: 429 };
      }
      case 'capped':
        return { kind: 'error', text: t('signin:code.capped', { wait: waitFor(result.retryAfterSeconds) }), status: 429 };
      case 'delivery_failed':
        return {
          kind: 'error',
          text: otherChannel ? result.message : t('signin:code.not_sent'),
          status: 502,
        };
    }
  },

  refused(result: VerifyResult): Notice {
    switch (result.outcome) {
      case 'wrong':
        return result.attemptsLeft > 0
          ? { kind: 'error', text: t('signin:code.wrong', { count: result.attemptsLeft }), status: 401 }
          : { kind: 'error', text: t('signin:code.wrong_last', { max: MAX_ATTEMPTS }), status: 401 };
      case 'burned':
        return { kind: 'error', text: t('signin:code.burned', { max: MAX_ATTEMPTS }), status: 401 };
      case 'expired':
        return { kind: 'error', text: t('signin:code.expired'), status: 401 };
      case 'used':
        return { kind: 'error', text: t('signin:code.used'), status: 401 };
      case 'malformed':
        return { kind: 'error', text: t('signin:code.malformed'), status: 400 };
      default:
        return { kind: 'error', text: t('signin:code.none_waiting'), status: 400 };
    }
  },
};
