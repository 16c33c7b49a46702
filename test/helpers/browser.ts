/**
 * A minimal browser for driving the sign-in pages over HTTP: a cookie jar (host-only, ignoring paths
 * and ports like a browser does for 127.0.0.1), manual redirects, form posts, hidden-field parsing.
 * `from` puts the browser at another address: its requests carry that X-Forwarded-For, which a
 * server with TRUSTED_PROXIES=127.0.0.1 takes as the client IP (the proxy in front of it).
 */
export interface Page {
  status: number;
  url: string;
  location: string | null;
  html: string;
}

export class Browser {
  private readonly jar = new Map<string, Map<string, string>>();
  /** The client address a trusted proxy reports for this browser, or none. */
  from?: string;
  userAgent = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/128.0';
  /** The Accept-Language header this browser sends, if any. */
  acceptLanguage?: string;

  constructor(options: { from?: string } = {}) {
    if (options.from) this.from = options.from;
  }

  /** Another browser holding a copy of this one's cookies (a copied cookie jar, the same person replaying at once). */
  copy(): Browser {
    const twin = new Browser(this.from ? { from: this.from } : {});
    for (const [host, cookies] of this.jar) twin.jar.set(host, new Map(cookies));
    return twin;
  }

  cookies(host = '127.0.0.1'): Map<string, string> {
    let cookies = this.jar.get(host);
    if (!cookies) this.jar.set(host, (cookies = new Map()));
    return cookies;
  }

  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Page> {
    const target = new URL(url);
    const headers: Record<string, string> = { accept: 'text/html', 'user-agent': this.userAgent };
    if (this.from) headers['x-forwarded-for'] = this.from;
    if (this.acceptLanguage) headers['accept-language'] = this.acceptLanguage;
    const cookie = [...this.cookies(target.hostname)].map(([name, value]) => `${name}=${value}`).join('; ');
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(url, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    this.store(target.hostname, res.headers.getSetCookie());
    const location = res.headers.get('location');
    return { status: res.status, url, location: location ? new URL(location, url).href : null, html: await res.text() };
  }

  get(url: string): Promise<Page> {
    return this.request(url);
  }

  post(url: string, form: Record<string, string>): Promise<Page> {
    return this.request(url, { method: 'POST', form });
  }

  /** Follows redirects until a page renders or the next hop starts with `stopAt` (an app's callback). */
  async follow(page: Page, stopAt?: string): Promise<Page> {
    let current = page;
    for (let hops = 0; current.location && hops < 20; hops++) {
      if (stopAt && current.location.startsWith(stopAt)) return current;
      current = await this.get(current.location);
    }
    return current;
  }

  private store(host: string, setCookies: string[]): void {
    const cookies = this.cookies(host);
    for (const header of setCookies) {
      const [pair = '', ...attributes] = header.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key = '', val = ''] = attribute.trim().split('=');
        return (key.toLowerCase() === 'expires' && Date.parse(val) <= Date.now()) || (key.toLowerCase() === 'max-age' && Number(val) <= 0);
      });
      if (expired || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
  }
}

/** The value of a hidden/input field by name, from rendered HTML. */
export function field(html: string, name: string): string {
  const match = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html)
    ?? new RegExp(`<input[^>]*value="([^"]*)"[^>]*name="${name}"`).exec(html);
  if (!match?.[1]) throw new Error(`no field ${name} in page`);
  return match[1].replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

/** The action URL of the first form whose action contains `fragment`. */
export function formAction(page: Page, fragment: string): string {
  const match = new RegExp(`<form[^>]*action="([^"]*${fragment}[^"]*)"`).exec(page.html);
  if (!match?.[1]) throw new Error(`no form posting to *${fragment}* in page`);
  return new URL(match[1].replace(/&amp;/g, '&'), page.url).href;
}
