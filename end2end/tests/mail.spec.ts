// E-mail through a real SMTP server: a Houvast of its own (fresh demo
// database, e-mail on) sends to an SMTP server in this process. A link made
// by the coordinator for someone who already uses Houvast, and a password
// reset asked for on the login page, arrive in the recipient's language and
// their links work end to end; a notification arrives with no word of what
// the starter wrote. The other specs run with e-mail off, as a deployment
// without e-mail does. On the PostgreSQL run the instance gets a fresh
// database of its own on the same server.
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Browser, Page } from '@playwright/test';
import { DEMO_PASSWORD, expect, test } from './helpers';
import { freePort, startInstance, type Instance } from './instance';

const coordinator = 'm.vandenberg@lindenhaghe.example';
const received: ParsedMail[] = [];
let smtp: SMTPServer;
let houvast: Instance;
let base = '';

/** The first e-mail to `address` whose subject matches, waiting for it. */
async function mailTo(address: string, subject: RegExp): Promise<ParsedMail> {
  for (let i = 0; i < 150; i++) {
    const mail = received.find((m) => m.to && JSON.stringify(m.to).includes(address) && subject.test(m.subject ?? ''));
    if (mail) return mail;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no e-mail to ${address} matching ${subject}; received: ${received.map((m) => m.subject).join(', ')}`);
}

/** The link in a mail, as a path on this Houvast. */
function linkIn(mail: ParsedMail): string {
  const url = new RegExp(`${base.replace(/[.]/g, '\\.')}/[^\\s]*`).exec(mail.text ?? '');
  expect(url, mail.text).not.toBeNull();
  return url![0].slice(base.length);
}

async function pageOf(browser: Browser): Promise<Page> {
  return houvast.pageOf(browser);
}

async function logIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Welkom|^Welcome/);
}

test.beforeAll(async () => {
  test.setTimeout(90_000);
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  const smtpPort = await freePort();
  await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', resolve));
  houvast = await startInstance('mail', {
    HOUVAST_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    HOUVAST_MAIL_FROM: 'Houvast <houvast@lindenhaghe.example>',
    HOUVAST_NOTIFY_EVERY_SECONDS: '2',
  });
  base = houvast.base;
});

test.afterAll(async () => {
  await houvast?.stop();
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
});

test('a new link for someone who already uses Houvast goes by e-mail to that person only, and works', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  // A new account holds no data: its activation link is shown to the
  // coordinator to hand over, as without e-mail.
  const page = await pageOf(browser);
  await logIn(page, coordinator, DEMO_PASSWORD);
  const unique = Date.now().toString().slice(-6);
  await page.goto('/people/new');
  await page.getByLabel('Naam', { exact: true }).fill('Sara Mail');
  await page.getByLabel('E-mailadres').fill(`sara.${unique}@lindenhaghe.example`);
  await page.getByLabel('Startende docent').check();
  await page.getByRole('button', { name: 'Toevoegen en link maken' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sara Mail');
  await expect(page.locator('code', { hasText: '/activate?token=' })).toBeVisible();

  // Someone who already uses Houvast: the link goes to them by e-mail, and
  // the coordinator never sees it.
  const email = 'l.kok@lindenhaghe.example';
  await page.goto('/people?q=Linda%20Kok');
  await page.getByRole('link', { name: 'Linda Kok' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Linda Kok');
  await page.getByRole('button', { name: 'Nieuwe link maken' }).click();
  await expect(page.getByText(`Een link voor Linda Kok is per e-mail verstuurd naar ${email}.`)).toBeVisible();
  await expect(page.locator('code', { hasText: 'token=' })).toHaveCount(0);

  const mail = await mailTo(email, /^Een nieuw wachtwoord voor Houvast$/);
  expect(mail.from?.text).toContain('houvast@lindenhaghe.example');
  expect(mail.text).toContain('Hallo Linda Kok,');
  expect(mail.text).toContain('De link werkt één keer en is 7 dagen geldig.');
  const link = linkIn(mail);
  expect(link).toMatch(/^\/reset\?/);

  const mentor = await pageOf(browser);
  await mentor.goto(link);
  const password = `Zomer-in-Delft-${unique}`;
  await mentor.getByLabel('Nieuw wachtwoord', { exact: true }).fill(password);
  await mentor.getByLabel('Herhaal het nieuwe wachtwoord', { exact: true }).fill(password);
  await mentor.getByRole('button', { name: 'Wachtwoord instellen' }).click();
  await expect(mentor.getByText(/Je wachtwoord is ingesteld\./)).toBeVisible();
  await logIn(mentor, email, password);
  await expect(mentor.getByRole('heading', { level: 1 })).toHaveText('Welkom, Linda');
});

test('a password reset arrives in the person\'s own language and its link works once', async ({ browser }) => {
  test.setTimeout(90_000);
  const email = 'p.ramdin@lindenhaghe.example';
  // She reads Houvast in English.
  const own = await pageOf(browser);
  await logIn(own, email, DEMO_PASSWORD);
  await own.getByRole('button', { name: 'Switch to English' }).click();
  await expect(own.getByRole('heading', { level: 1 })).toHaveText(/^Welcome/);
  await own.context().close();

  const page = await pageOf(browser);
  await page.goto('/forgot');
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByRole('button', { name: 'Stuur een link' }).click();
  const mail = await mailTo(email, /^A new password for Houvast$/);
  expect(mail.text).toContain('Someone asked for a new password for your Houvast account.');
  const link = linkIn(mail);
  expect(link).toMatch(/^\/reset\?/);

  await page.goto(link);
  const password = `Herfst-in-Zwolle-${Date.now().toString().slice(-6)}`;
  await page.getByLabel(/^(Nieuw wachtwoord|New password)$/).fill(password);
  await page.getByLabel(/^(Herhaal het nieuwe wachtwoord|Repeat the new password)$/).fill(password);
  await page.getByRole('button', { name: /^(Wachtwoord instellen|Set password)$/ }).click();
  await expect(page.getByText(/Je wachtwoord is ingesteld\.|Your password has been set\./)).toBeVisible();
  await logIn(page, email, password);
  // Used once: the same link is refused now.
  const again = await pageOf(browser);
  await again.goto(link);
  await expect(again.getByRole('button', { name: /^(Wachtwoord instellen|Set password)$/ })).toHaveCount(0);
});

test('a request to talk reaches the mentor by e-mail, without what the starter wrote', async ({ browser }) => {
  test.setTimeout(90_000);
  // A demo starter who has a mentor.
  let page: Page | undefined;
  for (const who of ['l.visser', 'd.mulder', 't.bos', 'm.yilmaz']) {
    const candidate = await pageOf(browser);
    await logIn(candidate, `${who}@lindenhaghe.example`, DEMO_PASSWORD);
    if ((await candidate.getByRole('heading', { name: 'Mijn begeleiders' }).count()) > 0) {
      page = candidate;
      break;
    }
    await candidate.context().close();
  }
  expect(page, 'a demo starter with a mentor').toBeDefined();
  const comment = `Zwaar rooster M${Date.now().toString().slice(-6)}Q`;
  await page!.goto('/check-in');
  for (const group of await page!.getByRole('group').all()) {
    const three = group.getByRole('radio', { name: '3', exact: true });
    if ((await three.count()) > 0) await three.check();
  }
  await page!.getByLabel('Wil je nog iets kwijt? (optioneel)').fill(comment);
  await page!.getByRole('radio', { name: 'Ja, met mijn mentor' }).check();
  await page!.getByRole('button', { name: 'Check-in versturen' }).click();
  const received_by = page!.getByText(/ontvangen door .+ \(/).first();
  await expect(received_by).toBeVisible();
  const mentor = /ontvangen door (.+?) \(/.exec((await received_by.textContent())!)![1];

  let mail: ParsedMail | undefined;
  for (let i = 0; i < 150 && !mail; i++) {
    mail = received.find((m) => (m.text ?? '').includes('wil graag met je praten'));
    if (!mail) await new Promise((r) => setTimeout(r, 200));
  }
  expect(mail, `a talk request e-mail among: ${received.map((m) => m.subject).join(', ')}`).toBeDefined();
  expect(mail!.text).toContain(`Hallo ${mentor},`);
  expect(mail!.text).not.toContain(comment);
  expect(mail!.text).toContain('De inhoud van gesprekken en check-ins staat nooit in e-mail');
  // The link opens Houvast for the mentor.
  const mentorEmail = JSON.stringify(mail!.to).match(/[\w.]+@lindenhaghe\.example/)![0];
  const mentorPage = await pageOf(browser);
  await logIn(mentorPage, mentorEmail, DEMO_PASSWORD);
  await mentorPage.goto(linkIn(mail!));
  await expect(mentorPage.getByRole('heading', { level: 1 })).toHaveText(`Welkom, ${mentor.split(' ')[0]}`);
});
