// Times on the audit page: UTC (what is stored and exported) and the same instant in a named time
// zone. Our pages run no scripts (CSP), so "local" cannot be the reader's browser zone: it is the
// practice's zone (set on Practice security) or, when none is set, the server's (the TZ the
// service runs with), named on the page.
import { isTimeZone } from '../../store/models/practice.js';
import { currentLanguage } from '../../i18n/request.js';

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

/** How far `zone`'s clocks are ahead of UTC at the instant `at` (ms; negative west of Greenwich). */
function zoneOffsetMs(at: number, zone: string): number {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(at).map((part) => [part.type, Number(part.value)]));
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) - Math.floor(at / 1000) * 1000;
}

/**
 * The instant a YYYY-MM-DD day starts on the clocks of `zone` (a date typed by a person of the
 * practice means their day, not UTC's); undefined when empty, null when not a real date.
 */
export function dayStartIn(text: string, zone: string): Date | undefined | null {
  if (text === '') return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const midnightUtc = new Date(`${text}T00:00:00.000Z`);
  if (Number.isNaN(midnightUtc.getTime()) || midnightUtc.toISOString().slice(0, 10) !== text) return null;
  // Twice: the offset of the guess may differ from the offset at the answer (a DST change that day).
  let at = midnightUtc.getTime() - zoneOffsetMs(midnightUtc.getTime(), zone);
  at = midnightUtc.getTime() - zoneOffsetMs(at, zone);
  return new Date(at);
}

/** The last millisecond of a YYYY-MM-DD day on the clocks of `zone` (undefined: not a real date). */
export function dayEndIn(text: string, zone: string): Date | undefined {
  const start = dayStartIn(text, zone);
  if (!start) return undefined;
  const next = new Date(`${text}T00:00:00.000Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return new Date(dayStartIn(next.toISOString().slice(0, 10), zone)!.getTime() - 1);
}

/** `Tue, Jun 30, 2030, 1:04:05 PM CDT`: an instant in `zone` as a person reads a clock, to the second (in the reader's language). */
export function humanText(at: Date, zone = SERVER_ZONE): string {
  return new Intl.DateTimeFormat(currentLanguage() === 'es' ? 'es-US' : 'en-US', {
    timeZone: zone, weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit', timeZoneName: 'short',
  }).format(at).replace(/\u202f/g, ' ');
}
