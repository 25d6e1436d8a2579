"""A load generator for Houvast (standard library only).

Logs in demo people (at most HOUVAST_LOAD_PEOPLE per role, default 60,
spread over the list) through the JSON login endpoint, then runs a
realistic mix of what people do for a fixed time from `clients` threads,
each with its own keep-alive connection:

- starters: their home, the check-in form, and checking in (POST);
- mentors: their home and logging a conversation with a mentee (POST);
- team leaders: the watch list;
- coordinators: the starters list, retention, pairing and the watch list.

HOUVAST_LOAD_ROLES (comma-separated, e.g. `coordinator`) keeps only those
roles' turns, to see what one role's pages cost.

Each turn a client acts as one person, chosen by role share (a Monday
morning: mostly starters), so even one client runs the whole mix.

Prints views per second, p50/p95/p99 per page, answers by status, and the
server's peak resident memory when its process id is given. Figures, not
a test: nothing is asserted.

    python3 load.py BASE_URL LOGINS_FILE CLIENTS SECONDS [SERVER_PID]

LOGINS_FILE holds the demo logins as `houvast demo` or `houvast serve`
prints them.
"""

import collections
import os
import http.client
import random
import re
import sys
import threading
import time
import urllib.parse

PASSWORD = "Houvast-demo-2026"

# Per role: (weight, kind, path) of what a person of that role does.
MIX = {
    "starter": [(6, "GET", "/"), (3, "GET", "/check-in"), (1, "CHECKIN", "/api/checkins/submit")],
    "mentor": [(8, "GET", "/"), (1, "LOG", "/api/mentoring/log")],
    "team_leader": [(1, "GET", "/watch-list")],
    "coordinator": [
        (3, "GET", "/starters"),
        (1, "GET", "/retention"),
        (1, "GET", "/pairing"),
        (1, "GET", "/watch-list"),
    ],
}
# Who is acting, by share of the turns.
ROLE_SHARE = [("starter", 0.55), ("mentor", 0.25), ("team_leader", 0.1), ("coordinator", 0.1)]


def connect(host, port):
    return http.client.HTTPConnection(host, port, timeout=60)


def login(host, port, email):
    conn = connect(host, port)
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


def get(conn, path, cookie):
    conn.request("GET", path, headers={"Cookie": cookie, "Accept-Encoding": "br"})
    response = conn.getresponse()
    return response.status, response.read()


class Person:
    def __init__(self, role, email, cookie, mentees):
        self.role, self.email, self.cookie, self.mentees = role, email, cookie, mentees


def discover(host, port, logins_file, per_role):
    """The demo logins with a role the mix uses (as `houvast demo` prints
    them), at most `per_role` of each role spread evenly over the list,
    logged in."""
    listed = collections.defaultdict(list)
    with open(logins_file, encoding="utf-8") as printed:
        for line in printed:
            match = re.match(r"\s+(starter|mentor|team_leader|coordinator)\s+(\S+@\S+)\s", line)
            if match:
                listed[match.group(1)].append(match.group(2))
    chosen = []
    for role, emails in listed.items():
        step = max(1, len(emails) / per_role)
        picked = sorted({int(i * step) for i in range(min(per_role, len(emails)))})
        chosen.extend((role, emails[i]) for i in picked)
    people = []
    for role, email in chosen:
        cookie = login(host, port, email)
        mentees = []
        if role == "mentor":
            _, page = get(connect(host, port), "/", cookie)
            mentees = sorted({int(m) for m in re.findall(rb'href="/mentees/(\d+)"', page)})
        people.append(Person(role, email, cookie, mentees))
    if not people:
        sys.exit(f"no demo logins in {logins_file}")
    return people


def post_form(conn, host, port, path, cookie, fields):
    body = urllib.parse.urlencode(fields, doseq=True)
    conn.request(
        "POST",
        path,
        body,
        {
            "Cookie": cookie,
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
            "Origin": f"http://{host}:{port}",
        },
    )
    response = conn.getresponse()
    return response.status, response.read()


def act(conn, host, port, person, kind, path, rng):
    if kind == "GET":
        return get(conn, path, person.cookie)[0]
    if kind == "CHECKIN":
        scores = {
            k: str(rng.randint(2, 5))
            for k in ("wellbeing", "workload", "support", "confidence", "intention_to_stay")
        }
        return post_form(conn, host, port, path, person.cookie, scores)[0]
    if kind == "LOG":
        if not person.mentees:
            return get(conn, "/", person.cookie)[0]
        fields = {
            "starter": str(rng.choice(person.mentees)),
            "status": "held",
            "on": time.strftime("%Y-%m-%d"),
            "duration": "30",
            "kind": "guidance",
            "topics[]": ["workload"],
            "summary": "Korte bespreking van de week.",
        }
        return post_form(conn, host, port, path, person.cookie, fields)[0]
    raise ValueError(kind)


def client(host, port, by_role, until, results, seed):
    """One client: each turn a person (by role share), then one of their actions."""
    rng = random.Random(seed)
    only = os.environ.get("HOUVAST_LOAD_ROLES", "").split(",")
    wanted = [(role, share) for role, share in ROLE_SHARE if by_role[role] and (only == [""] or role in only)]
    roles = [role for role, _ in wanted]
    shares = [share for _, share in wanted]
    conn = connect(host, port)
    while time.perf_counter() < until:
        role = rng.choices(roles, shares)[0]
        person = rng.choice(by_role[role])
        mix = MIX[role]
        _, kind, path = rng.choices(mix, [w for w, _, _ in mix])[0]
        label = f"{kind} {path} ({role})" if kind == "GET" else f"POST {path}"
        began = time.perf_counter()
        try:
            status = act(conn, host, port, person, kind, path, rng)
        except (OSError, http.client.HTTPException) as err:
            status = type(err).__name__
            conn = connect(host, port)
        results.append((label, status, (time.perf_counter() - began) * 1000))


def percentile(sorted_values, share):
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * share))]


def peak_memory_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def processor_seconds(pid):
    """User and system processor time the process has used, in seconds."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def main():
    base, logins_file, clients, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    per_role = int(os.environ.get("HOUVAST_LOAD_PEOPLE", "60"))
    pid = sys.argv[5] if len(sys.argv) > 5 and sys.argv[5] else None
    url = urllib.parse.urlparse(base)
    host, port = url.hostname, url.port or 80
    people = discover(host, port, logins_file, per_role)
    by_role = collections.defaultdict(list)
    for person in people:
        by_role[person.role].append(person)

    results = []
    until = time.perf_counter() + seconds
    threads = [
        threading.Thread(target=client, args=(host, port, by_role, until, results, i), daemon=True)
        for i in range(clients)
    ]
    server_before = processor_seconds(pid) if pid else None
    own_before = sum(os.times()[:2])
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    own = sum(os.times()[:2]) - own_before
    server_after = processor_seconds(pid) if pid else None

    print(f"{clients} clients for {seconds:.0f} s at {base}: {len(people)} people logged in")
    print(f"{'page':44}{'views':>7}{'views/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    per_page = collections.defaultdict(list)
    for label, _, ms in results:
        per_page[label].append(ms)
    for label in sorted(per_page):
        values = sorted(per_page[label])
        print(
            f"{label:44}{len(values):7}{len(values) / elapsed:9.1f}{percentile(values, 0.5):9.1f}"
            f"{percentile(values, 0.95):9.1f}{percentile(values, 0.99):9.1f}"
        )
    everything = sorted(ms for _, _, ms in results)
    if everything:
        print(
            f"{'all':44}{len(everything):7}{len(everything) / elapsed:9.1f}{percentile(everything, 0.5):9.1f}"
            f"{percentile(everything, 0.95):9.1f}{percentile(everything, 0.99):9.1f}"
        )
    statuses = collections.Counter(str(status) for _, status, _ in results)
    print("answers by status: " + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())))
    if pid:
        memory = peak_memory_mb(pid)
        if memory is not None:
            print(f"server peak resident memory: {memory:.0f} MB")
    if everything:
        # Processor time per view, not wall time: robust against the
        # machine's drift, and it says what the load generator (sharing
        # the same processors) took for itself.
        line = f"processor time per view: load generator {own * 1000 / len(everything):.2f} ms"
        if server_before is not None and server_after is not None:
            line = f"{line}, server {(server_after - server_before) * 1000 / len(everything):.2f} ms"
        print(line)


if __name__ == "__main__":
    main()
