/**
 * Browser tests' shared parts: a headless Chromium driven by playwright-core, a fresh profile per
 * launch, loopback only; the axe-core scan injected into a page; the screenshots written as
 * artifacts; and the watch for Content-Security-Policy violations and script errors on every page.
 *
 * Which Chromium (see docs/adr/0140-browser-tests-without-a-system-chromium.md):
 * - CHROMIUM_PATH=/some/chromium: that binary;
 * - CHROMIUM_PATH=npm: the headless Chromium shipped inside the npm package @sparticuz/chromium
 *   (a devDependency; its brotli archive is unpacked into the system temp directory on first use,
 *   nothing is downloaded);
 * - unset: Debian's /usr/bin/chromium when it exists, the npm one otherwise.
 * So `npm ci && npm test` runs every browser test on a machine without the Debian package, as any user.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** The flags every launch gets: no network beyond loopback, no background traffic, no first-run work. */
const OUR_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

/**
 * Flags of @sparticuz/chromium's recommended set that are never passed: two switch off the web's
 * security model (the same-origin policy, mixed-content blocking), which the security tests examine;
 * `--single-process` (for serverless sandboxes) takes the whole browser down when a test closes a
 * context, and the suite opens and closes many.
 */
const DROPPED_FLAGS = new Set(['--disable-web-security', '--allow-running-insecure-content', '--single-process']);

/** Which Chromium this run uses: 'npm' for the @sparticuz/chromium build, else a path. */
export function chosenChromium(env: NodeJS.ProcessEnv = process.env): 'npm' | string {
  const wanted = env['CHROMIUM_PATH'];
  if (wanted !== undefined && wanted !== '') return wanted;
  return existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : 'npm';
}

/** Where screenshots go: BROWSER_ARTIFACTS_DIR, or a folder under the system temp directory. */
export const ARTIFACTS_DIR = process.env['BROWSER_ARTIFACTS_DIR'] ?? join(tmpdir(), 'eudi-verifier-browser-artifacts');

export async function launchChromium(): Promise<Browser> {
  const choice = chosenChromium();
  if (choice === 'npm') {
    const npm = await npmChromium();
    return chromium.launch({ executablePath: npm.executablePath, args: [...npm.args.filter((a) => !DROPPED_FLAGS.has(a)), ...OUR_FLAGS] });
  }
  // A named browser that is missing fails the test; nothing is downloaded.
  if (!existsSync(choice)) throw new Error(`${choice} not found: unset CHROMIUM_PATH (or set CHROMIUM_PATH=npm) to use the Chromium of the npm package @sparticuz/chromium`);
  return chromium.launch({ executablePath: choice, args: OUR_FLAGS });
}

/**
 * The npm package's Chromium. It unpacks itself into the system temp directory and reuses what it
 * finds there, so the test files that run at once in separate processes take turns (a lock folder,
 * made atomically) lest one launch a binary another is still writing.
 */
async function npmChromium(): Promise<{ executablePath: string; args: readonly string[] }> {
  const { default: packaged } = await import('@sparticuz/chromium');
  const lock = join(tmpdir(), 'eudi-verifier-chromium-unpack.lock');
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A lock left by a process that died while unpacking is older than any real unpacking.
      const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > 120_000) await rm(lock, { recursive: true, force: true });
      else await sleep(250);
    }
  }
  try {
    return { executablePath: await packaged.executablePath(), args: packaged.args };
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
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
