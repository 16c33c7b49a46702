// Times on the audit page: UTC (what is stored and exported) and the same instant in a named time
// zone. Our pages run no scripts (CSP), so "local" cannot be the reader's browser zone: it is the
// practice's zone (set on Practice security) or, when none is set, the server's (the TZ the
// service runs with), named on the page.
import { isTimeZone } from '../../store/models/practice.js';

const SERVER_ZONE = new Intl.DateTimeFormat().resolvedOptions().timeZone;

export function serverTimeZone(): string {
  return SERVER_ZONE;
}

export interface LocalZone {
  zone: string;
  /** Whose zone it is, for the sentence naming it. */
  of: 'practice' | 'server';
}

/** The practice's zone when it has a valid one, else the server's. */
export function localZone(practiceZone: string | null | undefined): LocalZone {
  return practiceZone && isTimeZone(practiceZone) ? { zone: practiceZone, of: 'practice' } : { zone: SERVER_ZONE, of: 'server' };
}

/** `2030-06-30 18:04:05 UTC` */
export function utcText(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** `2030-06-30 13:04:05 CDT` in `zone` (zones without a common abbreviation: `GMT+2`). */
export function zonedText(at: Date, zone = SERVER_ZONE): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short',
  }).formatToParts(at).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${parts.timeZoneName}`;
}
