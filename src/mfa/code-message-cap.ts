// The per-user cap on code messages (sign-in codes, resends, password-reset codes, phone
// verification), across every sign-in and every page: CODE_MESSAGES_MAX (default 5) in any
// CODE_MESSAGES_MINUTES (default 15), a sliding window. Each message is one record in
// `code_messages` (removed by a TTL index when it leaves the window).
//
// A message is reserved before it is sent: insert, then count; over the cap the reservation is
// taken back and nothing is sent, so refused requests never use up the allowance, and two parallel
// requests can never both squeeze past the last slot. A reservation stays once the send was tried,
// whatever the provider answered: a failed or timed-out send may still have cost money or arrived.
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';

export const CODE_MESSAGES_COLLECTION = 'code_messages';

export interface CodeMessageSettings {
  max: number;
  windowMs: number;
}

export const DEFAULT_CODE_MESSAGES: CodeMessageSettings = Object.freeze({ max: 5, windowMs: 15 * 60_000 });

export type Reservation =
  | { allowed: true; /** Takes the reservation back: call it only when the message was not tried. */ release(): Promise<void> }
  | { allowed: false; retryAfterSeconds: number };

export type CodeMessageCap = ReturnType<typeof createCodeMessageCap>;

interface MessageRecord {
  _id: string;
  userSub: string;
  at: Date;
  expiresAt: Date;
}

export function createCodeMessageCap({ connection, now, settings = DEFAULT_CODE_MESSAGES }: { connection: Connection; now: () => number; settings?: CodeMessageSettings }) {
  const db = connection.db;
  if (!db) throw new Error('the code message cap needs an open store connection');
  const records = db.collection<MessageRecord>(CODE_MESSAGES_COLLECTION);
  let indexes: Promise<unknown> | undefined;
  const ensureIndexes = () => (indexes ??= Promise.all([
    records.createIndex({ userSub: 1, at: 1 }),
    records.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 }),
  ]).catch((err: unknown) => {
    indexes = undefined;
    throw err;
  }));

  return {
    settings,
    /** One message to `userSub`, if the cap allows it now. */
    async reserve(userSub: string): Promise<Reservation> {
      await ensureIndexes();
      const at = now();
      const _id = randomUUID();
      await records.insertOne({ _id, userSub, at: new Date(at), expiresAt: new Date(at + settings.windowMs) });
      const inWindow = await records.find({ userSub, at: { $gt: new Date(at - settings.windowMs) } }, { projection: { at: 1 } }).sort({ at: 1 }).toArray();
      if (inWindow.length <= settings.max) return { allowed: true, release: async () => { await records.deleteOne({ _id }); } };
      await records.deleteOne({ _id });
      // Free again when enough of the earlier messages have left the window.
      const others = inWindow.filter((record) => record._id !== _id);
      const freeing = others[others.length - settings.max];
      const retryAfterMs = freeing ? new Date(freeing.at).getTime() + settings.windowMs - at : settings.windowMs;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
    },
  };
}
