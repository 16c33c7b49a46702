// Renders an email for a message from views/email/<kind>.pug (HTML, escaped by pug) and
// views/email/text/<kind>.pug (plain text). Shared by the SMTP channel and the outbox.
import { isCodeMessage, type Message, type MessageKind } from './channel.js';
import { withLanguage } from '../../i18n/request.js';
import { emailSubject, formatInstant, messageLanguage, minutes, oneLine } from './wording.js';

/** Renders a pug template by name (views/<view>.pug); the composition root hands in the app's renderer. */
export type RenderTemplate = (view: string, locals?: Record<string, unknown>) => string;

export interface EmailContent {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

const TEMPLATES: Record<MessageKind, string> = {
  sign_in_code: 'sign-in-code',
  reset_code: 'reset-code',
  phone_verification_code: 'phone-verification-code',
  password_changed: 'password-changed',
  notice: 'notice',
};

export function createEmailRenderer(render: RenderTemplate): (message: Message) => EmailContent {
  // The templates translate (`t`) and set `<html lang>` in the message's language.
  return (message) => withLanguage(messageLanguage(message), () => {
    const subject = emailSubject(message);
    const locals = { ...localsFor(message), subject };
    const template = TEMPLATES[message.kind];
    return {
      subject,
      text: `${render(`email/text/${template}`, locals).trim()}\n`,
      html: render(`email/${template}`, locals),
    };
  });
}

function localsFor(message: Message): Record<string, unknown> {
  const practiceName = message.practiceName ? oneLine(message.practiceName) : undefined;
  if (isCodeMessage(message)) return { practiceName, code: message.code, expiresIn: minutes(message.expiresInMinutes) };
  if (message.kind === 'password_changed') return { practiceName, changedAt: formatInstant(message.changedAt) };
  return { practiceName, paragraphs: message.text.split(/\n\s*\n/).map((paragraph) => paragraph.trim()).filter(Boolean) };
}
