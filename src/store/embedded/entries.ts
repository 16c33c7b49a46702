/**
 * The journal's vocabulary: each entry records a resulting state (a whole document, a deletion,
 * an index or collection change), never a command, so replaying is deterministic and replaying
 * an already-applied suffix again is harmless.
 */
import type { Doc } from './bson-util.js';

export type JournalEntry =
  | { op: 'put'; ns: string; doc: Doc }
  | { op: 'del'; ns: string; id: unknown }
  | { op: 'createCollection'; ns: string; options: Doc }
  | { op: 'dropCollection'; ns: string }
  | { op: 'createIndex'; ns: string; spec: Doc }
  | { op: 'dropIndex'; ns: string; name: string }
  | { op: 'dropDatabase'; db: string };

/** Where state changes are recorded; memory-only stores use a sink that drops them. */
export interface JournalSink {
  append(entry: JournalEntry): void;
}

export const DISCARD: JournalSink = { append: () => undefined };
