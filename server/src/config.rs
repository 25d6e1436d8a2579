//! Configuration from the command line and the environment. Every option has
//! an environment variable and a documented default, so the binary runs with
//! no arguments at all.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};

/// Options every command shares.
#[derive(Debug, Clone, Args)]
pub struct GlobalOptions {
    /// Database: `sqlite://path/to/file.db` (created when missing) or
    /// `postgres://user:password@host/database`.
    #[arg(
        long,
        env = "HOUVAST_DATABASE_URL",
        default_value = "sqlite://data/houvast.db",
        global = true
    )]
    pub database_url: String,

    /// Maximum number of pooled database connections.
    #[arg(long, env = "HOUVAST_DB_POOL_SIZE", default_value_t = 8, global = true)]
    pub pool_size: u32,

    /// Log output: `text` for people, `json` for log collectors.
    #[arg(long, env = "HOUVAST_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// Options of `houvast serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeOptions {
    /// Address and port to listen on.
    #[arg(long, env = "HOUVAST_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,

    /// The address people use to reach Houvast (behind a proxy, the proxy's
    /// https URL). Secure cookies are used when it starts with https://.
    /// Defaults to http://<addr>.
    #[arg(long, env = "HOUVAST_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Folder with the compiled browser files (pkg/houvast.js, …). Defaults
    /// to `site` or `../site` next to the binary, then `target/site`.
    #[arg(long, env = "HOUVAST_SITE_ROOT")]
    pub site_root: Option<PathBuf>,

    /// Load the demo dataset when the database holds no institution yet.
    #[arg(long, env = "HOUVAST_DEMO_IF_EMPTY", default_value_t = false)]
    pub demo_if_empty: bool,

    /// Seconds a request may take before it is answered with 408.
    #[arg(long, env = "HOUVAST_REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    pub request_timeout_secs: u64,

    /// Seconds after which a page render is logged as slow (it is never
    /// redone).
    #[arg(long, env = "HOUVAST_RENDER_STALL_SECS", default_value_t = 5)]
    pub render_stall_secs: u64,

    /// Requests worked on at once; more wait in a short queue.
    #[arg(long, env = "HOUVAST_MAX_IN_FLIGHT", default_value_t = 64)]
    pub max_in_flight: usize,

    /// Requests that may wait for a place; beyond that the answer is an
    /// immediate 503 with Retry-After.
    #[arg(long, env = "HOUVAST_MAX_QUEUED", default_value_t = 1024)]
    pub max_queued: usize,

    /// Milliseconds a request may wait for a place before it gets 503.
    #[arg(long, env = "HOUVAST_QUEUE_WAIT_MS", default_value_t = 3000)]
    pub queue_wait_ms: u64,

    /// Set when Houvast runs behind a reverse proxy: the client address
    /// (for login throttling) is then the last X-Forwarded-For entry.
    #[arg(long, env = "HOUVAST_TRUST_FORWARDED_FOR", default_value_t = false)]
    pub trust_forwarded_for: bool,

    /// Minutes without activity after which a login session ends.
    #[arg(long, env = "HOUVAST_SESSION_IDLE_MINUTES", default_value_t = 30)]
    pub session_idle_minutes: u64,

    /// Hours after login after which a session ends regardless of activity.
    #[arg(long, env = "HOUVAST_SESSION_MAX_HOURS", default_value_t = 12)]
    pub session_max_hours: u64,

    /// Largest accepted request body, in bytes.
    #[arg(long, env = "HOUVAST_BODY_LIMIT_BYTES", default_value_t = 256 * 1024)]
    pub body_limit_bytes: usize,

    /// SMTP server for notification e-mail, e.g.
    /// `smtps://user:password@mail.example.nl` (TLS) or
    /// `smtp://user:password@mail.example.nl:587?tls=required` (STARTTLS).
    /// Without it no e-mail is sent and the notification page says so.
    #[arg(long, env = "HOUVAST_SMTP_URL")]
    pub smtp_url: Option<String>,

    /// Sender of notification e-mail, e.g. `Houvast <houvast@school.nl>`.
    #[arg(long, env = "HOUVAST_MAIL_FROM", default_value = "Houvast <houvast@localhost>")]
    pub mail_from: String,

    /// Minutes between runs of the notification job (due check-ins and
    /// actions, e-mail).
    #[arg(long, env = "HOUVAST_NOTIFY_EVERY_MINUTES", default_value_t = 5)]
    pub notify_every_minutes: u64,
    /// The same in seconds, overriding the minutes (browser tests of e-mail).
    #[arg(long, env = "HOUVAST_NOTIFY_EVERY_SECONDS", hide = true)]
    pub notify_every_seconds: Option<u64>,
    /// Serve Prometheus metrics at /metrics to scrapers that send
    /// `Authorization: Bearer <this token>`; without it /metrics is off.
    #[arg(long, env = "HOUVAST_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// 32 random bytes in base64 (`openssl rand -base64 32`), the same on
    /// every app node: seals school-login client secrets in the database
    /// and the login attempt's cookie. Without it school login is off.
    #[arg(long, env = "HOUVAST_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,
}

/// Settings the router needs, resolved from the options.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    pub public_url: String,
    pub site_root: PathBuf,
    pub request_timeout: Duration,
    pub render_stall: Duration,
    pub body_limit_bytes: usize,
    pub capacity: crate::admission::Capacity,
    /// The bearer token of `/metrics`; `None`: no metrics endpoint.
    pub metrics_token: Option<String>,
}

impl HttpSettings {
    /// Resolve the options; `bound` is the address actually listened on
    /// (differs from `--addr` when that asks for port 0).
    pub fn from_options(options: &ServeOptions, bound: std::net::SocketAddr) -> Self {
        Self {
            public_url: options
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{bound}"))
                .trim_end_matches('/')
                .to_owned(),
            site_root: options.site_root.clone().unwrap_or_else(crate::site::default_site_root),
            request_timeout: Duration::from_secs(options.request_timeout_secs.max(1)),
            render_stall: Duration::from_secs(options.render_stall_secs.max(1)),
            body_limit_bytes: options.body_limit_bytes,
            capacity: crate::admission::Capacity {
                in_flight: options.max_in_flight.max(1),
                queued: options.max_queued,
                wait: Duration::from_millis(options.queue_wait_ms),
            },
            metrics_token: options.metrics_token.clone().filter(|t| !t.trim().is_empty()),
        }
    }

    /// Whether people reach Houvast over https (cookies get `Secure`).
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// Settings for tests: a temporary site root, short timeouts.
    pub fn for_tests(site_root: PathBuf) -> Self {
        Self {
            public_url: "http://127.0.0.1:3000".to_owned(),
            site_root,
            request_timeout: Duration::from_secs(10),
            render_stall: Duration::from_secs(2),
            body_limit_bytes: 256 * 1024,
            capacity: crate::admission::Capacity::default(),
            metrics_token: None,
        }
    }
}
