// Starters and their trajectory at a phone viewport: the coordinator checks
// an HR file with errors (nothing is imported), then a good one (dry run,
// confirm), opens a starter and marks a milestone done; the starter logs
// in and sees it on "my trajectory". Every page is checked with axe.
import { DEMO_PASSWORD, expect, expectAccessible, hydrated, logIn, snapshot, test, menuLink, logOut } from './helpers';

const coordinator = 'm.vandenberg@lindenhaghe.example';
const header = 'personeelsnummer;naam;e-mail;rol;team;startdatum;fte;contract;einddatum contract;instroomroute;partnerschap';

function file(rows: string[]) {
  return { name: 'hr-export.csv', mimeType: 'text/csv', buffer: Buffer.from([header, ...rows].join('\r\n'), 'utf-8') };
}

test('a coordinator imports an HR file and marks a milestone done that the starter then sees', async ({ page }) => {
  test.setTimeout(120_000);
  const unique = Date.now().toString().slice(-6);
  const starterName = `Noa Verbruggen ${unique}`;

  await logIn(page, coordinator, DEMO_PASSWORD);
  await (await menuLink(page, 'Starters')).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Starters');
  await hydrated(page);
  await expectAccessible(page);
  await snapshot(page, 'starters');
  await page.getByRole('link', { name: 'HR-bestand importeren' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('HR-bestand importeren');
  await expectAccessible(page);

  // A file with an error in one row: reported by row and column, nothing written.
  await page.getByLabel('HR-bestand (CSV)').setInputFiles(
    file([
      `9${unique};${starterName};;starter;Pedagogisch Werk;1-9-2026;0,8;vast;;regulier;`,
      `8${unique};Fout Persoon;;starter;Pedagogisch Werk;1-9-2026;2;vast;;regulier;`,
    ]),
  );
  await page.getByRole('button', { name: 'Bestand controleren' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Controle van het HR-bestand');
  await expect(page.getByText('1 rij heeft fouten. Er is niets opgeslagen.')).toBeVisible();
  await expect(page.getByRole('row', { name: /Fout Persoon/ })).toContainText('Kolom ‘fte’: Vul een FTE in tussen 0,01 en 1,2');
  await expect(page.getByRole('button', { name: 'Importeren' })).toHaveCount(0);
  await expectAccessible(page);

  // The corrected file: checked, then imported once.
  await page.getByRole('link', { name: '← Importeren' }).click();
  await page.getByLabel('HR-bestand (CSV)').setInputFiles(
    file([
      `9${unique};${starterName};;starter;Pedagogisch Werk;1-9-2026;0,8;vast;;zij-instromer pdg;Opleidingsschool Samen Opleiden`,
      `7${unique};Mentor ${unique};;mentor;Pedagogisch Werk;;;;;;`,
    ]),
  );
  await page.getByRole('button', { name: 'Bestand controleren' }).click();
  await expect(page.getByText('Het bestand is in orde. Importeren schrijft 2 rijen weg.')).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(starterName) })).toContainText('Nieuw');
  await expectAccessible(page);
  await snapshot(page, 'import-check');
  await page.getByRole('button', { name: 'Importeren' }).click();
  await expect(page.getByText(/Geïmporteerd op/)).toBeVisible();
  await page.getByRole('link', { name: 'Naar de starters' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Starters');
  await page.getByLabel('Sorteren op').selectOption({ label: 'Nieuwste eerst' });
  await page.getByRole('button', { name: 'Toon' }).click();
  await expect(page.getByRole('link', { name: starterName })).toBeVisible();

  // A demo starter's page: mark the first open milestone done with a note.
  await page.getByRole('link', { name: 'Sanne de Vries' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sanne de Vries');
  await hydrated(page);
  await expectAccessible(page);
  const item = page.locator('li.milestone').filter({ has: page.locator('summary') }).first();
  const title = (await item.locator('.milestone-title').textContent())!.trim();
  await item.locator('summary').click();
  await item.getByLabel('Korte notitie (optioneel)').fill(`Besproken ${unique}`);
  await item.getByRole('button', { name: 'Afgerond' }).click();
  const done = page.locator('li.milestone', { hasText: title });
  await expect(done.locator('.badge')).toHaveText('Afgerond');
  await expect(done).toContainText(`Besproken ${unique}`);
  await expect(done).toContainText('Marieke van den Berg');
  await snapshot(page, 'starter-page');

  // The starter sees it on her phone.
  await logOut(page);
  await expect(page).toHaveURL(/\/login/);
  await logIn(page, 's.devries@lindenhaghe.example', DEMO_PASSWORD);
  await (await menuLink(page, 'Mijn traject')).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mijn traject');
  await expect(page.getByText('Wat komt er nu')).toBeVisible();
  const mine = page.locator('li.milestone', { hasText: title });
  await expect(mine.locator('.badge')).toHaveText('Afgerond');
  await expect(mine).toContainText(`Besproken ${unique}`);
  await hydrated(page);
  await expectAccessible(page);
  await snapshot(page, 'my-trajectory');
});

test('a team leader sees the starters of their own team only', async ({ page }) => {
  await logIn(page, 'h.jansen@lindenhaghe.example', DEMO_PASSWORD);
  await (await menuLink(page, 'Starters')).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Starters');
  const teams = page.getByLabel('Team');
  await expect(teams.locator('option')).toHaveText(['Alle', 'Verpleegkunde & Verzorging']);
  await expect(page.getByRole('link', { name: 'Sanne de Vries' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Mehmet Yılmaz' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'HR-bestand importeren' })).toHaveCount(0);
  await expectAccessible(page);
});

test('a starter adds a personal goal and records progress', async ({ page }) => {
  const goal = `Differentiëren in de les ${Date.now().toString().slice(-5)}`;
  await logIn(page, 'm.yilmaz@lindenhaghe.example', DEMO_PASSWORD);
  await (await menuLink(page, 'Mijn traject')).click();
  await expect(page.getByRole('heading', { name: 'Persoonlijke doelen' })).toBeVisible();
  await page.getByLabel('Doel', { exact: true }).fill(goal);
  await page.getByLabel('Bekwaamheidsdomein').selectOption({ label: 'Vakdidactisch' });
  await page.getByRole('button', { name: 'Doel toevoegen' }).click();
  const item = page.locator('li.milestone', { hasText: goal });
  await expect(item).toContainText('0% bereikt');
  await item.getByLabel(/Voortgang/).selectOption('50');
  await item.getByRole('button', { name: /Opslaan/ }).click();
  await expect(page.locator('li.milestone', { hasText: goal })).toContainText('50% bereikt');
  await hydrated(page);
  await expectAccessible(page);
});

test('a coordinator changes a template and applies it to running trajectories', async ({ page }) => {
  const title = `Intervisie ${Date.now().toString().slice(-5)}`;
  await logIn(page, coordinator, DEMO_PASSWORD);
  await page.goto('/starters');
  await page.getByRole('link', { name: 'Trajectsjablonen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Trajectsjablonen');
  const partnership = `Samen Opleiden Noord ${Date.now().toString().slice(-5)}`;
  await page.getByLabel('Naam van het partnerschap').fill(partnership);
  await page.getByRole('button', { name: 'Partnerschap toevoegen' }).click();
  await expect(page.getByRole('listitem').filter({ hasText: partnership })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Hybride docent' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hybride docent');
  await expect(page.getByText('Alle lopende trajecten volgen deze versie.')).toBeVisible();
  const add = page.locator('section.panel', { has: page.getByRole('heading', { name: 'Mijlpaal toevoegen' }) });
  await add.getByLabel('Naam van de mijlpaal').fill(title);
  await add.getByLabel('Fase').selectOption({ label: 'Jaar 1' });
  await add.getByLabel('Uiterlijk na de startdatum').fill('12');
  await add.getByLabel('Eenheid').selectOption({ label: 'weken' });
  await add.getByLabel('Wie is aan zet').selectOption({ label: 'Werkplekbegeleider' });
  await add.getByRole('button', { name: 'Toevoegen' }).click();
  await expect(page.locator('li.milestone', { hasText: title })).toContainText('12 weken na start');
  await expect(page.getByText(/\d+ (lopend traject volgt|lopende trajecten volgen) een oudere versie/)).toBeVisible();
  await hydrated(page);
  await expectAccessible(page);
  await snapshot(page, 'template');
  await page.getByRole('button', { name: 'Toepassen op lopende trajecten' }).click();
  await expect(page.getByText('Alle lopende trajecten volgen deze versie.')).toBeVisible();
});
