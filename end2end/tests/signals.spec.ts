// Dropout signals at a phone viewport: a starter's check-in with well-being
// 1 puts her red on her team leader's watch list with the reason in words;
// the team leader acknowledges the alert with a note and resolves it; the
// rules page explains every rule. axe on every page.
import { DEMO_PASSWORD, expect, expectAccessible, hydrated, logIn, snapshot, test } from './helpers';

const starter = 's.devries@lindenhaghe.example';
const starterName = 'Sanne de Vries';
const teamLeader = 'h.jansen@lindenhaghe.example';
const questions = [
  'Hoe gaat het met je?',
  'Hoe hoog is je werkdruk?',
  'Voel je je gesteund?',
  'Hoe zeker voel je je voor de klas?',
  'Zie je jezelf hier volgend jaar nog werken?',
];

test('a low check-in shows red on the watch list; the team leader acknowledges and resolves the alert', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  await logIn(page, starter, DEMO_PASSWORD);
  await page.goto('/check-in');
  for (const question of questions) {
    const score = question === 'Hoe gaat het met je?' ? '1' : '3';
    await page.getByRole('group', { name: question }).getByRole('radio', { name: new RegExp(`^${score}( |$)`) }).check();
  }
  await page.getByRole('button', { name: 'Check-in versturen' }).click();
  await expect(page.getByText('Dank je! Je check-in is opgeslagen.')).toBeVisible();
  // Starters have no watch list, but may read how signals work.
  await page.goto('/signals');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hoe werken signalen?');
  await expect(page.getByText('Rood als het laatste welbevinden 2 of lager is.')).toBeVisible();
  await hydrated(page);
  await expectAccessible(page);

  const context = await browser.newContext();
  const leader = await context.newPage();
  await logIn(leader, teamLeader, DEMO_PASSWORD);
  await expect(leader.locator('nav.site-nav a[href="/watch-list"]')).toHaveText('Signalen');
  await leader.goto('/watch-list');
  await expect(leader.getByRole('heading', { level: 1 })).toHaveText('Signalen');
  // The default view: new or re-opened alerts nobody picked up yet.
  const nowView = leader.getByRole('link', { name: /^Nu aandacht nodig \(\d+\)$/ });
  await expect(nowView).toHaveAttribute('aria-current', 'page');
  const waiting = Number(/\((\d+)\)/.exec((await nowView.textContent())!)![1]);
  const row = leader.locator('li.watch-row', { has: leader.getByRole('heading', { name: starterName }) });
  await expect(row.locator('.watch-head .level')).toHaveText('Rood');
  // One line: the name links to her page, the reasons by name; the
  // evidence, next steps and the alert's actions open on demand.
  await expect(row.getByRole('link', { name: starterName })).toHaveAttribute('href', /^\/starters\/\d+$/);
  await expect(row.locator('.watch-reasons')).toContainText('Laag welbevinden');
  await expect(row.locator('ul.reasons')).toBeHidden();
  await row.locator('details.watch-more > summary').click();
  await expect(row.locator('ul.reasons')).toContainText(/Laag welbevinden: .*1/);
  // One suggested next step per reason.
  await expect(row.locator('ul.reasons')).toContainText('Volgende stap: Vraag in een gesprek hoe het echt gaat.');
  expect(await leader.locator('li.watch-row').count()).toBe(waiting);
  // Red rows come first.
  await expect(leader.locator('li.watch-row .watch-head .level').first()).toHaveText('Rood');
  await hydrated(leader);
  await expectAccessible(leader);
  await snapshot(leader, 'watch-list');

  // Filter on red: she is still there, in the same view.
  await leader.getByLabel('Niveau').selectOption('red');
  await leader.getByRole('button', { name: 'Toon' }).click();
  await expect(leader).toHaveURL(/show=now/);
  await expect(leader).toHaveURL(/level=red/);
  await expect(row.locator('.watch-head .level')).toHaveText('Rood');
  await expect(leader.locator('li.watch-row .watch-head .level', { hasText: 'Oranje' })).toHaveCount(0);

  // Acknowledge with a note: she leaves the default view and its count;
  // the whole list shows her alert with its history.
  const alert = row.locator('section.alert-box');
  await row.locator('details.watch-more > summary').click();
  await expect(alert).toContainText('Open zorgmelding');
  await alert.getByLabel(/Notitie/).fill('Ik bel haar morgen.');
  await alert.getByRole('button', { name: 'Oppakken' }).click();
  await expect(leader.getByText('Opgeslagen.')).toBeVisible();
  await expect(leader).toHaveURL(/show=all/);
  // The filter is kept after acting, and the handled alert stays open.
  await expect(leader).toHaveURL(/level=red/);
  await expect(leader.getByLabel('Niveau')).toHaveValue('red');
  await expect(leader.getByRole('link', { name: /^Alle starters \(\d+\)$/ })).toHaveAttribute('aria-current', 'page');
  await expect(row.locator('section.alert-box')).toContainText('Opgepakt');
  await expect(row.locator('section.alert-box ol.alert-history')).toContainText('Ik bel haar morgen.');
  await expect(row.locator('section.alert-box ol.alert-history')).toContainText('Henk Jansen');
  await leader.getByRole('link', { name: /^Nu aandacht nodig/ }).click();
  await expect(leader.getByRole('link', { name: /^Nu aandacht nodig/ })).toHaveText(`Nu aandacht nodig (${waiting - 1})`);
  await expect(leader.getByRole('heading', { name: starterName })).toHaveCount(0);

  // Resolve, saying what was done, from the whole list.
  await leader.getByRole('link', { name: /^Alle starters/ }).click();
  await row.locator('details.watch-more > summary').click();
  await row.locator('section.alert-box').getByLabel(/Notitie/).fill('Gesproken; rooster aangepast.');
  await row.locator('section.alert-box').getByRole('button', { name: 'Afhandelen' }).click();
  await expect(leader.getByText('Opgeslagen.')).toBeVisible();
  await expect(row.locator('section.alert-box')).toHaveCount(0);
  // Still red (the check-in stands), but nothing left to handle.
  await expect(row.locator('.watch-head .level')).toHaveText('Rood');
  await expectAccessible(leader);
  await snapshot(leader, 'watch-list-resolved');

  await context.close();
});

test('the coordinator runs the backtest with intervals and plain words, and downloads it', async ({ page }) => {
  test.setTimeout(90_000);
  await logIn(page, 'm.vandenberg@lindenhaghe.example', DEMO_PASSWORD);
  await page.goto('/watch-list');
  await page.getByRole('link', { name: /Terugblik/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Terugblik op de signalen');
  const table = page.getByRole('table', { name: /^Per signaal/ });
  await expect(table.getByRole('rowheader', { name: 'Elk signaal (oranje of rood)' })).toBeVisible();
  await expect(table.getByRole('rowheader', { name: 'Geen gesprek' })).toBeVisible();
  // The demo has enough leavers in the year up to six months ago for
  // figures with intervals, and the rules flagged some of the leavers.
  const summary = (await page.getByText(/startende docenten zaten tussen/).textContent())!;
  const leavers = Number(/; (\d+) van hen vertrokken binnen 6 maanden/.exec(summary)![1]);
  expect(leavers).toBeGreaterThanOrEqual(10);
  await expect(page.getByText(/Van alle starters op een willekeurige dag vertrok 1 op de \d+ binnen 6 maanden/)).toBeVisible();
  const anyRow = table.getByRole('row', { name: /Elk signaal/ });
  const flagged = Number((await anyRow.getByRole('cell').first().textContent())!.trim());
  expect(flagged).toBeGreaterThan(0);
  // Each shown figure carries its 95% interval; recall as found of all leavers.
  await expect(anyRow.getByRole('cell').nth(1)).toHaveText(/^\d+%\s*\d+%–\d+%$/);
  await expect(anyRow.getByRole('cell').nth(3)).toHaveText(new RegExp(`^\\d+ / ${leavers}`));
  await expect(page.getByRole('heading', { name: 'In gewone woorden' })).toBeVisible();
  await expect(page.getByText(/^Elk signaal \(oranje of rood\): van de starters met dit signaal vertrok 1 op de \d+ binnen 6 maanden; van alle starters 1 op de \d+\.$/)).toBeVisible();
  await hydrated(page);
  await expectAccessible(page);
  await snapshot(page, 'backtest');

  // A shorter period from the form, without losing the page.
  await page.getByLabel('Van', { exact: true }).fill('2026-01-01');
  await page.getByRole('button', { name: 'Bereken' }).click();
  await expect(page).toHaveURL(/from=2026-01-01/);
  await expect(page.getByText(/tussen 01-01-2026 en/)).toBeVisible();

  // A period whose outcome is not known yet is refused at the field.
  await page.getByLabel('Tot en met', { exact: true }).fill('2026-11-01');
  await page.getByRole('button', { name: 'Bereken' }).click();
  await expect(page).toHaveURL(/to=2026-11-01/);
  await expect(page.getByText('Deze datum moet minstens 6 maanden geleden zijn: zo lang volgen we of iemand vertrok.')).toBeVisible();
  await expect(page.getByLabel('Tot en met', { exact: true })).toHaveAttribute('aria-invalid', 'true');

  const response = await page.request.get('/backtest.csv?from=2026-01-01&sep=semicolon');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('text/csv');
  expect(response.headers()['content-disposition']).toContain('houvast-backtest-2026-01-01');
  const body = await response.text();
  expect(body.charCodeAt(0)).toBe(0xfeff);
  expect(body).toContain('signal;horizon_months;starters;leavers;flagged_starters;flagged_starter_days;leavers_found;base_rate;');
  expect(body).toContain('any_signal;6;');

  // A team leader may not run it.
  const leader = await page.context().browser()!.newContext();
  const other = await leader.newPage();
  await logIn(other, teamLeader, DEMO_PASSWORD);
  expect((await other.request.get('/backtest.csv')).status()).toBe(403);
  await leader.close();
});

test('the coordinator previews a threshold change without saving it', async ({ page }) => {
  test.setTimeout(90_000);
  await logIn(page, 'm.vandenberg@lindenhaghe.example', DEMO_PASSWORD);
  await page.goto('/watch-list');
  await expect(page.locator('details.overview summary')).toHaveText('Overzicht van de instelling');
  await page.getByRole('link', { name: 'Regels en vakanties instellen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Signaalregels instellen');
  await expect(page.getByLabel('Dagen zonder gesprek tot oranje')).toHaveValue('28');
  await hydrated(page);
  await expectAccessible(page);
  await page.getByLabel('Dagen zonder gesprek tot oranje').fill('200');
  await page.getByLabel('Dagen zonder gesprek tot rood').fill('300');
  await page.getByRole('button', { name: 'Bekijk het effect' }).click();
  await expect(page).toHaveURL(/preview=1/);
  const row = page.getByRole('row', { name: /Geen gesprek/ });
  const [now, after] = (await row.getByRole('cell').allTextContents()).map(Number);
  expect(after).toBeLessThan(now);
  await expect(page.getByLabel('Dagen zonder gesprek tot oranje')).toHaveValue('200');
  await expectAccessible(page);
  await snapshot(page, 'signal-settings-preview');
  // Nothing was saved: the rules page still says 28 days.
  await page.goto('/signals');
  await expect(page.getByText(/Oranje na 28 dagen zonder gevoerd begeleidingsgesprek/)).toBeVisible();
});

test('the coordinator pages through a long list, fifty at a time, with the counts of the whole list', async ({ page }) => {
  await logIn(page, 'm.vandenberg@lindenhaghe.example', DEMO_PASSWORD);
  await page.goto('/watch-list?show=all');
  const pager = page.getByRole('navigation', { name: "Pagina's" });
  const range = (await pager.getByText(/^1–50 van \d+$/).textContent())!;
  const total = Number(/van (\d+)$/.exec(range)![1]);
  expect(total).toBeGreaterThan(50);
  await expect(page.getByRole('link', { name: `Alle starters (${total})` })).toBeVisible();
  await expect(page.locator('ul.watch-list > li')).toHaveCount(50);
  await expect(pager.getByRole('link', { name: /Vorige/ })).toHaveCount(0);
  await expectAccessible(page);

  // Other tests run at the same time and may add starters (the HR import),
  // so the second page is checked against its own counts, not the first's.
  await pager.getByRole('link', { name: /Volgende/ }).click();
  await expect(page).toHaveURL(/show=all&page=1$/);
  const second = pager.getByText(/^51–\d+ van \d+$/);
  await expect(second).toBeVisible();
  const [, to, of] = /^51–(\d+) van (\d+)$/.exec((await second.textContent())!)!.map(Number);
  expect(of).toBeGreaterThanOrEqual(total);
  expect(to).toBe(Math.min(100, of));
  await expect(page.locator('ul.watch-list > li')).toHaveCount(to - 50);
  await pager.getByRole('link', { name: /Vorige/ }).click();
  await expect(page).toHaveURL(/show=all&page=0$|show=all$/);
  await expect(pager.getByText(/^1–50 van \d+$/)).toBeVisible();
});
