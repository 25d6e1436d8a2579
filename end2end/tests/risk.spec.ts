// Red and amber from the calibrated risk, on an instance of its own (the
// shared one keeps the fixed rules): the coordinator sees what each
// threshold would flag today and how it did on the period, tries red and
// amber and sees their effect (no alert opens for what is already known),
// adopts them, finds each starter's chance and its reasons on the watch
// list, and goes back to the fixed rules. axe on every page.
import { DEMO_PASSWORD, expect, expectAccessible, hydrated, logIn, snapshot, test } from './helpers';
import { startInstance, type Instance } from './instance';

const coordinator = 'm.vandenberg@lindenhaghe.example';
let houvast: Instance;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  houvast = await startInstance('risk', {});
});

test.afterAll(async () => {
  await houvast?.stop();
});

test('the coordinator chooses red and amber from the calibrated risk by seeing their effect', async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await houvast.pageOf(browser);
  await logIn(page, coordinator, DEMO_PASSWORD);
  await page.goto('/signals/backtest');
  const section = page.getByRole('region', { name: 'Rood en oranje uit de gekalibreerde kans' });
  await expect(section.getByText(/^Nu bepalen de vaste regels rood en oranje: vandaag \d+ van de \d+ starters rood/)).toBeVisible();
  const choices = section.getByRole('table', { name: /^Wat elke drempel doet/ });
  await expect(choices.getByRole('row')).toHaveCount(15);
  // A higher threshold flags no more starters today.
  const today = (await choices.locator('tbody tr td:first-of-type').allTextContents()).map((t) => Number(t.split(' ')[0]));
  for (let i = 1; i < today.length; i++) expect(today[i]).toBeLessThanOrEqual(today[i - 1]);
  await hydrated(page);
  await expectAccessible(page);

  // Amber above red is refused in words.
  await section.getByLabel('Rood vanaf').selectOption({ label: '10%' });
  await section.getByLabel('Oranje vanaf').selectOption({ label: '25%' });
  await section.getByRole('button', { name: 'Bekijk het effect' }).click();
  await expect(page.getByRole('alert')).toContainText('Oranje kan niet hoger liggen dan rood.');
  await page.getByRole('link', { name: 'Kies de drempels opnieuw' }).click();

  // Red from 25%, amber from 10%: the effect today, and no alert.
  await section.getByLabel('Rood vanaf').selectOption({ label: '25%' });
  await section.getByLabel('Oranje vanaf').selectOption({ label: '10%' });
  await section.getByRole('button', { name: 'Bekijk het effect' }).click();
  await expect(page).toHaveURL(/red=250&amber=100/);
  const preview = page.locator('#risk-preview');
  await expect(preview).toContainText(/Met rood vanaf 25% en oranje vanaf 10%: vandaag \d+ rood en \d+ oranje/);
  await expect(preview).toContainText('Deze wijziging opent vandaag 0 meldingen');
  await expectAccessible(page);
  await snapshot(page, 'risk-preview');

  await preview.getByRole('button', { name: 'Gebruik deze drempels' }).click();
  await expect(page).toHaveURL(/adopted=1/);
  await expect(page.getByText('De gekalibreerde kans bepaalt nu rood en oranje.', { exact: false })).toBeVisible();
  await expect(section.getByText(/^In gebruik sinds .*: rood vanaf 25% kans op vertrek, oranje vanaf 10%/)).toBeVisible();

  // The watch list: each starter's chance, and what raises it, in words.
  await page.goto('/watch-list?show=all');
  const first = page.locator('li.watch-row').first();
  await expect(first.locator('.watch-risk')).toContainText(/^Kans op vertrek: \d+%/);
  await expect(page.locator('.watch-risk', { hasText: 'Vooral door:' }).first()).toBeVisible();
  await expectAccessible(page);
  await snapshot(page, 'watch-list-risk');

  // Back to the fixed rules.
  await page.goto('/signals/backtest');
  await section.getByRole('button', { name: 'Terug naar de vaste regels' }).click();
  await expect(page.getByText('De vaste regels bepalen weer rood en oranje.')).toBeVisible();
  await expect(section.getByText(/^Nu bepalen de vaste regels rood en oranje/)).toBeVisible();
  await page.goto('/watch-list?show=all');
  await expect(page.locator('.watch-risk')).toHaveCount(0);
});
