/**
 * Just enough of a browser for HTTP-level tests: a cookie jar keyed like a browser's (host without
 * port, path prefix), manual redirects recorded hop by hop, and HTML forms read from the page.
 */

export interface Page {
  url: string;
  status: number;
  html: string;
  /** Every URL visited to reach this page, the first request included. */
  hops: string[];
}

export interface HtmlForm {
  action: string;
  method: string;
  fields: Record<string, string>;
  /** Names of inputs by type, e.g. password and email fields to fill in. */
  inputs: Array<{ name: string; type: string }>;
  buttons: Array<{ name: string; value: string }>;
}

interface StoredCookie {
  value: string;
  path: string;
}

export class Browser {
  /** host (no port, as browsers do) -> cookie name -> cookie */
  private readonly jar = new Map<string, Map<string, StoredCookie>>();

  async get(url: string): Promise<Page> {
    return this.follow(url, { method: 'GET' });
  }

  /** Submits a form found on `page`, with extra fields (e.g. the password) merged in. */
  async submit(page: Page, form: HtmlForm, extra: Record<string, string> = {}): Promise<Page> {
    const target = new URL(form.action || page.url, page.url).href;
    const body = new URLSearchParams({ ...form.fields, ...extra });
    if (form.method === 'get') return this.get(`${target.split('?')[0]}?${body}`);
    return this.follow(target, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  /** Sends one request with this browser's cookies, without following redirects. */
  async send(url: string, init: { method: string; body?: URLSearchParams; headers?: Record<string, string> }): Promise<Response> {
    const target = new URL(url);
    const cookie = this.cookieHeader(target);
    const response = await fetch(target, {
      ...init,
      redirect: 'manual',
      headers: { ...init.headers, ...(cookie ? { cookie } : {}) },
    });
    for (const line of response.headers.getSetCookie()) this.store(target, line);
    return response;
  }

  private async follow(url: string, init: { method: string; body?: URLSearchParams; headers?: Record<string, string> }): Promise<Page> {
    const hops = [url];
    let response = await this.send(url, init);
    while (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location');
      if (!location) throw new Error(`${response.status} without Location from ${hops.at(-1)}`);
      await response.body?.cancel();
      const next = new URL(location, hops.at(-1)).href;
      hops.push(next);
      if (hops.length > 20) throw new Error(`too many redirects: ${hops.join(' -> ')}`);
      // 301/302/303 become GET, as browsers do for a form POST.
      response = await this.send(next, { method: 'GET' });
    }
    return { url: hops.at(-1) ?? url, status: response.status, html: await response.text(), hops };
  }

  private cookieHeader(url: URL): string {
    const cookies = this.jar.get(url.hostname) ?? new Map<string, StoredCookie>();
    return [...cookies]
      .filter(([, c]) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
  }

  private store(url: URL, line: string): void {
    const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    const attr = (key: string) => attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
    const path = attr('path') ?? '/';
    const expires = attr('expires');
    const maxAge = attr('max-age');
    const expired = (maxAge !== undefined && Number(maxAge) <= 0) || (expires !== undefined && Date.parse(expires) <= Date.now());
    const cookies = this.jar.get(url.hostname) ?? new Map<string, StoredCookie>();
    this.jar.set(url.hostname, cookies);
    if (expired || value === '') cookies.delete(name);
    else cookies.set(name, { value, path });
  }
}

/** All forms on a page, with their hidden/pre-filled fields, inputs and submit buttons. */
export function formsOf(html: string): HtmlForm[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)].map(([, attrs = '', inner = '']) => {
    const fields: Record<string, string> = {};
    const inputs: HtmlForm['inputs'] = [];
    for (const [, tag = ''] of inner.matchAll(/<input\b([^>]*)>/gi)) {
      const name = attribute(tag, 'name');
      if (!name) continue;
      const type = (attribute(tag, 'type') ?? 'text').toLowerCase();
      inputs.push({ name, type });
      const value = attribute(tag, 'value');
      if (value !== undefined && (type !== 'checkbox' || /\bchecked\b/i.test(tag))) fields[name] = value;
    }
    const buttons = [...inner.matchAll(/<button\b([^>]*)>/gi)]
      .map(([, tag = '']) => ({ name: attribute(tag, 'name') ?? '', value: attribute(tag, 'value') ?? '' }))
      .filter((b) => b.name);
    return { action: attribute(attrs, 'action') ?? '', method: (attribute(attrs, 'method') ?? 'get').toLowerCase(), fields, inputs, buttons };
  });
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  if (!match) return undefined;
  return decodeEntities(match[1] ?? match[2] ?? match[3] ?? '');
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (entity[0] !== '#') return named[entity.toLowerCase()] ?? '';
    return String.fromCodePoint(entity[1]?.toLowerCase() === 'x' ? parseInt(entity.slice(2), 16) : Number(entity.slice(1)));
  });
}

/** Text of the table cell for one claim on a demo module page (`data-claim` row). */
export function claimCell(html: string, claim: string): string | undefined {
  const row = new RegExp(`<tr[^>]*data-claim="${claim}"[^>]*>[\\s\\S]*?<td>([\\s\\S]*?)</td>`).exec(html);
  return row?.[1] === undefined ? undefined : decodeEntities(row[1]);
}
