// Lighthouse (mobile emulation) against a running Houvast: each page three
// times as the person who uses it, printing the median and the worst run of
// the performance score, total blocking time and largest contentful paint,
// the accessibility and best-practices scores, and the bytes a first load
// transfers (compressed, as served). Figures, not a test: nothing is
// asserted.
//
//   node run.mjs BASE_URL [RUNS]
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const base = (process.argv[2] ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const runs = Number(process.argv[3] ?? 3);
const password = 'Houvast-demo-2026';

/** A session cookie for a demo login. */
async function logIn(email) {
  const response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      origin: base,
    },
    body: new URLSearchParams({ email, password }),
  });
  if (!response.ok) throw new Error(`login of ${email}: ${response.status}`);
  const cookies = response.headers.getSetCookie().map((c) => c.split(';')[0]);
  return cookies.join('; ');
}

/** The first mentee page of the mentor's home, for the log form. */
async function firstMentee(cookie) {
  const html = await fetch(`${base}/`, { headers: { cookie } }).then((r) => r.text());
  const id = /\/mentees\/(\d+)/.exec(html)?.[1];
  if (!id) throw new Error('the mentor has no mentee to log a conversation with');
  return `/mentees/${id}/log`;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const starter = await logIn('s.devries@lindenhaghe.example');
  const mentor = await logIn('j.degraaf@lindenhaghe.example');
  const teamLeader = await logIn('h.jansen@lindenhaghe.example');
  const pages = [
    ['/login', '/login', ''],
    ["starter's home", '/', starter],
    ['/check-in', '/check-in', starter],
    ["mentor's home", '/', mentor],
    ["mentor's log form", await firstMentee(mentor), mentor],
    ['watch list', '/watch-list', teamLeader],
  ];
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    chromeFlags: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const rows = [];
  try {
    for (const [name, path, cookie] of pages) {
      const results = [];
      for (let i = 0; i < runs; i++) {
        const { lhr } = await lighthouse(
          `${base}${path}`,
          {
            port: chrome.port,
            output: 'json',
            logLevel: 'error',
            onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
            extraHeaders: cookie ? { Cookie: cookie } : undefined,
            disableStorageReset: false,
          },
        );
        if (lhr.runtimeError) throw new Error(`${name}: ${lhr.runtimeError.message}`);
        results.push({
          performance: Math.round(lhr.categories.performance.score * 100),
          accessibility: Math.round(lhr.categories.accessibility.score * 100),
          bestPractices: Math.round(lhr.categories['best-practices'].score * 100),
          seo: Math.round(lhr.categories.seo.score * 100),
          tbt: lhr.audits['total-blocking-time'].numericValue,
          lcp: lhr.audits['largest-contentful-paint'].numericValue,
          bytes: lhr.audits['total-byte-weight'].numericValue,
        });
      }
      const pick = (key) => results.map((r) => r[key]);
      rows.push({
        page: name,
        'perf median': median(pick('performance')),
        'perf worst': Math.min(...pick('performance')),
        'TBT ms median': Math.round(median(pick('tbt'))),
        'TBT ms worst': Math.round(Math.max(...pick('tbt'))),
        'LCP s median': (median(pick('lcp')) / 1000).toFixed(2),
        'LCP s worst': (Math.max(...pick('lcp')) / 1000).toFixed(2),
        a11y: Math.min(...pick('accessibility')),
        'best pr.': Math.min(...pick('bestPractices')),
        // Search engines only ever see the public pages.
        seo: cookie ? '-' : Math.min(...pick('seo')),
        'KiB first load': Math.round(median(pick('bytes')) / 1024),
      });
      console.error(`measured ${name}`);
    }
  } finally {
    await chrome.kill();
  }
  console.table(rows);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
