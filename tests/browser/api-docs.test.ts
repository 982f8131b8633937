/**
 * `/docs`, the API reference an integrator opens first: readable in a real browser, accessible
 * (axe-core finds no serious or critical violation), with no script and nothing the page's
 * Content-Security-Policy refuses, and every in-page link leading somewhere; and `/docs/ui`, the same
 * document in Swagger UI served from its npm package, loading nothing from elsewhere.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureDirs, removeDir, startTestService, type TestService } from '../helpers/test-service.ts';
import { describeViolations, launchChromium, newWatchedContext, screenshot, seriousA11yViolations } from './support/browser.ts';

let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
let t: TestService;
let browser: Browser;

beforeAll(async () => {
  dirs = await createFixtureDirs();
  t = await startTestService(dirs);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
  if (dirs !== undefined) await removeDir(dirs.root);
});

describe('/docs in a browser', { timeout: 60_000 }, () => {
  it('shows the guides, the operations, the schemas and the error codes, accessibly, with every in-page link resolving', async () => {
    const { context, problems } = await newWatchedContext(browser);
    const page = await context.newPage();
    await page.goto(`${t.baseUrl}/docs`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('EUDI wallet verifier API');
    expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual(['Guides', 'Operations', 'Schemas', 'Error codes']);
    expect(await page.locator('h3 code', { hasText: 'POST /v1/presentations' }).count()).toBeGreaterThan(0);
    expect(await page.locator('#schema-PresentationResult').count()).toBe(1);
    // Every in-page link names an element of the page.
    const targets = await page.locator('a[href^="#"]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    expect(targets.length).toBeGreaterThan(20);
    const missing = await page.evaluate((ids: string[]) => ids.filter((id) => (globalThis as unknown as { document: { getElementById(x: string): unknown } }).document.getElementById(id.slice(1)) === null), [...new Set(targets)]);
    expect(missing).toEqual([]);
    const violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    expect(problems).toEqual({ csp: [], scriptErrors: [], offLoopback: [] });
    await screenshot(page, 'api-docs');
    // The integration guide and the error codes come with the service: a running one is enough to integrate.
    for (const [name, heading] of [['integrating.md', '# Integrating a relying party'], ['error-codes.md', '# Error codes']] as const) {
      await page.goto(`${t.baseUrl}/docs`);
      await page.getByRole('link', { name }).click();
      await page.waitForURL(`${t.baseUrl}/docs/${name}`);
      expect((await page.locator('body').innerText()).split('\n')[0]).toBe(heading);
    }
    expect(problems).toEqual({ csp: [], scriptErrors: [], offLoopback: [] });
    await context.close();
  });

  it('links to the same document in Swagger UI, served from its package by the service: every operation shown, nothing fetched from elsewhere, nothing refused by its CSP', async () => {
    const openapi = (await (await fetch(`${t.baseUrl}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.values(openapi.paths).reduce((n, methods) => n + Object.keys(methods).length, 0);
    const { context, problems } = await newWatchedContext(browser);
    const page = await context.newPage();
    await page.goto(`${t.baseUrl}/docs`);
    await page.getByRole('link', { name: 'the same document in Swagger UI' }).click();
    await page.waitForURL(`${t.baseUrl}/docs/ui`);
    await expect.poll(() => page.locator('.swagger-ui .opblock').count(), { timeout: 20_000 }).toBe(operations);
    // An operation opens to its answers, read from /openapi.json by Swagger UI itself.
    await page.locator('.opblock-summary-path[data-path="/v1/presentations"]').first().click();
    await expect.poll(() => page.locator('.opblock.is-open .responses-table').count()).toBeGreaterThan(0);
    expect(problems).toEqual({ csp: [], scriptErrors: [], offLoopback: [] });
    await screenshot(page, 'api-docs-swagger-ui');
    await context.close();
  });
});
