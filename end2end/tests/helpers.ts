import { expect, test as base, type BrowserContext, type Locator, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/**
 * Waits until the browser bundle has taken over every island (the
 * interactive parts) of the page: each marks its root `data-hydrated`.
 * A page without islands is plain HTML and ready as it is.
 */
export async function hydrated(page: Page): Promise<void> {
  await expect(page.locator('leptos-island:not(:has([data-hydrated="true"]))')).toHaveCount(0);
}

/**
 * Fails on any accessibility violation axe-core finds (WCAG 2.1 A/AA and best practices),
 * on the page as a person sees it: after its stylesheet loaded (a page reached by a
 * click or a form post can be in the DOM before that, and unstyled links are small).
 */
export async function expectAccessible(page: Page): Promise<void> {
  await page.waitForLoadState('load');
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(summary).toEqual([]);
}

/** A phone screenshot for people to look at (end2end/screenshots/, not committed). */
export async function snapshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `screenshots/${name}.png`, fullPage: true });
}

/** Records Content-Security-Policy violations in every page of a context. */
export async function watchCsp(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
}

export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
}

/**
 * A link of the main menu. The role's main places are always in view; the
 * rest sits behind the "Menu" button, which this opens when needed.
 */
export async function menuLink(page: Page, name: string, menu = 'Hoofdmenu'): Promise<Locator> {
  const nav = page.getByRole('navigation', { name: menu });
  const link = nav.getByRole('link', { name, exact: true });
  if (!(await link.isVisible())) await nav.locator('details.nav-more > summary').click();
  await expect(link).toBeVisible();
  return link;
}

/** Logs out through the menu (the button sits behind "Menu"). */
export async function logOut(page: Page): Promise<void> {
  const button = page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('button', { name: 'Uitloggen' });
  if (!(await button.isVisible())) await page.locator('details.nav-more > summary').click();
  await button.click();
}

/** Logs in through the form and waits for the home page. */
export async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Welkom');
}

export const DEMO_PASSWORD = 'Houvast-demo-2026';

/**
 * Every test fails if the page logs an error or a hydration warning,
 * throws, or violates the Content-Security-Policy.
 */
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ page, context }, use) => {
      await watchCsp(context);
      const errors: string[] = [];
      page.on('console', (message) => {
        // A refused login or form answers 4xx on purpose; the browser logs
        // that response. Anything else logged as an error fails the test.
        const expected = /the server responded with a status of 4\d\d/.test(message.text());
        if (message.type() === 'error' && !expected) errors.push(message.text());
        // Leptos warns when the server's HTML and the browser's view differ.
        if (message.type() === 'warning' && /hydrat/i.test(message.text())) errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      await use(errors);
      expect(errors).toEqual([]);
      if (!page.isClosed() && (await page.evaluate(() => document.readyState)) !== 'loading') {
        expect(await cspViolations(page).catch(() => [])).toEqual([]);
      }
    },
    { auto: true },
  ],
});

export { expect };
