// Accounts end to end at a phone viewport: a coordinator creates a team and
// a person and copies the activation link; a second browser activates it,
// logs in, lands on the starter home and switches to English; the
// coordinator deactivates the person and the second browser is logged out
// on its next request. Every page visited is checked with axe, and no page
// may log an error or violate the Content-Security-Policy.
import { DEMO_PASSWORD, cspViolations, expect, expectAccessible, hydrated, logIn, snapshot, test, watchCsp, menuLink, logOut } from './helpers';

const coordinator = 'm.vandenberg@lindenhaghe.example';

test('a coordinator adds a team and a person who activates, logs in and is deactivated', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const unique = Date.now().toString(36);
  const teamName = `Biologie & Voeding ${unique}`;
  const personName = `Yara Bouzid ${unique}`;
  const email = `y.bouzid.${unique}@lindenhaghe.example`;

  await logIn(page, coordinator, DEMO_PASSWORD);
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welkom, Marieke');
  await expect(page.getByRole('heading', { name: 'Coördinator' })).toBeVisible();
  await expectAccessible(page);
  await snapshot(page, 'home-coordinator');

  await (await menuLink(page, 'Teams')).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Teams');
  await page.getByLabel('Naam van het team').fill(teamName);
  await page.getByLabel('Sector').selectOption({ label: 'Groen' });
  await page.getByRole('button', { name: 'Team toevoegen' }).click();
  await expect(page.getByText('Team toegevoegd.')).toBeVisible();
  await expect(page.getByRole('link', { name: teamName })).toBeVisible();
  await expectAccessible(page);

  await (await menuLink(page, 'Mensen')).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mensen');
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Persoon toevoegen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Persoon toevoegen');
  await page.getByLabel('Naam', { exact: true }).fill(personName);
  await page.getByLabel('E-mailadres').fill(coordinator);
  await page.getByLabel('Startende docent').check();
  await page.getByRole('button', { name: 'Toevoegen en link maken' }).click();
  await expect(page.getByText('Dit is al in gebruik.')).toBeVisible();
  await expect(page.getByLabel('E-mailadres')).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page);
  // What was typed is still there after the refusal; only the address changes.
  await expect(page.getByLabel('Naam', { exact: true })).toHaveValue(personName);
  await expect(page.getByLabel('Startende docent')).toBeChecked();
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Team', { exact: true }).selectOption({ label: teamName });
  await page.getByRole('button', { name: 'Toevoegen en link maken' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(personName);
  const link = (await page.locator('#fresh-link').textContent())!.trim();
  expect(link).toMatch(/\/activate\?token=[A-Za-z0-9_-]{43}$/);
  await expectAccessible(page);
  await snapshot(page, 'person-created');

  const starterContext = await browser.newContext();
  await watchCsp(starterContext);
  const starter = await starterContext.newPage();
  const starterErrors: string[] = [];
  starter.on('pageerror', (e) => starterErrors.push(e.message));
  await starter.goto(new URL(link).pathname + new URL(link).search);
  await expect(starter.getByRole('heading', { level: 1 })).toHaveText('Account activeren');
  await expect(starter.getByText(personName)).toBeVisible();
  await expectAccessible(starter);
  await starter.getByLabel('Nieuw wachtwoord').fill('kort');
  await starter.getByLabel('Herhaal het nieuwe wachtwoord').fill('kort');
  await starter.getByRole('button', { name: 'Wachtwoord instellen' }).click();
  await expect(starter.getByText('Te kort: minstens 12 tekens.')).toBeVisible();
  const password = 'paraplu kompas fietsbel 42';
  await starter.getByLabel('Nieuw wachtwoord').fill(password);
  await starter.getByLabel('Herhaal het nieuwe wachtwoord').fill(password);
  await starter.getByRole('button', { name: 'Wachtwoord instellen' }).click();
  await expect(starter.getByText('Je wachtwoord is ingesteld.')).toBeVisible();
  await expectAccessible(starter);

  await starter.getByLabel('E-mailadres').fill(email);
  await starter.getByLabel('Wachtwoord', { exact: true }).fill(password);
  await starter.getByRole('button', { name: 'Inloggen' }).click();
  await expect(starter.getByRole('heading', { level: 1 })).toHaveText(`Welkom, Yara`);
  await expect(starter.getByRole('heading', { name: 'Startende docent' })).toBeVisible();
  await expect(starter.getByText(teamName)).toBeVisible();
  await hydrated(starter);
  await expectAccessible(starter);
  await snapshot(starter, 'home-starter');

  await starter.getByRole('button', { name: 'Switch to English' }).click();
  await expect(starter.getByRole('heading', { level: 1 })).toHaveText('Welcome, Yara');
  await expect(starter.getByRole('heading', { name: 'Starting teacher' })).toBeVisible();
  await expectAccessible(starter);

  await page.getByRole('button', { name: 'Account deactiveren' }).click();
  await expect(page.getByText('Gedeactiveerd').first()).toBeVisible();

  await starter.reload();
  await expect(starter).toHaveURL(/\/login$/);
  await expect(starter.getByRole('heading', { level: 1 })).toHaveText('Log in');
  expect(await cspViolations(starter)).toEqual([]);
  expect(starterErrors).toEqual([]);
  await starterContext.close();
});

test('a wrong password is answered in words and the form keeps working', async ({ page }) => {
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('E-mailadres').fill(coordinator);
  await page.getByLabel('Wachtwoord', { exact: true }).fill('niet het wachtwoord');
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await expect(page.getByRole('alert')).toHaveText('Het e-mailadres of het wachtwoord klopt niet.');
  await expectAccessible(page);
  await snapshot(page, 'login-failed');
});

test('"forgot password" is one tap from the login page and says whom to ask without e-mail', async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('link', { name: 'Wachtwoord vergeten?' }).click();
  await expect(page).toHaveURL(/\/forgot$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Wachtwoord vergeten');
  // This test server sends no e-mail: no form that would promise a link.
  await expect(page.getByText(/verstuurt geen e-mail/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Stuur een link' })).toHaveCount(0);
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Terug naar inloggen' }).click();
  await expect(page).toHaveURL(/\/login$/);
});

test('every role lands on its own home with its own navigation', async ({ browser }) => {
  test.setTimeout(90_000);
  const homes: [string, string, string[]][] = [
    ['beheer@houvast.example', 'Beheerder', ['Instituten']],
    ['h.jansen@lindenhaghe.example', 'Teamleider', ['Teams']],
    ['j.degraaf@lindenhaghe.example', 'Mijn starters', []],
    ['s.devries@lindenhaghe.example', 'Startende docent', []],
  ];
  for (const [email, section, nav] of homes) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, email, DEMO_PASSWORD);
    await expect(page.getByRole('heading', { name: section, level: 2 })).toBeVisible();
    const menu = page.getByRole('navigation', { name: 'Hoofdmenu' });
    for (const item of nav) await menuLink(page, item);
    if (!nav.includes('Teams')) await expect(menu.getByRole('link', { name: 'Teams' })).toHaveCount(0);
    await expect(menu.getByRole('link', { name: 'Mensen' })).toHaveCount(0);
    await expectAccessible(page);
    await context.close();
  }
});

test('the admin adds an institution and its coordinator; my account page', async ({ page }) => {
  test.setTimeout(90_000);
  const unique = Date.now().toString(36).slice(-4).toUpperCase().replace(/[^A-Z]/g, 'Q');
  const brin = `9${Math.floor(Math.random() * 10)}${unique.slice(0, 2).padEnd(2, 'Q')}`;
  await logIn(page, 'beheer@houvast.example', DEMO_PASSWORD);
  await (await menuLink(page, 'Instituten')).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Instituten');
  await expectAccessible(page);
  await page.getByLabel('Naam van de instelling').fill(`ROC Testland ${unique}`);
  await page.getByLabel('BRIN-code').fill('25LH');
  await page.getByRole('button', { name: 'Instelling toevoegen' }).click();
  await expect(page.getByText('Dit is al in gebruik.')).toBeVisible();
  await page.getByLabel('BRIN-code').fill(brin);
  await page.getByRole('button', { name: 'Instelling toevoegen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`ROC Testland ${unique}`);
  await expect(page.getByText('Deze instelling heeft nog geen coördinator.')).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Naam', { exact: true }).fill('Greet Coördinator');
  await page.getByLabel('E-mailadres').fill(`greet.${unique.toLowerCase()}@testland.example`);
  await page.getByRole('button', { name: 'Toevoegen' }).click();
  await expect(page.locator('#fresh-link')).toContainText('/activate?token=');
  await expect(page.getByText('Greet Coördinator ·')).toBeVisible();
  await expectAccessible(page);
  await snapshot(page, 'admin-institution');

  await (await menuLink(page, 'Mijn account')).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mijn account');
  await expectAccessible(page);
  await page.getByLabel('Huidig wachtwoord').fill('niet het wachtwoord');
  await page.getByLabel('Nieuw wachtwoord').fill('zonnebloem kade fiets 88');
  await page.getByLabel('Herhaal het nieuwe wachtwoord').fill('zonnebloem kade fiets 88');
  await page.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
  await expect(page.getByText('Je huidige wachtwoord klopt niet.')).toBeVisible();
  await expectAccessible(page);
  await snapshot(page, 'account');
});

test('the audit log shows what happened, filtered by person', async ({ page }) => {
  await logIn(page, coordinator, DEMO_PASSWORD);
  await (await menuLink(page, 'Logboek')).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Logboek');
  await expect(page.getByText('logde in').first()).toBeVisible();
  // A person is found by typing part of the name: one match filters at once.
  const person = page.getByLabel('Persoon (naam of e-mailadres)');
  await person.fill('Marieke van den');
  await page.getByRole('button', { name: 'Toon' }).click();
  await expect(page).toHaveURL(/who=Marieke/);
  await expect(page.getByText('Alleen wat over Marieke van den Berg gaat.')).toBeVisible();
  await expect(page.getByText('logde in').first()).toBeVisible();
  // Every name of someone in the institution links to that person's page.
  const names = page.locator('ul.events .event-text a');
  expect(await names.count()).toBeGreaterThan(0);
  for (const href of await names.evaluateAll((as) => as.map((a) => a.getAttribute('href')))) expect(href).toMatch(/^\/people\/\d+$/);
  await names.first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Marieke van den Berg');
  await page.goBack();
  // A part many names share offers a choice, each with an e-mail address.
  await person.fill('de');
  await page.getByRole('button', { name: 'Toon' }).click();
  const choices = page.locator('section[aria-labelledby="audit-matches"] li');
  await expect(page.getByRole('heading', { name: 'Wie bedoel je?' })).toBeVisible();
  expect(await choices.count()).toBeGreaterThan(1);
  const chosen = (await choices.first().getByRole('link').textContent())!.trim();
  await choices.first().getByRole('link').click();
  await expect(page).toHaveURL(/person=\d+/);
  await expect(page.getByText(`Alleen wat over ${chosen} gaat.`)).toBeVisible();
  await expect(person).toHaveValue(chosen);
  await expectAccessible(page);
  await person.fill('Niemand Heet Zo');
  await page.getByRole('button', { name: 'Toon' }).click();
  await expect(page.getByText('Niemand gevonden voor ‘Niemand Heet Zo’.', { exact: false })).toBeVisible();
  await snapshot(page, 'audit');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('logging in and out works with plain form posts', async ({ page }) => {
    await page.goto('/teams');
    await expect(page).toHaveURL(/\/login\?next=\/teams$/);
    await page.getByLabel('E-mailadres').fill(coordinator);
    await page.getByLabel('Wachtwoord', { exact: true }).fill('verkeerd wachtwoord');
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await expect(page.getByRole('alert')).toHaveText('Het e-mailadres of het wachtwoord klopt niet.');
    await page.getByLabel('E-mailadres').fill(coordinator);
    await page.getByLabel('Wachtwoord', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await expect(page).toHaveURL(/\/teams$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Teams');
    // Logging out sits behind the menu button, which opens without JavaScript.
    await logOut(page);
    await expect(page).toHaveURL(/\/login$/);
    await page.goto('/');
    await expect(page).toHaveURL(/\/login$/);
  });
});
