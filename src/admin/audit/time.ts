// Times on the audit page: UTC (what is stored and exported) and the same instant in a named time
// zone. Our pages run no scripts (CSP), so "local" cannot be the reader's browser zone: it is the
// server's zone (the TZ the service runs with), named on the page.
const LOCAL_ZONE = new Intl.DateTimeFormat().resolvedOptions().timeZone;

export function serverTimeZone(): string {
  return LOCAL_ZONE;
}

/** `2030-06-30 18:04:05 UTC` */
export function utcText(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** `2030-06-30 20:04:05 CEST` in `zone`. */
export function zonedText(at: Date, zone = LOCAL_ZONE): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short',
  }).formatToParts(at).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${parts.timeZoneName}`;
}
