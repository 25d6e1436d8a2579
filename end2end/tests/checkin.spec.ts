// The starter's check-in at a phone viewport: with JavaScript and again
// without; "I want to talk" reaches the mentor, who sees it on top of their
// home and answers by planning a conversation; the starter sees it
// answered; the request is in the mentor's notification list too. axe on
// every page.
import { DEMO_PASSWORD, expect, expectAccessible, hydrated, logIn, snapshot, test } from './helpers';
import type { Browser, Page } from '@playwright/test';

const starters = ['l.visser', 'd.mulder', 'p.ramdin', 't.bos', 'm.yilmaz'].map((s) => `${s}@lindenhaghe.example`);
const mentors: Record<string, string> = {
  'Joost de Graaf': 'j.degraaf@lindenhaghe.example',
  'Ingrid Smit': 'i.smit@lindenhaghe.example',
  'Rachid Amrani': 'r.amrani@lindenhaghe.example',
  'Linda Kok': 'l.kok@lindenhaghe.example',
};
const questions = [
  'Hoe gaat het met je?',
  'Hoe hoog is je werkdruk?',
  'Voel je je gesteund?',
  'Hoe zeker voel je je voor de klas?',
  'Zie je jezelf hier volgend jaar nog werken?',
];

/** A demo starter who has a mentor, and that mentor's name. */
async function starterWithMentor(browser: Browser): Promise<[string, string, string]> {
  for (const email of starters) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, email, DEMO_PASSWORD);
    const name = (await page.getByRole('heading', { level: 1 }).textContent())!.replace('Welkom, ', '').trim();
    const mentorsList = page.locator('section[aria-labelledby="home-starter"] ul.plain-list li').first();
    if ((await page.getByRole('heading', { name: 'Mijn begeleiders' }).count()) > 0) {
      const text = (await mentorsList.textContent()) ?? '';
      const mentor = Object.keys(mentors).find((m) => text.includes(m));
      await context.close();
      if (mentor) return [email, name, mentor];
    } else {
      await context.close();
    }
  }
  throw new Error('no demo starter with a mentor');
}

async function answerAll(page: Page, score: string) {
  for (const question of questions) {
    await page.getByRole('group', { name: question }).getByRole('radio', { name: score, exact: true }).check();
  }
}

test('check in with and without JavaScript, ask to talk, the mentor plans a conversation, the starter sees it answered', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const [email, firstName, mentorName] = await starterWithMentor(browser);
  const comment = `Veel nakijkwerk C${Date.now().toString().slice(-6)}Q`;

  // With JavaScript: from the home to a saved check-in that asks to talk.
  await logIn(page, email, DEMO_PASSWORD);
  await hydrated(page);
  await expectAccessible(page);
  await snapshot(page, 'starter-home');
  // Check-in is a starter's main place, always in the menu (home offers it when due).
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Inchecken' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Inchecken');
  await hydrated(page);
  await expectAccessible(page);
  await answerAll(page, '2');
  await page.getByLabel('Wil je nog iets kwijt? (optioneel)').fill(comment);
  await page.getByRole('radio', { name: 'Ja, met mijn mentor' }).check();
  await page.getByRole('button', { name: 'Check-in versturen' }).click();
  await expect(page.getByText('Dank je! Je check-in is opgeslagen en je vraag om een gesprek is verstuurd.')).toBeVisible();
  await expect(page.getByText(new RegExp(`ontvangen door ${mentorName}`))).toBeVisible();
  await expect(page.locator('figure.chart')).toHaveCount(5);
  await expectAccessible(page);
  await snapshot(page, 'checkin-done');

  // Without JavaScript: the same form works as a plain post.
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await logIn(plain, email, DEMO_PASSWORD);
  await plain.goto('/check-in');
  await answerAll(plain, '4');
  await plain.getByRole('button', { name: 'Check-in versturen' }).click();
  await expect(plain.getByText('Dank je! Je check-in is opgeslagen.')).toBeVisible();
  await snapshot(plain, 'checkin-no-js');
  await noScript.close();

  // The mentor: the request is on top of the home; planning a conversation answers it.
  const mentorContext = await browser.newContext();
  const mentor = await mentorContext.newPage();
  await logIn(mentor, mentors[mentorName], DEMO_PASSWORD);
  const requests = mentor.locator('section[aria-labelledby="talk-requests"]');
  await expect(requests).toContainText(firstName);
  // The name leads to the mentee's page.
  await expect(requests.locator('li.card', { hasText: firstName }).locator('strong a')).toHaveAttribute('href', /^\/mentees\/\d+$/);
  const top = await mentor.locator('main section.panel').first().getAttribute('aria-labelledby');
  expect(top).toBe('talk-requests');
  await hydrated(mentor);
  await expectAccessible(mentor);
  await snapshot(mentor, 'mentor-talk-request');
  await requests.locator('li.card', { hasText: firstName }).getByRole('link', { name: /Gesprek plannen/ }).click();
  await expect(mentor.getByRole('heading', { level: 1 })).toHaveText('Gesprek vastleggen');
  await expect(mentor.getByLabel('Gepland')).toBeChecked();
  const soon = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
  await mentor.getByLabel('Datum').fill(soon);
  await mentor.getByRole('button', { name: 'Gesprek opslaan' }).click();
  await expect(mentor.getByText('Het gesprek is vastgelegd.')).toBeVisible();
  await expect(mentor.locator('body')).toContainText(comment.split(' ').pop()!);
  await mentor.goto('/');
  await expect(mentor.locator('section[aria-labelledby="talk-requests"] li.card', { hasText: firstName })).toHaveCount(0);

  // The request is also in the mentor's notifications (the menu counts the
  // unread ones); this server sends no e-mail and the page says so.
  const menuLink = mentor.locator('nav.site-nav a[href="/notifications"]');
  await expect(menuLink).toContainText(/\d+ ongelezen/);
  await mentor.goto('/notifications');
  await expect(mentor.getByRole('heading', { level: 1 })).toHaveText('Meldingen');
  await expect(
    mentor.locator('li.notification', { hasText: new RegExp(`${firstName}.* wil graag met je praten`) }).first(),
  ).toBeVisible();
  await expect(mentor.getByText(/E-mail staat uit/)).toBeVisible();
  await hydrated(mentor);
  await expectAccessible(mentor);
  await snapshot(mentor, 'mentor-notifications');
  // Opened means read: the count is gone from the menu.
  await mentor.reload();
  await expect(menuLink).toHaveText('Meldingen');
  await mentorContext.close();

  // The starter sees that it was answered.
  await page.goto('/check-in');
  await expect(page.getByText(new RegExp(`${mentorName} heeft op je vraag om een gesprek gereageerd`))).toBeVisible();
});

test('team leaders and coordinators never see check-in text', async ({ browser }) => {
  const marker = `T${Date.now().toString().slice(-6)}Q`;
  const context = await browser.newContext();
  const own = await context.newPage();
  await logIn(own, 's.devries@lindenhaghe.example', DEMO_PASSWORD);
  await own.goto('/check-in');
  await answerAll(own, '3');
  await own.getByLabel('Wil je nog iets kwijt? (optioneel)').fill(`Opmerking ${marker}`);
  await own.getByRole('button', { name: 'Check-in versturen' }).click();
  await expect(own.getByText(/Je check-in is opgeslagen/)).toBeVisible();
  await context.close();

  // The team leader finds her in the team's list; the coordinator opens the same page.
  let sannePage = '';
  for (const viewer of ['h.jansen@lindenhaghe.example', 'm.vandenberg@lindenhaghe.example']) {
    const other = await browser.newContext();
    const leader = await other.newPage();
    await logIn(leader, viewer, DEMO_PASSWORD);
    expect(await leader.content()).not.toContain(marker);
    if (sannePage === '') {
      await leader.goto('/starters');
      await leader.getByRole('link', { name: 'Sanne de Vries' }).click();
      sannePage = new URL(leader.url()).pathname;
    } else {
      await leader.goto(sannePage);
    }
    await expect(leader.getByRole('heading', { level: 1 })).toHaveText('Sanne de Vries');
    expect(await leader.content()).not.toContain(marker);
    await other.close();
  }
});
