"""A small load generator for Houvast's pages (standard library only).

Logs in demo users through the JSON login endpoint, then requests each page
`requests` times from `clients` threads, each with its own keep-alive
connection, and prints throughput and latency percentiles per page.
"""

import http.client
import json
import statistics
import sys
import threading
import time
import urllib.parse

PASSWORD = "Houvast-demo-2026"
PAGES = [
    ("m.vandenberg@lindenhaghe.example", "/retention"),
    ("m.vandenberg@lindenhaghe.example", "/retention?measure=institution&by=team"),
    ("m.vandenberg@lindenhaghe.example", "/watch-list"),
    ("h.jansen@lindenhaghe.example", "/watch-list"),
    ("m.vandenberg@lindenhaghe.example", "/signals/backtest"),
    ("s.devries@lindenhaghe.example", "/"),
]


def login(host, port, email):
    conn = http.client.HTTPConnection(host, port, timeout=60)
    body = urllib.parse.urlencode({"email": email, "password": PASSWORD})
    conn.request(
        "POST",
        "/api/auth/login",
        body,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
            "Origin": f"http://{host}:{port}",
        },
    )
    response = conn.getresponse()
    response.read()
    cookies = [v.split(";")[0] for k, v in response.getheaders() if k.lower() == "set-cookie"]
    if response.status >= 400 or not cookies:
        sys.exit(f"login as {email} failed: {response.status}")
    return "; ".join(cookies)


def hammer(host, port, path, cookie, count, latencies, errors):
    conn = http.client.HTTPConnection(host, port, timeout=60)
    for _ in range(count):
        started = time.perf_counter()
        try:
            conn.request("GET", path, headers={"Cookie": cookie, "Accept-Encoding": "br"})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors.append(response.status)
        except (OSError, http.client.HTTPException) as err:
            errors.append(str(err))
            conn = http.client.HTTPConnection(host, port, timeout=60)
        latencies.append((time.perf_counter() - started) * 1000)


def main():
    base, requests, clients = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    url = urllib.parse.urlparse(base)
    host, port = url.hostname, url.port or 80
    cookies = {}
    print(f"{requests} requests per page from {clients} clients at {base}")
    print(f"{'page':48}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'errors':>8}")
    for email, path in PAGES:
        if email not in cookies:
            cookies[email] = login(host, port, email)
        latencies, errors = [], []
        per_client = max(1, requests // clients)
        threads = [
            threading.Thread(target=hammer, args=(host, port, path, cookies[email], per_client, latencies, errors))
            for _ in range(clients)
        ]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        latencies.sort()
        p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
        label = f"{path} ({email.split('@')[0]})"
        print(
            f"{label:48}{len(latencies) / elapsed:8.1f}{statistics.median(latencies):9.1f}"
            f"{p95:9.1f}{latencies[-1]:9.1f}{len(errors):8}"
        )


if __name__ == "__main__":
    main()
