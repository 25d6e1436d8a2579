// "My data" (AVG art. 15) on a phone: a starter reads his copy and
// downloads the same as JSON, without the mentor's private notes; a mentor's
// copy holds what he wrote; a coordinator produces a person's copy on
// request, which the audit log and the person's next copy both show; nobody
// else gets one.
import { DEMO_PASSWORD, expect, expectAccessible, hydrated, logIn, snapshot, test } from './helpers';

test.use({ viewport: { width: 390, height: 844 } });

const thijs = 't.bos@lindenhaghe.example';

test('a starter reads his data on a phone and downloads the same as a file', async ({ page }) => {
  await logIn(page, thijs, DEMO_PASSWORD);
  await page.goto('/account');
  await page.getByRole('link', { name: 'Mijn gegevens bekijken of downloaden' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mijn gegevens');
  for (const name of ['Persoon', 'Dienstverband en traject', 'Check-ins', 'Mentoren en gesprekken', 'Signalen', 'Wie je gegevens las', 'Meldingen en inloggen']) {
    await expect(page.getByRole('heading', { level: 2, name, exact: true })).toBeVisible();
  }
  await expect(page.getByText('Thijs Bos').first()).toBeVisible();
  await expect(page.locator('section[aria-labelledby="data-person"] dd', { hasText: 'Nederlands' })).toBeVisible();
  await hydrated(page);
  await expectAccessible(page);
  await snapshot(page, 'my-data');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download als bestand (JSON)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^houvast-gegevens-\d+-\d{4}-\d{2}-\d{2}\.json$/);
  const response = await page.request.get('/my-data.json');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('application/json; charset=utf-8');
  expect(response.headers()['cache-control']).toBe('no-store');
  const data = await response.json();
  expect(data.person.name).toBe('Thijs Bos');
  expect(data.employments).toHaveLength(1);
  expect(data.check_ins.length).toBeGreaterThan(0);
  expect(data.conversations.length).toBeGreaterThan(0);
  // Never the mentor's private note, and nothing written as a mentor.
  for (const conversation of data.conversations) expect(conversation.private_note).toBeNull();
  expect(data.written_as_mentor).toEqual([]);

  // Another person's copy is not his to have.
  const other = await page.request.get(`/people/${data.person.id + 1}/data.json`);
  expect(other.status()).toBe(403);
});

test("a mentor's copy holds what he wrote, and none of his mentees' check-ins", async ({ page }) => {
  // The demo mentor's copy is long (hundreds of items) and axe reads all of
  // it: about 20 s alone, close to the default 30 s beside the other worker.
  test.setTimeout(60_000);
  await logIn(page, 'j.degraaf@lindenhaghe.example', DEMO_PASSWORD);
  await page.goto('/my-data');
  await expect(page.getByRole('heading', { level: 2, name: 'Geschreven als mentor' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Check-ins' })).toHaveCount(0);
  const data = await (await page.request.get('/my-data.json')).json();
  expect(data.written_as_mentor.length).toBeGreaterThan(0);
  expect(data.check_ins).toEqual([]);
  expect(data.conversations).toEqual([]);
  await expectAccessible(page);
});

test('a coordinator produces a copy on request; the audit log and the next copy show it', async ({ browser }) => {
  const coordinatorContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const coordinator = await coordinatorContext.newPage();
  await logIn(coordinator, 'm.vandenberg@lindenhaghe.example', DEMO_PASSWORD);
  await coordinator.goto('/people?q=Thijs+Bos');
  await coordinator.getByRole('link', { name: 'Thijs Bos' }).first().click();
  await coordinator.getByRole('link', { name: 'Gegevens van deze persoon (op hun verzoek)' }).click();
  await expect(coordinator.getByRole('heading', { level: 1 })).toHaveText('Gegevens van Thijs Bos');
  await expect(coordinator.getByText('Dit overzicht staat in het logboek.')).toBeVisible();
  await expectAccessible(coordinator);
  const file = await coordinator.request.get(coordinator.url() + '.json');
  expect(file.status()).toBe(200);
  expect((await file.json()).person.name).toBe('Thijs Bos');
  await coordinator.goto('/audit?who=Thijs+Bos');
  await expect(coordinator.getByText('stelde een kopie van de gegevens samen').first()).toBeVisible();
  await coordinatorContext.close();

  const starterContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const starter = await starterContext.newPage();
  await logIn(starter, thijs, DEMO_PASSWORD);
  await starter.goto('/my-data');
  const reads = starter.locator('section[aria-labelledby="data-reads"] li');
  await expect(reads.filter({ hasText: 'Marieke van den Berg' }).filter({ hasText: 'stelde een kopie van de gegevens samen' }).first()).toBeVisible();
  await starterContext.close();
});

test('the privacy statement is for everyone: from the login page, it says what is kept, why and how long', async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('link', { name: 'Privacyverklaring' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Privacyverklaring');
  await expect(page.getByText('Elke instelling kiest hoe lang; als ze niets kiest is dat 24 maanden na het einde van de inductie.')).toBeVisible();
  for (const name of ['Check-ins: scores en je eigen toelichting', 'Privénotities van je mentor', 'Logboek: wie wat deed en wanneer']) {
    await expect(page.getByRole('heading', { level: 3, name })).toBeVisible();
  }
  await expect(page.getByText('Tot 24 maanden na het einde van de inductie (afgerond of uit dienst); daarna gewist.').first()).toBeVisible();
  await expect(page.getByText('60 maanden, daarna verwijderd. Alleen wie wat deed en wanneer, nooit inhoud of e-mailadressen.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Register van verwerkingen' })).toHaveCount(0);
  await expectAccessible(page);
  await snapshot(page, 'privacy');
});

test('a field typed into while a refused form comes back keeps what was typed, even its old value', async ({ page }) => {
  await logIn(page, 'm.vandenberg@lindenhaghe.example', DEMO_PASSWORD);
  await page.goto('/privacy');
  await page.getByLabel('Maanden').fill('0');
  // On the page that comes back, the person types the period it had (24)
  // the moment the field appears, before the page has finished loading.
  await page.addInitScript(() => {
    if (!location.search.includes('__err')) return;
    new MutationObserver((_, observer) => {
      const field = document.querySelector<HTMLInputElement>('input[name="months"]');
      if (!field) return;
      observer.disconnect();
      field.value = field.defaultValue;
      field.dispatchEvent(new Event('input', { bubbles: true }));
    }).observe(document, { childList: true, subtree: true });
  });
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await expect(page.getByLabel('Maanden')).toHaveAttribute('aria-invalid', 'true');
  await page.waitForLoadState('load');
  // The 0 of the refused post is not put back over what was typed.
  await expect(page.getByLabel('Maanden')).toHaveValue('24');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await expect(page.getByText('De bewaartermijn is opgeslagen.')).toBeVisible();
});

test('a coordinator sets the retention period, reads the register, and erases a person on request', async ({ page }) => {
  test.setTimeout(90_000);
  await logIn(page, 'm.vandenberg@lindenhaghe.example', DEMO_PASSWORD);
  await page.getByRole('contentinfo').getByRole('link', { name: 'Privacy' }).click();
  await expect(page.getByText('ROC Lindenhaghe bewaart vrije tekst en contactgegevens 24 maanden na het einde van de inductie.')).toBeVisible();
  const register = page.getByRole('region', { name: 'Register van verwerkingen' });
  await expect(register.getByRole('rowheader', { name: 'Privénotities van je mentor' })).toBeVisible();
  await expect(register.getByRole('row', { name: /Privénotities van je mentor/ })).toContainText('Niemand anders');
  await page.getByLabel('Maanden').fill('0');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await expect(page.getByLabel('Maanden')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Maanden').fill('24');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await expect(page.getByText('De bewaartermijn is opgeslagen.')).toBeVisible();
  await hydrated(page);
  await expectAccessible(page);

  // A person of our own making asks to be erased.
  const unique = Date.now().toString(36);
  const name = `Noor Wissink ${unique}`;
  await page.goto('/people/new');
  await page.getByLabel('Naam', { exact: true }).fill(name);
  await page.getByLabel('E-mailadres').fill(`n.wissink.${unique}@lindenhaghe.example`);
  await page.getByLabel('Werkplekbegeleider').check();
  await page.getByRole('button', { name: 'Toevoegen en link maken' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  const confirm = page.getByLabel('Typ de naam van de persoon ter bevestiging');
  await confirm.fill('Noor');
  await page.getByRole('button', { name: 'Gegevens wissen' }).click();
  await expect(page.getByText('Dit is niet de naam van de persoon. Typ de naam precies zoals hierboven.')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await confirm.fill(name);
  await page.getByRole('button', { name: 'Gegevens wissen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Persoon \d+$/);
  await page.goto('/audit');
  await expect(page.getByText('wiste de gegevens van').first()).toBeVisible();
  expect(await page.locator('main').textContent()).not.toContain(name);
});
