// Each role's day on a 390×844 phone: a menu that fits (the role's main
// places in view, everything else behind one menu button, with and without
// JavaScript), the team leader's home, the starter's home before and after
// checking in and confirming a report, pairing with search, newest first,
// and a language switch that switches every heading and label. axe on
// every page.
import type { Page } from '@playwright/test';
import { DEMO_PASSWORD, expect, expectAccessible, hydrated, logIn, menuLink, snapshot, test } from './helpers';

const coordinator = 'm.vandenberg@lindenhaghe.example';
const mentors = ['i.smit', 'r.amrani', 'l.kok', 'j.degraaf'].map((m) => `${m}@lindenhaghe.example`);
/** Demo starters with a login that no other test pairs or confirms for. */
const loginStarters: Record<string, string> = {
  'Lotte Visser': 'l.visser@lindenhaghe.example',
  'Daan Mulder': 'd.mulder@lindenhaghe.example',
  'Priya Ramdin': 'p.ramdin@lindenhaghe.example',
  'Thijs Bos': 't.bos@lindenhaghe.example',
};

/** Every role, with the first of its main places after "Start". */
const roles: [string, string][] = [
  ['s.devries@lindenhaghe.example', 'Inchecken'],
  ['j.degraaf@lindenhaghe.example', 'Signalen'],
  ['h.jansen@lindenhaghe.example', 'Signalen'],
  [coordinator, 'Koppelen'],
  ['beheer@houvast.example', 'Instituten'],
];

/** No part of the menu lies outside the viewport, closed or open, and the page never scrolls sideways. */
async function expectMenuFits(page: Page): Promise<void> {
  const width = page.viewportSize()!.width;
  const nav = page.getByRole('navigation', { name: 'Hoofdmenu' });
  const button = nav.locator('details.nav-more > summary');
  await expect(button).toBeVisible();
  for (const open of [false, true]) {
    if (open) await button.click();
    const boxes = await nav.locator('a, summary, button').evaluateAll((elements) =>
      elements
        // What a person can see: not inside the closed menu.
        .filter((e) => e.checkVisibility())
        .map((e) => {
          const r = e.getBoundingClientRect();
          return { text: (e.textContent ?? '').trim(), left: r.left, right: r.right };
        }),
    );
    expect(boxes.length).toBeGreaterThan(open ? 4 : 2);
    for (const box of boxes) {
      expect(box.left, box.text).toBeGreaterThanOrEqual(0);
      expect(box.right, box.text).toBeLessThanOrEqual(width);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  }
}

test("every role's menu fits a phone, its main place first, and every item stays reachable", async ({ browser }) => {
  test.setTimeout(120_000);
  for (const [email, main] of roles) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, email, DEMO_PASSWORD);
    await hydrated(page);
    const inView = page.getByRole('navigation', { name: 'Hoofdmenu' }).locator('ul.nav-main a');
    await expect(inView.nth(0)).toHaveText('Start');
    await expect(inView.nth(1)).toHaveText(main);
    await expectMenuFits(page);
    await expectAccessible(page);
    await snapshot(page, `menu-open-${email.split('@')[0]}`);
    // A place behind the menu button, and the menu closes on arrival.
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Mijn account' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mijn account');
    await expect(page.locator('details.nav-more')).not.toHaveAttribute('open', '');
    await context.close();
  }
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the menu button opens the menu and its links work', async ({ page }) => {
    await logIn(page, coordinator, DEMO_PASSWORD);
    // A request to talk names the starter with a link to her page.
    const request = page.locator('section[aria-labelledby="talk-requests"] li.card').first();
    await expect(request.locator('strong a')).toHaveAttribute('href', /^\/starters\/\d+$/);
    const asking = (await request.locator('strong a').textContent())!.trim();
    await request.locator('strong a').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(asking);
    await page.goto('/');
    await expectMenuFits(page);
    await (await menuLink(page, 'Logboek')).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Logboek');
    await (await menuLink(page, 'Importeren')).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('HR-bestand importeren');
  });
});

test("the team leader's home names who needs attention, links to them, and counts each team", async ({ browser }) => {
  test.setTimeout(90_000);
  // Mehmet (team of Fatima El Idrissi) checks in with well-being 1.
  const starterContext = await browser.newContext();
  const starter = await starterContext.newPage();
  await logIn(starter, 'm.yilmaz@lindenhaghe.example', DEMO_PASSWORD);
  await starter.goto('/check-in');
  for (const group of await starter.getByRole('group').all()) {
    const radios = group.getByRole('radio');
    if ((await radios.count()) === 5) await radios.nth((await group.textContent())?.includes('Hoe gaat het met je?') ? 0 : 2).check();
  }
  await starter.getByRole('button', { name: 'Check-in versturen' }).click();
  await expect(starter.getByText(/Dank je! Je check-in is opgeslagen/)).toBeVisible();
  await starterContext.close();

  for (const visit of [1, 2]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, 'f.elidrissi@lindenhaghe.example', DEMO_PASSWORD);
    const home = page.locator('section[aria-labelledby="home-team-leader"]');
    await expect(home.getByRole('heading', { name: 'Nu aandacht nodig' })).toBeVisible();
    const row = home.locator('ul.attention-list li', { hasText: 'Mehmet Yılmaz' });
    await expect(row.locator('.level')).toHaveText('Rood');
    await expect(row).toContainText('Laag welbevinden');
    await expect(home.getByRole('heading', { name: 'Begeleiding per team' })).toBeVisible();
    await expect(home.locator('ul.plain-list li').first()).toContainText(/\d+ starters?, \d+ spr(a|aken) de mentor in de laatste 6 weken · \d+ rood · \d+ oranje/);
    // The second visit says what changed since the first.
    if (visit === 2) await expect(home.locator('p.lead').first()).toContainText(/^Sinds je vorige bezoek op .+: \d+ (nieuw signaal|nieuwe signalen)\.$/);
    await hydrated(page);
    await expectAccessible(page);
    await snapshot(page, `home-team-leader-${visit}`);
    if (visit === 2) {
      await row.getByRole('link', { name: 'Mehmet Yılmaz' }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mehmet Yılmaz');
      await page.goto('/');
      await home.getByRole('link', { name: /^(Alle \d+ op de signalenlijst|Bekijk de signalen)/ }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Signalen');
      // One line per starter: the name links to the starter, the details open on demand.
      const line = page.locator('li.watch-row', { hasText: 'Mehmet Yılmaz' });
      await expect(line.getByRole('link', { name: 'Mehmet Yılmaz' })).toHaveAttribute('href', /^\/starters\/\d+$/);
      await expect(line.locator('.watch-reasons')).toContainText('Laag welbevinden');
      await expect(line.locator('section.alert-box')).toBeHidden();
      await line.locator('details.watch-more > summary').click();
      await expect(line.locator('section.alert-box')).toBeVisible();
      await expectAccessible(page);
      await snapshot(page, 'watch-list-compact');
    }
    await context.close();
  }
});

test("the starter's home says what waits: a report to confirm, then a done state after checking in", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const summary = `Lesvoorbereiding en klassenmanagement besproken (${Date.now().toString(36)}).`;
  // A mentor logs a held conversation with a mentee who has a demo login.
  const mentorContext = await browser.newContext();
  const mentor = await mentorContext.newPage();
  let starterName = '';
  for (const mentorEmail of mentors) {
    await logIn(mentor, mentorEmail, DEMO_PASSWORD);
    const card = mentor.locator('li.card h3 a').filter({ hasText: new RegExp(`^(${Object.keys(loginStarters).join('|')})$`) });
    if ((await card.count()) > 0) {
      starterName = (await card.first().textContent())!.trim();
      await card.first().click();
      break;
    }
    await mentor.context().clearCookies();
  }
  expect(starterName).not.toBe('');
  const email = loginStarters[starterName];
  await expect(mentor.getByRole('heading', { level: 1 })).toHaveText(starterName);
  // The header says what the mentor is to this starter.
  await expect(mentor.locator('p.lead')).toContainText(/^Jouw rol: /);
  await mentor.getByRole('link', { name: 'Gesprek vastleggen' }).first().click();
  await mentor.getByLabel('Samenvatting').fill(summary);
  await mentor.getByRole('button', { name: 'Gesprek opslaan' }).click();
  await expect(mentor.getByText('Het gesprek is vastgelegd.')).toBeVisible();
  await mentorContext.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, email, DEMO_PASSWORD);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(starterName.split(' ')[0]);
  const reports = page.locator('section[aria-labelledby="home-reports"]');
  await expect(reports).toContainText(/^Verslagen om te bevestigen(1 gespreksverslag wacht|\d+ gespreksverslagen wachten) op je bevestiging\./);
  const waiting = Number(/(\d+) gespreksverslag/.exec((await reports.textContent())!)![1]);
  await hydrated(page);
  await expectAccessible(page);
  await snapshot(page, 'home-starter-reports');
  await reports.getByRole('link', { name: 'Lezen en bevestigen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mijn gesprekken');
  const card = page.locator('li.card', { hasText: summary });
  await card.getByLabel('Jouw reflectie (optioneel)').fill('Ik ga de tips deze week proberen.');
  await card.getByRole('button', { name: 'Bevestigen' }).click();
  await expect(page.getByText('Dank je! Je hebt het verslag bevestigd. Je mentor ziet dat.')).toBeVisible();
  // Her reflection once, in her own words' field, never "of the starter".
  await expect(card.getByLabel('Jouw reflectie (optioneel)')).toHaveValue('Ik ga de tips deze week proberen.');
  await expect(card.getByRole('heading', { name: 'Reflectie van de starter' })).toHaveCount(0);
  await expect(card.locator('p', { hasText: 'Ik ga de tips deze week proberen.' })).toHaveCount(0);
  await expectAccessible(page);
  await page.goto('/');
  if (waiting === 1) await expect(reports).toHaveCount(0);
  else await expect(reports).toContainText(waiting - 1 === 1 ? '1 gespreksverslag wacht' : `${waiting - 1} gespreksverslagen wachten`);

  // Check in: a done state instead of the empty form, and home says so.
  await page.goto('/check-in');
  for (const group of await page.getByRole('group').all()) {
    const radios = group.getByRole('radio');
    if ((await radios.count()) === 5) await radios.nth(3).check();
  }
  await page.getByRole('button', { name: 'Check-in versturen' }).click();
  await expect(page.getByText('Dank je! Je check-in is opgeslagen.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Check-in versturen' })).toHaveCount(0);
  await expectAccessible(page);
  await snapshot(page, 'checkin-done');
  await page.getByRole('link', { name: 'Naar de startpagina' }).click();
  const checkin = page.locator('section[aria-labelledby="home-checkin"]');
  await expect(checkin).toContainText('Ingecheckt');
  await expect(checkin.getByRole('link', { name: 'Nu inchecken' })).toHaveCount(0);
  await expect(checkin.getByRole('link', { name: 'Je check-ins bekijken' })).toBeVisible();
  await context.close();
});

test('pairing: newest waiting first, a search, and a confirmation after pairing', async ({ page }) => {
  await logIn(page, coordinator, DEMO_PASSWORD);
  await page.goto('/pairing');
  const waiting = page.locator('section[aria-labelledby="unpaired"] li.card');
  const starts = await waiting.locator('time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')!));
  expect(starts.length).toBeGreaterThan(1);
  expect(starts).toEqual([...starts].sort().reverse());
  const first = (await waiting.first().locator('strong').textContent())!.trim();
  await page.getByLabel('Zoek op naam of team').fill(first.split(' ')[0]);
  await page.getByRole('button', { name: 'Zoeken' }).click();
  await expect(page).toHaveURL(/\/pairing\?q=/);
  for (const name of await waiting.locator('strong').allTextContents()) expect(name.toLowerCase()).toContain(first.split(' ')[0].toLowerCase());
  await expect(waiting.locator('strong', { hasText: first })).toHaveCount(1);
  await expect(waiting.locator('strong a', { hasText: first })).toHaveAttribute('href', /^\/starters\/\d+$/);
  await hydrated(page);
  await expectAccessible(page);
  await page.getByLabel('Zoek op naam of team').fill('Niemand Heet Zo');
  await page.getByRole('button', { name: 'Zoeken' }).click();
  await expect(page.getByText('Niemand zonder mentor gevonden voor ‘Niemand Heet Zo’.')).toBeVisible();
});

test('switching to English switches every heading and form label at once', async ({ page }) => {
  await logIn(page, 'l.visser@lindenhaghe.example', DEMO_PASSWORD);
  await page.goto('/check-in');
  await hydrated(page);
  const texts = () =>
    page
      .locator('main h1, main h2, main h3, main legend, main label, nav a, nav summary')
      .evaluateAll((es) => es.map((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim()).filter((t) => /[a-z]{3}/i.test(t)));
  const dutch = await texts();
  expect(dutch).toContain('Hoe gaat het met je?');
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check in');
  await expect(page.getByRole('group', { name: 'How are you doing?' })).toBeVisible();
  await expect(page.getByLabel('Anything else? (optional)')).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main menu' })).toBeVisible();
  const english = await texts();
  const same = ['Menu', 'Start'];
  expect(dutch.filter((t) => english.includes(t) && !same.includes(t))).toEqual([]);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Schakel naar Nederlands' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Inchecken');
});
