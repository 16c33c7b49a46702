/**
 * axe-core in a playwright-core page: its source is evaluated through DevTools (not a script tag, so
 * the pages' CSP stays as served; once per browser context, see loadAxe), then `axe.run` checks WCAG 2.0–2.2 A and AA. Violations of
 * impact serious or critical fail a test; the rest are returned for the report.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';

const require = createRequire(import.meta.url);
let source: Promise<string> | undefined;

export interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/** Browser contexts that load axe into every new page themselves (an init script). */
const preloaded = new WeakSet<BrowserContext>();

/**
 * Makes `axe` available in the page. The first check in a browser context evaluates axe's source
 * in the page and registers it as the context's init script, so every later page of the context
 * starts with axe already compiled into it: several times cheaper than sending the 500 kB source
 * through page.evaluate for each page (which playwright also parses in this process).
 */
async function loadAxe(page: Page): Promise<void> {
  source ??= readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  const context = page.context();
  if (!preloaded.has(context)) {
    preloaded.add(context);
    await context.addInitScript({ content: await source });
  }
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(await source);
}

export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await loadAxe(page);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'] });
    return result.violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map(({ target, failureSummary }) => ({ target: target as string[], failureSummary })) }));
  });
}

/** The serious and critical violations, one readable line each (empty: the page passes). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const violations = await axeViolations(page);
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}
