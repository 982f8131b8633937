/**
 * Browser tests' shared parts: Debian's chromium driven by playwright-core (never a downloaded
 * browser), a fresh profile per launch, loopback only; the axe-core scan injected into a page; the
 * screenshots written as artifacts; and the watch for Content-Security-Policy violations and script
 * errors on every page.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Where screenshots go: BROWSER_ARTIFACTS_DIR, or a folder under the system temp directory. */
export const ARTIFACTS_DIR = process.env['BROWSER_ARTIFACTS_DIR'] ?? join(tmpdir(), 'eudi-verifier-browser-artifacts');

export async function launchChromium(): Promise<Browser> {
  // A missing browser fails the test (CI installs the Debian package chromium); nothing is downloaded.
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install the Debian package chromium (apt-get install -y chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

/** What went wrong in the pages of a context: CSP violations, script errors, failed requests to other hosts. */
export interface PageProblems {
  readonly csp: string[];
  readonly scriptErrors: string[];
  readonly offLoopback: string[];
}

/** A fresh context (own cookies) that may talk to loopback only, watched for problems. */
export async function newWatchedContext(browser: Browser, opts: { readonly viewport?: { width: number; height: number }; readonly locale?: string } = {}): Promise<{ context: BrowserContext; problems: PageProblems }> {
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1100, height: 900 }, locale: opts.locale ?? 'sv-SE' });
  // A step that cannot happen fails with its own message instead of waiting for the test's timeout.
  context.setDefaultTimeout(20_000);
  context.setDefaultNavigationTimeout(30_000);
  const problems: PageProblems = { csp: [], scriptErrors: [], offLoopback: [] };
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') return route.continue();
    problems.offLoopback.push(url.href);
    return route.abort();
  });
  context.on('page', (page) => watch(page, problems));
  return { context, problems };
}

function watch(page: Page, problems: PageProblems): void {
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (load|execute|apply)/i.test(m.text())) problems.csp.push(m.text());
  });
  page.on('pageerror', (err) => problems.scriptErrors.push(err.message));
}

let axeSource: string | undefined;

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: ReadonlyArray<{ readonly target: readonly string[] }>;
}

/**
 * Runs axe-core (injected with the DevTools protocol, which the page's CSP does not govern) against
 * WCAG 2.x A/AA and best practices; returns the serious and critical violations.
 */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= await readFile(join(process.cwd(), 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  const injected = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe !== 'undefined');
  if (!injected) await page.evaluate(axeSource);
  const violations = (await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] }, resultTypes: ['violations'] });
    return result.violations;
  })) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A readable list of violations for an assertion message. */
export const describeViolations = (vs: readonly AxeViolation[]): string => vs.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n');

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

declare const document: unknown;
