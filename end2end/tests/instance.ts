// A Houvast of a spec's own: the release binary on a free port with a fresh
// demo database (a file, or on the PostgreSQL run a new database on the same
// server), for specs that need settings the shared instance does not have
// (e-mail on, school login). Stopped, and its database dropped, by `stop`.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';

const bin = process.env.HOUVAST_BIN ?? '../target/release/houvast';
// The suite's database URL says which backend this run is for.
const suiteDatabase = process.env.HOUVAST_E2E_DATABASE_URL ?? '';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Instance {
  base: string;
  pageOf(browser: Browser): Promise<Page>;
  stop(): Promise<void>;
}

/** Start an instance on `port` (or a free one) with `env` added; `name` tags its files and database. */
export async function startInstance(name: string, env: Record<string, string>, port?: number): Promise<Instance> {
  const listen = port ?? (await freePort());
  const base = `http://127.0.0.1:${listen}`;
  const dataDir = mkdtempSync(join(tmpdir(), `houvast-${name}-`));
  let database: string | undefined;
  let url = `sqlite://${join(dataDir, 'houvast.db')}`;
  if (suiteDatabase.startsWith('postgres')) {
    database = `houvast_${name}_${process.pid}_${Date.now()}`;
    execFileSync('psql', ['-q', suiteDatabase, '-c', `CREATE DATABASE ${database}`]);
    url = `${suiteDatabase.replace(/\/[^/]*$/, '')}/${database}`;
  }
  const child: ChildProcess = spawn(bin, ['serve', '--addr', `127.0.0.1:${listen}`, '--demo-if-empty'], {
    env: { ...process.env, HOUVAST_DATABASE_URL: url, HOUVAST_PUBLIC_URL: base, RUST_LOG: 'warn', ...env },
    stdio: 'ignore',
  });
  const stop = async () => {
    child.kill();
    await new Promise((r) => setTimeout(r, 100));
    rmSync(dataDir, { recursive: true, force: true });
    if (database) {
      execFileSync('psql', ['-q', suiteDatabase, '-c', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`]);
    }
  };
  for (let i = 0; i < 300; i++) {
    const ready = await fetch(`${base}/readyz`).then((r) => r.ok).catch(() => false);
    if (ready) {
      return {
        base,
        stop,
        async pageOf(browser: Browser) {
          const context = await browser.newContext({ baseURL: base });
          return context.newPage();
        },
      };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`the ${name} instance of Houvast did not start`);
}
