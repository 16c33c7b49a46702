// Does a password contain the person's own name or email? Those are the first things an attacker
// who knows the person tries.
export interface PersonInfo {
  readonly name?: string | undefined;
  readonly email?: string | undefined;
}

const MIN_PART = 3;
const parts = (text: string, separators: RegExp) => text.split(separators).filter((part) => [...part].length >= MIN_PART);

/** The lower-case words a password must not contain: email local part (and its pieces), domain name without TLD, name parts. */
export function personalWords({ name, email }: PersonInfo): string[] {
  const words = new Set<string>();
  if (email) {
    const lower = email.normalize('NFC').toLowerCase().trim();
    const at = lower.lastIndexOf('@');
    const local = at >= 0 ? lower.slice(0, at) : lower;
    const labels = at >= 0 ? lower.slice(at + 1).split('.') : [];
    for (const word of [local, ...parts(local, /[._+-]+/)]) if ([...word].length >= MIN_PART) words.add(word);
    for (const label of labels.slice(0, -1)) for (const word of [label, ...parts(label, /-+/)]) if ([...word].length >= MIN_PART) words.add(word);
  }
  if (name) for (const word of parts(name.normalize('NFC').toLowerCase(), /[^\p{L}\p{N}]+/u)) words.add(word);
  return [...words];
}

export function containsPersonalInfo(password: string, person: PersonInfo): boolean {
  const lower = password.normalize('NFC').toLowerCase();
  return personalWords(person).some((word) => lower.includes(word));
}
