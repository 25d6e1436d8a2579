//! The `houvast` binary as an operator uses it: help, migrate, demo, serve,
//! and a clean exit on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_houvast");

fn houvast(db_url: &str, args: &[&str]) -> (bool, String) {
    let output = Command::new(BIN)
        .args(args)
        .env("HOUVAST_DATABASE_URL", db_url)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[test]
fn help_explains_every_command_and_its_environment_variable() {
    let (ok, top) = houvast("sqlite::memory:", &["--help"]);
    assert!(ok, "{top}");
    for needle in [
        "serve",
        "migrate",
        "demo",
        "HOUVAST_DATABASE_URL",
        "HOUVAST_LOG_FORMAT",
        "HOUVAST_DB_POOL_SIZE",
    ] {
        assert!(top.contains(needle), "--help lacks {needle}: {top}");
    }
    let (ok, serve) = houvast("sqlite::memory:", &["serve", "--help"]);
    assert!(ok, "{serve}");
    for needle in [
        "HOUVAST_ADDR",
        "HOUVAST_PUBLIC_URL",
        "HOUVAST_SITE_ROOT",
        "HOUVAST_DEMO_IF_EMPTY",
        "127.0.0.1:3000",
    ] {
        assert!(serve.contains(needle), "serve --help lacks {needle}: {serve}");
    }
}

#[test]
fn migrate_and_demo_create_the_database_and_are_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("nested/houvast.db").display());
    let (ok, text) = houvast(&url, &["migrate"]);
    assert!(ok, "{text}");
    assert!(
        dir.path().join("nested/houvast.db").exists(),
        "the folder and file are created"
    );

    let (ok, first) = houvast(&url, &["demo"]);
    assert!(
        ok && first.contains("Demo data loaded: 2 institution(s), 12 team(s), 25 people."),
        "{first}"
    );
    assert!(
        first.contains("m.vandenberg@lindenhaghe.example") && first.contains("Houvast-demo-2026"),
        "{first}"
    );
    let (ok, second) = houvast(&url, &["demo"]);
    assert!(ok && second.contains("already present"), "{second}");
}

#[test]
fn the_national_dataset_loads_into_an_empty_database_only_and_writes_its_logins() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("national.db").display());
    let logins = dir.path().join("logins.txt");
    let args = |seed: &'static str| {
        vec![
            "demo",
            "--scale",
            "national",
            "--seed",
            seed,
            "--institutions",
            "2",
            "--starters",
            "60",
            "--logins",
            logins.to_str().unwrap(),
        ]
    };
    let (ok, text) = houvast(&url, &args("4"));
    assert!(ok, "{text}");
    assert!(
        text.contains("National dataset (seed 4) loaded")
            && text.contains("2 institutions")
            && text.contains("60 starters"),
        "{text}"
    );
    let written = std::fs::read_to_string(&logins).unwrap();
    for role in ["admin", "coordinator", "team_leader", "mentor", "starter"] {
        assert!(
            written.lines().any(|l| l.trim_start().starts_with(role)),
            "{role} in {written}"
        );
    }
    // Loading it twice would double every institution: refused, clearly.
    let (ok, again) = houvast(&url, &args("4"));
    assert!(!ok && again.contains("empty database"), "{again}");
}

#[test]
fn a_bad_database_url_is_a_clear_error() {
    let (ok, text) = houvast("mysql://nope", &["migrate"]);
    assert!(!ok);
    assert!(text.contains("cannot open database mysql://nope"), "{text}");
    assert!(text.contains("sqlite: or postgres://"), "{text}");
}

#[test]
fn serve_prints_its_url_answers_and_exits_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("houvast.db").display());
    let mut child = Command::new(BIN)
        .args(["serve", "--addr", "127.0.0.1:0", "--demo-if-empty"])
        .env("HOUVAST_DATABASE_URL", &url)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut printed = String::new();
    let base = loop {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "server exited early: {printed}"
        );
        printed.push_str(&line);
        if let Some(rest) = line.strip_prefix("Houvast is running at http://") {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
    };
    assert!(printed.contains("Demo data loaded"), "{printed}");

    let mut stream = TcpStream::connect(&base).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        stream,
        "GET /readyz HTTP/1.1\r\nHost: {base}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(
        response.starts_with("HTTP/1.1 200 OK") && response.ends_with("ready"),
        "{response}"
    );

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(std::time::Instant::now() < deadline, "no exit 10 s after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status {status:?}");
}

#[test]
fn the_first_admin_is_created_from_the_command_line_with_a_password_never_in_argv() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("houvast.db").display());
    let create = |env_password: Option<&str>, stdin: &str, email: &str| {
        let mut command = Command::new(BIN);
        command
            .args(["admin", "create", "--email", email, "--name", "Ada Beheer"])
            .env("HOUVAST_DATABASE_URL", &url)
            .env("RUST_LOG", "warn")
            .env_remove("HOUVAST_ADMIN_PASSWORD")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(password) = env_password {
            command.env("HOUVAST_ADMIN_PASSWORD", password);
        }
        let mut child = command.spawn().unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        let output = child.wait_with_output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        (output.status.success(), text)
    };
    let (ok, weak) = create(Some("welkom123456"), "", "ada@houvast.example");
    assert!(!ok && weak.contains("TooGuessable"), "{weak}");
    let (ok, text) = create(Some("vlinder kompas oktober 17"), "", "ada@houvast.example");
    assert!(
        ok && text.contains("Administrator ada@houvast.example created"),
        "{text}"
    );
    let (ok, text) = create(None, "zeilboot regenjas kiezel 3\n", "bob@houvast.example");
    assert!(ok, "password from standard input: {text}");
    let (ok, text) = create(Some("vlinder kompas oktober 17"), "", "ada@houvast.example");
    assert!(!ok && text.contains("Taken"), "{text}");

    let argv = Command::new(BIN)
        .args(["admin", "create", "--email", "x@y.nl", "--password", "geheim"])
        .output()
        .unwrap();
    assert!(!argv.status.success(), "there is no --password option");
}

#[test]
fn import_from_the_command_line_reports_per_row_and_fails_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("houvast.db").display());
    let (ok, template) = houvast(&url, &["import", "template"]);
    assert!(ok, "{template}");
    assert!(
        template.starts_with("\u{feff}personeelsnummer;naam;e-mail;rol;team;startdatum"),
        "{template}"
    );
    let (ok, text) = houvast(&url, &["demo"]);
    assert!(ok, "{text}");

    let good = dir.path().join("good.csv");
    std::fs::write(&good, &template).unwrap();
    let (ok, text) = houvast(
        &url,
        &[
            "import",
            "starters",
            "--institution",
            "25LH",
            "--dry-run",
            good.to_str().unwrap(),
        ],
    );
    assert!(ok, "{text}");
    assert!(
        text.contains("row     2  100234       Fatima El Amrani: create"),
        "{text}"
    );
    assert!(
        text.contains("2 rows: 2 to create, 0 to update, 0 unchanged, 0 with errors (dry run, nothing written)"),
        "{text}"
    );
    let (ok, text) = houvast(
        &url,
        &["import", "starters", "--institution", "25LH", good.to_str().unwrap()],
    );
    assert!(ok && text.contains("(imported)"), "{text}");
    let (ok, text) = houvast(
        &url,
        &["import", "starters", "--institution", "25LH", good.to_str().unwrap()],
    );
    assert!(ok && text.contains("0 to create, 0 to update, 2 unchanged"), "{text}");

    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "personeelsnummer;naam;rol;startdatum;fte;contract;instroomroute\n777;Nieuw Persoon;starter;1-9-2026;2;vast;regulier\n",
    )
    .unwrap();
    let (ok, text) = houvast(
        &url,
        &["import", "starters", "--institution", "25LH", bad.to_str().unwrap()],
    );
    assert!(!ok, "an error row exits non-zero: {text}");
    assert!(
        text.contains("row     2  777          Nieuw Persoon: ERROR column \"fte\": FTE must be between 0,01 and 1,2"),
        "{text}"
    );
    assert!(text.contains("nothing was imported"), "{text}");
    let (ok, text) = houvast(
        &url,
        &["import", "starters", "--institution", "99XX", good.to_str().unwrap()],
    );
    assert!(!ok && text.contains("no institution with BRIN code 99XX"), "{text}");
}

#[test]
fn backup_copies_the_database_into_a_new_file_that_opens_as_houvast() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("houvast.db").display());
    let (ok, text) = houvast(&url, &["demo"]);
    assert!(ok, "{text}");
    let copy = dir.path().join("backups/houvast-2026-12-01.db");
    std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
    let (ok, text) = houvast(&url, &["backup", copy.to_str().unwrap()]);
    assert!(ok && text.contains("Backup written to"), "{text}");
    // The copy is a working Houvast database with the same data.
    let copy_url = format!("sqlite://{}", copy.display());
    let original = houvast(&url, &["signals", "--institution", "25LH", "--date", "2026-06-01"]);
    let restored = houvast(&copy_url, &["signals", "--institution", "25LH", "--date", "2026-06-01"]);
    assert!(original.0 && restored.0, "{}", restored.1);
    assert_eq!(original.1, restored.1);
    // Never over an existing file.
    let (ok, text) = houvast(&url, &["backup", copy.to_str().unwrap()]);
    assert!(!ok && text.contains("already exists"), "{text}");
}

#[test]
fn signals_and_backtest_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("houvast.db").display());
    let (ok, text) = houvast(&url, &["demo"]);
    assert!(ok, "{text}");

    let (ok, json) = houvast(&url, &["signals", "--institution", "25LH", "--format", "json"]);
    assert!(ok, "{json}");
    let lines: serde_json::Value = serde_json::from_str(&json).unwrap();
    let lines = lines.as_array().unwrap();
    assert!(lines.len() > 100, "every employed starter: {}", lines.len());
    // Most at risk first, each with level, score and evidence.
    assert_eq!(lines[0]["level"], "red", "{}", lines[0]);
    assert!(lines[0]["signals"][0]["evidence"].is_object(), "{}", lines[0]);
    let scores: Vec<u64> = lines
        .iter()
        .filter(|l| l["level"] == "red")
        .map(|l| l["score"].as_u64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");

    let (ok, csv) = houvast(&url, &["signals", "--institution", "25LH", "--date", "2026-06-01"]);
    assert!(ok, "{csv}");
    assert!(
        csv.starts_with("employee_number,name,team,level,score,signals\n"),
        "{csv}"
    );
    assert!(csv.contains("(red): "), "{csv}");

    let (ok, csv) = houvast(
        &url,
        &[
            "backtest",
            "--institution",
            "25LH",
            "--from",
            "2025-06-01",
            "--to",
            "2026-05-31",
            "--horizon-months",
            "6",
        ],
    );
    assert!(ok, "{csv}");
    assert!(
        csv.starts_with("signal,horizon_months,starters,leavers,flagged_starters,flagged_starter_days,leavers_found,base_rate,base_rate_low,base_rate_high,precision,"),
        "{csv}"
    );
    let any: Vec<&str> = csv
        .lines()
        .find(|l| l.starts_with("any_signal,"))
        .unwrap()
        .split(',')
        .collect();
    let (leavers, found) = (any[3].parse::<u32>().unwrap(), any[6].parse::<u32>().unwrap());
    assert!(leavers > 0 && found > 0 && found <= leavers, "{csv}");

    // The calibrated risk's thresholds: what decides now, then each
    // threshold's starters today (fewer the higher it is).
    let (ok, csv) = houvast(
        &url,
        &[
            "backtest",
            "--institution",
            "25LH",
            "--from",
            "2025-06-01",
            "--to",
            "2026-05-31",
            "--choose",
        ],
    );
    assert!(ok, "{csv}");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "flag,flagged_today,starters_today,share_today,precision,recall,lift"
    );
    assert!(
        lines[1].starts_with("now_red,") && lines[2].starts_with("now_red_or_amber,"),
        "{csv}"
    );
    let today: Vec<u32> = lines[3..]
        .iter()
        .map(|l| l.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    assert_eq!(today.len(), houvast::domain::risk::CHOICES.len(), "{csv}");
    assert!(today.windows(2).all(|w| w[0] >= w[1]), "{csv}");
    // Trying red and amber adds their effect today; a level not offered is refused.
    let (ok, csv) = houvast(
        &url,
        &[
            "backtest",
            "--institution",
            "25LH",
            "--from",
            "2025-06-01",
            "--to",
            "2026-05-31",
            "--choose",
            "--red",
            "150",
            "--amber",
            "80",
        ],
    );
    assert!(ok, "{csv}");
    let tried: Vec<&str> = csv.lines().rev().take(2).collect();
    assert!(
        tried[1].starts_with("tried_red_from_150_permille,")
            && tried[0].starts_with("tried_red_or_amber_from_80_permille,"),
        "{csv}"
    );
    let (ok, text) = houvast(
        &url,
        &[
            "backtest",
            "--institution",
            "25LH",
            "--from",
            "2025-06-01",
            "--to",
            "2026-05-31",
            "--red",
            "33",
            "--amber",
            "20",
        ],
    );
    assert!(
        !ok && text.contains("--red and --amber must be offered levels"),
        "{text}"
    );

    // The outcome of a day is known only a horizon later.
    let (ok, text) = houvast(
        &url,
        &[
            "backtest",
            "--institution",
            "25LH",
            "--from",
            "2026-01-01",
            "--to",
            "2026-11-01",
        ],
    );
    assert!(!ok && text.contains("--to must be on or before"), "{text}");

    let (ok, text) = houvast(
        &url,
        &[
            "backtest",
            "--institution",
            "25LH",
            "--from",
            "2026-08-31",
            "--to",
            "2025-09-01",
        ],
    );
    assert!(!ok && text.contains("--from must be before --to"), "{text}");
}
