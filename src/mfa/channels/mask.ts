// Recipients as operators and development tools may show them: enough to recognise, not to use.
const HIDDEN = '•••';

/** `+15551234821` -> `••• ••• 4821`: only the last four digits stay. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length >= 7 ? `${HIDDEN} ${HIDDEN} ${digits.slice(-4)}` : HIDDEN;
}

/** `jane.doe@clinic.example` -> `j•••@clinic.example`: the first character and the domain stay. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1) return HIDDEN;
  return `${[...email.slice(0, at)][0]}${HIDDEN}${email.slice(at)}`;
}

/** Masks either kind of recipient, telling them apart by the `@`. */
export function maskRecipient(to: string): string {
  return to.includes('@') ? maskEmail(to) : maskPhone(to);
}
