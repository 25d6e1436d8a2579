// The coordinator's retention page at a phone and a desktop viewport:
// curves and tables render without JavaScript, the benchmark names no
// other institution, small groups say they are hidden, chart text stays
// readable on a phone, the CSV downloads open with
// the right headers (UTF-8 with a byte-order mark, semicolons on request),
// and the page is accessible.
import { DEMO_PASSWORD, expect, expectAccessible, hydrated, logIn, snapshot, test } from './helpers';

const coordinator = 'm.vandenberg@lindenhaghe.example';

test('the retention page renders curves and tables without JavaScript, phone and desktop', async ({ browser }) => {
  for (const viewport of [
    { width: 390, height: 844 },
    { width: 1280, height: 900 },
  ]) {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport });
    const page = await context.newPage();
    await logIn(page, coordinator, DEMO_PASSWORD);
    await page.goto('/retention?measure=institution&by=cohort');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Behoud van starters');
    await expect(page.getByText(/ROC Lindenhaghe · peildatum/)).toBeVisible();
    // One curve per cohort shown, plus all other institutions together.
    const chart = page.getByRole('img', { name: /Nog in dienst bij de instelling/ });
    await expect(chart).toBeVisible();
    expect(await page.locator('figure.survival path.series').count()).toBeGreaterThan(2);
    await expect(page.locator('figure.survival .legend')).toContainText('Alle andere instellingen samen');
    const table = page.getByRole('table', { name: /Hoeveel starters blijven/ });
    await expect(table.getByRole('rowheader', { name: 'Iedereen' })).toBeVisible();
    await expect(table.getByRole('rowheader', { name: '2022/23' })).toBeVisible();
    await expect(table.getByRole('columnheader', { name: 'Na 12 mnd' })).toBeVisible();
    const html = await page.content();
    expect(html).not.toContain('Zuiderzee');
    // Chart text at least 12 px as drawn, and never "< 5".
    const sizes = await page.locator('figure svg text').evaluateAll((texts) =>
      texts.map((t) => {
        const svg = t.closest('svg')!;
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return parseFloat(getComputedStyle(t).fontSize) * scale;
      }),
    );
    expect(sizes.length).toBeGreaterThan(5);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(12);
    expect(await page.locator('main').textContent()).not.toContain('< 5');
    await expect(page.getByText('verborgen (minder dan 5 mensen)').first()).toBeVisible();
    // Table captions wrap inside the screen, even above a table that scrolls.
    const captionRights = await page.locator('.table-scroll caption').evaluateAll((captions) =>
      captions.map((c) => c.getBoundingClientRect().right),
    );
    expect(captionRights.length).toBeGreaterThan(1);
    expect(Math.max(...captionRights)).toBeLessThanOrEqual(viewport.width);
    await snapshot(page, `retention-${viewport.width}`);
    await context.close();
  }
});

test('switching measure and split, CSV downloads, axe', async ({ page }) => {
  await logIn(page, coordinator, DEMO_PASSWORD);
  await page.goto('/retention');
  await hydrated(page);
  await expectAccessible(page);
  await page.getByLabel('Wat telt als blijven').selectOption('education');
  await page.getByLabel('Uitgesplitst naar').selectOption('route');
  await page.getByRole('button', { name: 'Toon' }).click();
  await expect(page).toHaveURL(/measure=education&by=route/);
  await expect(page.getByRole('heading', { name: /Nog in het onderwijs · Instroomroute/ })).toBeVisible();
  await expectAccessible(page);
  await snapshot(page, 'retention-route');

  // Figures as CSV: UTF-8 with a byte-order mark; semicolons and decimal
  // commas for Dutch Excel.
  const plain = await page.request.get('/retention.csv?table=readouts&measure=education&by=route');
  expect(plain.status()).toBe(200);
  expect(plain.headers()['content-type']).toBe('text/csv; charset=utf-8');
  expect(plain.headers()['content-disposition']).toContain('attachment; filename="houvast-behoud-readouts-education-route.csv"');
  const body = await plain.body();
  expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = body.toString('utf8').slice(1);
  expect(text.split('\r\n')[0] ?? text.split('\n')[0]).toMatch(/^group,people,events,survival_6m/);
  expect(text).toContain('all_other_institutions');
  expect(text).not.toContain('Zuiderzee');
  const dutch = await page.request.get('/retention.csv?table=readouts&measure=education&by=route&sep=semicolon');
  const dutchText = (await dutch.text()).replace(/^\ufeff/, '');
  expect(dutchText.split('\n')[0]).toMatch(/^group;people;events;survival_6m/);
  expect(dutchText).toMatch(/;0,\d{3};/);

  // The per-person records behind the curves are for analysts only: a
  // coordinator gets neither the link nor the file.
  await expect(page.getByRole('link', { name: /records/i })).toHaveCount(0);
  const records = await page.request.get('/retention.csv?table=records');
  expect(records.status()).toBe(403);
});

test('a team leader sees their teams only; a starter is refused', async ({ browser }) => {
  const context = await browser.newContext();
  const leader = await context.newPage();
  await logIn(leader, 'h.jansen@lindenhaghe.example', DEMO_PASSWORD);
  await leader.goto('/retention?by=team');
  await expect(leader.getByText(/Je teams:/)).toBeVisible();
  await expect(leader.locator('figure.survival .legend')).not.toContainText('Alle andere instellingen samen');
  await context.close();

  const starterContext = await browser.newContext();
  const starter = await starterContext.newPage();
  await logIn(starter, 's.devries@lindenhaghe.example', DEMO_PASSWORD);
  const refused = await starter.request.get('/retention.csv?table=records');
  expect(refused.status()).toBe(403);
  await starterContext.close();
});
