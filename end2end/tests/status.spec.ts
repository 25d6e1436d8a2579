// The public status page at a 390×844 phone viewport: server-rendered data,
// hydration, filtering as you type, the language switch, accessibility, and
// the same content without JavaScript.
import { DEMO_PASSWORD, expect, expectAccessible, hydrated, logIn, snapshot, test } from './helpers';

const cards = (page: import('@playwright/test').Page) => page.locator('ul.cards > li');

test('loads, hydrates and filters as you type without reloading', async ({ page }) => {
  await page.goto('/status');
  await hydrated(page);
  await expect(page).toHaveTitle('Instellingen in Houvast · Houvast');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Instellingen in Houvast');
  // Other tests may add institutions while this one runs: the demo's two
  // are there, and the count says "all of all".
  await expect(page.getByRole('status')).toHaveText(/^(\d+) van \1 instellingen$/);
  expect(await cards(page).count()).toBeGreaterThanOrEqual(2);
  await expect(cards(page).filter({ hasText: 'ROC Lindenhaghe' })).toContainText(/\d+ teams/);
  await snapshot(page, 'status-nl');

  const navigations: string[] = [];
  page.on('framenavigated', (frame) => navigations.push(frame.url()));
  await page.getByLabel('Zoek een instelling').pressSequentially('zuider');
  await expect(cards(page)).toHaveCount(1);
  await expect(cards(page).first()).toContainText('Zuiderzee mbo');
  await expect(page.getByRole('status')).toHaveText(/^1 van \d+ instellingen$/);

  await page.getByLabel('Zoek een instelling').fill('bestaat niet');
  await expect(cards(page)).toHaveCount(0);
  await expect(page.getByText('Geen instelling gevonden voor ‘bestaat niet’')).toBeVisible();
  await page.getByRole('button', { name: 'Zoeken' }).click();
  expect(navigations).toEqual([]);
  await snapshot(page, 'status-no-match');
});

test('the language switch changes the text to English and back', async ({ page }) => {
  await page.goto('/status');
  await hydrated(page);
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Institutions using Houvast');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('status')).toHaveText(/^(\d+) of \1 institutions$/);
  await expect(page).toHaveTitle('Institutions using Houvast · Houvast');
  await snapshot(page, 'status-en');

  await page.reload();
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Institutions using Houvast');

  await page.getByRole('button', { name: 'Schakel naar Nederlands' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Instellingen in Houvast');
  await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
});

test('axe-core finds no accessibility violations in Dutch or English', async ({ page }) => {
  await page.goto('/status');
  await hydrated(page);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expectAccessible(page);
});

test('the skip link moves focus to the main content', async ({ page }) => {
  await page.goto('/status');
  await hydrated(page);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Naar de inhoud' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
});

test.describe('the 404 page', () => {
  test('answers 404 with a way back and no violations', async ({ page }) => {
    await logIn(page, 'm.vandenberg@lindenhaghe.example', DEMO_PASSWORD);
    const response = await page.goto('/bestaat/niet');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pagina niet gevonden');
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Naar de startpagina' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welkom, Marieke');
  });

  test('is not shown to visitors who are not logged in: they are asked to log in', async ({ page }) => {
    await page.goto('/bestaat/niet');
    await expect(page).toHaveURL(/\/login\?next=\/bestaat\/niet$/);
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('shows the same content, searches by submitting and switches language by form', async ({ page }) => {
    await page.goto('/status');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Instellingen in Houvast');
    await expect(page.getByRole('status')).toHaveText(/^(\d+) van \1 instellingen$/);
    expect(await cards(page).count()).toBeGreaterThanOrEqual(2);

    await page.getByLabel('Zoek een instelling').fill('lindenhaghe');
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await expect(page).toHaveURL(/\/status\?q=lindenhaghe$/);
    await expect(cards(page)).toHaveCount(1);
    await expect(page.getByLabel('Zoek een instelling')).toHaveValue('lindenhaghe');

    await page.getByRole('button', { name: 'Switch to English' }).click();
    await expect(page).toHaveURL(/\/status\?q=lindenhaghe$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Institutions using Houvast');
    await expect(page.getByRole('status')).toHaveText(/^1 of \d+ institutions$/);
    await snapshot(page, 'status-no-js-en');
  });
});

test('robots.txt keeps crawlers to the public pages', async ({ request }) => {
  const response = await request.get('/robots.txt');
  expect(response.status()).toBe(200);
  expect(await response.text()).toContain('Disallow: /');
});

test('installable: the web app manifest and its icons are served to anyone', async ({ request }) => {
  const response = await request.get('/manifest.webmanifest');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('manifest+json');
  const manifest = await response.json();
  expect(manifest).toMatchObject({ name: 'Houvast', start_url: '/', display: 'standalone', theme_color: '#0b5d4b' });
  const sizes = manifest.icons.map((icon: { sizes: string }) => icon.sizes);
  expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
  for (const icon of manifest.icons) {
    const image = await request.get(icon.src);
    expect(image.status()).toBe(200);
    expect(image.headers()['content-type']).toBe('image/png');
  }
});
