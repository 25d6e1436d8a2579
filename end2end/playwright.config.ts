// Houvast in a real browser. Runs the built `houvast` binary against a fresh
// database (scripts/test.sh sets HOUVAST_E2E_DATABASE_URL), in Debian's
// headless Chromium at a phone-sized viewport. No browser is ever downloaded.
import { defineConfig } from '@playwright/test';

const port = Number(process.env.HOUVAST_E2E_PORT ?? 3107);
const bin = process.env.HOUVAST_BIN ?? '../target/release/houvast';
const databaseUrl = process.env.HOUVAST_E2E_DATABASE_URL ?? 'sqlite://../target/e2e/houvast.db';

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  workers: 2,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'nl-NL',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-gpu',
      ],
    },
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: `${bin} serve --addr 127.0.0.1:${port} --demo-if-empty`,
    url: `http://127.0.0.1:${port}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    env: {
      HOUVAST_DATABASE_URL: databaseUrl,
      RUST_LOG: process.env.RUST_LOG ?? 'warn',
    },
  },
});
