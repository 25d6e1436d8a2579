// What a phone downloads on a first visit, as transferred (headers and
// compressed bodies): the starter's home fits 200 KB and /login 100 KB, and
// a page without interactive parts loads no script file and no WebAssembly.
// The page with an island (the status search) loads the bundle and works.
import type { Browser, BrowserContext } from '@playwright/test';
import { DEMO_PASSWORD, expect, hydrated, logIn, test } from './helpers';

const starter = 'k.huisman@zuiderzee.example';

type File = { url: string; bytes: number };

/** Every file the first load of `path` transfers, in a context with an empty cache. */
async function firstLoad(context: BrowserContext, path: string): Promise<File[]> {
  const page = await context.newPage();
  const pending: Promise<File>[] = [];
  page.on('requestfinished', (request) =>
    pending.push(
      request.sizes().then((sizes) => ({ url: request.url(), bytes: sizes.responseHeadersSize + sizes.responseBodySize })),
    ),
  );
  await page.goto(path, { waitUntil: 'networkidle' });
  await hydrated(page);
  const files = await Promise.all(pending);
  await page.close();
  return files;
}

/** A context with an empty cache, logged in as `email` when given. */
async function freshContext(browser: Browser, email?: string): Promise<BrowserContext> {
  if (!email) return browser.newContext();
  const login = await browser.newContext();
  const page = await login.newPage();
  await logIn(page, email, DEMO_PASSWORD);
  const storageState = await login.storageState();
  await login.close();
  return browser.newContext({ storageState });
}

const total = (files: File[]) => files.reduce((sum, f) => sum + f.bytes, 0);
const scripts = (files: File[]) => files.filter((f) => /\.(js|wasm)(\?|$)/.test(f.url));

for (const [name, email, path, budget] of [
  ['the starter\'s home', starter, '/', 200_000],
  ['the check-in', starter, '/check-in', 200_000],
  ['the login page', undefined, '/login', 100_000],
] as const) {
  test(`${name} loads within ${budget / 1000} KB, without a script file or WebAssembly`, async ({ browser }) => {
    const context = await freshContext(browser, email);
    const files = await firstLoad(context, path);
    console.log(`${path}: ${total(files)} bytes in ${files.length} files (${files.map((f) => `${new URL(f.url).pathname} ${f.bytes}`).join(', ')})`);
    expect(scripts(files)).toEqual([]);
    expect(total(files)).toBeLessThanOrEqual(budget);
    await context.close();
  });
}

test('a page with an island loads the bundle, and the island works', async ({ browser }) => {
  const context = await freshContext(browser);
  const files = await firstLoad(context, '/status');
  console.log(`/status: ${total(files)} bytes in ${files.length} files (${files.map((f) => `${new URL(f.url).pathname} ${f.bytes}`).join(', ')})`);
  expect(scripts(files).map((f) => new URL(f.url).pathname).sort()).toEqual(['/pkg/houvast.js', '/pkg/houvast_bg.wasm']);
  const page = await context.newPage();
  await page.goto('/status');
  await hydrated(page);
  await page.getByLabel('Zoek een instelling').pressSequentially('zuider');
  await expect(page.locator('ul.cards > li')).toHaveCount(1);
  await context.close();
});
