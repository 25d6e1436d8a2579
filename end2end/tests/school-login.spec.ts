// Logging in with the school account, the whole redirect flow in a real
// browser against a real OpenID provider (`end2end/oidc/provider.mjs`, the
// npm package oidc-provider). A Houvast of its own (fresh demo database, a
// secret key set) is configured by the deployment admin on the institution's
// page; then a starter logs in through "Inloggen met ROC Lindenhaghe", the
// provider's login form and back, and someone the school knows but Houvast
// does not gets a page that says whom to ask. Runs on both databases.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { DEMO_PASSWORD, expect, expectAccessible, logOut, snapshot, test } from './helpers';
import { freePort, startInstance, type Instance } from './instance';

let provider: ChildProcess;
let issuer = '';
let houvast: Instance;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(90_000);
  const port = await freePort();
  provider = spawn('node', ['oidc/provider.mjs'], {
    env: { ...process.env, OIDC_PORT: '0', OIDC_REDIRECT_URIS: `http://127.0.0.1:${port}/login/school/callback` },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  issuer = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: provider.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith('listening ')) resolve(line.slice('listening '.length).trim());
    });
    provider.on('exit', (code) => reject(new Error(`the test provider stopped (${code})`)));
  });
  houvast = await startInstance('school', { HOUVAST_SECRET_KEY: randomBytes(32).toString('base64') }, port);
});

test.afterAll(async () => {
  await houvast?.stop();
  provider?.kill();
});

test('the admin sets up school login for an institution; the secret is never shown again', async ({ page }) => {
  await page.goto(`${houvast.base}/login`);
  await page.getByLabel('E-mailadres').fill('beheer@houvast.example');
  await page.getByLabel('Wachtwoord', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Welkom');
  await page.goto(`${houvast.base}/admin`);
  await page.getByRole('link', { name: 'ROC Lindenhaghe' }).click();
  const panel = page.locator('section.panel', { has: page.getByRole('heading', { name: /Inloggen met schoolaccount/ }) });
  await expect(panel.getByText('/login/school/callback')).toBeVisible();
  await expect(panel.getByText(/^Uit:/)).toBeVisible();
  await panel.getByLabel('Issuer-URL van de aanbieder').fill(issuer);
  await panel.getByLabel('Client-ID').fill('houvast');
  await panel.getByLabel('Clientgeheim').fill('houvast-test-secret');
  await panel.getByLabel('Claim die de instelling noemt').fill('schac_home_organization');
  await panel.getByLabel('Waarde van die claim voor deze instelling').fill('lindenhaghe.example');
  await expect(panel.getByLabel('Inloggen met wachtwoord blijft toegestaan')).toBeChecked();
  await panel.getByRole('button', { name: 'Opslaan' }).click();
  await expect(panel.getByText(/^Aan:/)).toBeVisible();
  await page.reload();
  const secret = page.getByLabel('Clientgeheim');
  await expect(secret).toHaveValue('');
  expect(await page.content()).not.toContain('houvast-test-secret');
  await expectAccessible(page);
  await logOut(page);
  await expect(page).toHaveURL(/\/login/);
});

test('a starter logs in with the school account, through the provider and back', async ({ page }) => {
  await page.goto(`${houvast.base}/login`);
  const button = page.getByRole('link', { name: 'Inloggen met ROC Lindenhaghe' });
  await expect(button).toBeVisible();
  await expectAccessible(page);
  await snapshot(page, 'login-school-button');
  await button.click();
  // The provider's own login page.
  await expect(page).toHaveURL(new RegExp(`^${issuer}/interaction/`));
  await page.getByLabel('Account').fill('tbos');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Welkom');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Thijs');
  expect(new URL(page.url()).origin).toBe(houvast.base);
  // The session is an ordinary one: logging out ends it.
  await logOut(page);
  await expect(page).toHaveURL(/\/login/);
  await page.goto(`${houvast.base}/`);
  await expect(page).toHaveURL(/\/login/);
});

test('someone the school knows and Houvast does not is told whom to ask', async ({ page }) => {
  await page.goto(`${houvast.base}/login`);
  await page.getByRole('link', { name: 'Inloggen met ROC Lindenhaghe' }).click();
  await page.getByLabel('Account').fill('stranger');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/login\?school=unmatched/);
  await expect(page.getByRole('alert')).toContainText('Vraag je coördinator');
  await expectAccessible(page);
  await snapshot(page, 'login-school-unmatched');
});
