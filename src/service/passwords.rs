//! Password hashing and policy. Argon2id with OWASP's parameters (19 MiB,
//! two passes, one lane), computed off the async threads and never more at
//! once than there are cores, so a burst of logins cannot starve the server.
//! A stored hash with weaker parameters is replaced at the next login.

use std::sync::LazyLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use crate::domain::{FieldProblem, Password};

/// Memory in KiB, passes, lanes: OWASP's minimum for argon2id.
pub const MEMORY_KIB: u32 = 19 * 1024;
pub const PASSES: u32 = 2;
pub const LANES: u32 = 1;

fn argon2() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Bounds concurrent hashing to the number of cores.
static HASHING: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())));

/// A hash verified when the account is unknown, so that an unknown address
/// costs the same time as a wrong password.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| compute_hash("houvast-dummy-password-for-timing"));

fn compute_hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing cannot fail with valid parameters")
        .to_string()
}

async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let _permit = HASHING.acquire().await.expect("the hashing semaphore is never closed");
    tokio::task::spawn_blocking(work)
        .await
        .expect("password hashing panicked")
}

/// Hash a new password.
#[tracing::instrument(skip_all)]
pub async fn hash(password: &Password) -> String {
    let password = password.expose().to_owned();
    blocking(move || compute_hash(&password)).await
}

/// The outcome of checking a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verification {
    pub matches: bool,
    /// The stored hash is weaker than today's parameters (or not argon2id).
    pub needs_rehash: bool,
}

tokio::task_local! {
    /// Argon2 verifications done inside [`count_verifications`].
    static VERIFICATIONS: std::cell::Cell<u32>;
}

/// Run `work` and count the argon2 verifications it performed. The proof
/// that a login costs the same for every address counts work, not time.
#[tracing::instrument(skip_all)]
pub async fn count_verifications<F: std::future::Future>(work: F) -> (F::Output, u32) {
    VERIFICATIONS
        .scope(std::cell::Cell::new(0), async move {
            let output = work.await;
            (output, VERIFICATIONS.with(std::cell::Cell::get))
        })
        .await
}

/// Check `password` against `stored`. Always exactly one argon2
/// verification: with no stored hash (unknown or deactivated account, no
/// password yet) or an unreadable one, a dummy hash is verified instead and
/// the answer is "no match" — so the time taken says nothing about whether
/// the account exists.
#[tracing::instrument(skip_all)]
pub async fn verify(password: &str, stored: Option<&str>) -> Verification {
    let password = password.to_owned();
    let stored = stored.map(str::to_owned);
    let verdict = blocking(move || {
        let real = stored.as_deref().and_then(|hash| PasswordHash::new(hash).ok());
        let dummy = PasswordHash::new(DUMMY_HASH.as_str()).expect("the dummy hash parses");
        let parsed = real.as_ref().unwrap_or(&dummy);
        let verified = Argon2::default().verify_password(password.as_bytes(), parsed).is_ok();
        let matches = real.is_some() && verified;
        Verification {
            matches,
            needs_rehash: matches && is_weaker_than_policy(parsed),
        }
    })
    .await;
    let _ = VERIFICATIONS.try_with(|count| count.set(count.get() + 1));
    verdict
}

fn is_weaker_than_policy(hash: &PasswordHash<'_>) -> bool {
    if hash.algorithm.as_str() != "argon2id" {
        return true;
    }
    let param = |name: &str| hash.params.get_decimal(name).unwrap_or(0);
    param("m") < MEMORY_KIB || param("t") < PASSES || param("p") != LANES
}

/// Refuse passwords that are easy to guess: common ones and those built
/// from the person's own name, e-mail address or institution.
pub fn check_strength(password: &Password, personal: &[&str]) -> Result<(), FieldProblem> {
    let lowered = password.expose().to_lowercase();
    let built_from_personal = personal
        .iter()
        .flat_map(|text| text.split(|c: char| !c.is_alphanumeric()))
        .filter(|word| word.chars().count() >= 4)
        .any(|word| lowered.contains(&word.to_lowercase()) && word.chars().count() * 2 >= lowered.chars().count());
    if built_from_personal {
        return Err(FieldProblem::TooGuessable);
    }
    let estimate = zxcvbn::zxcvbn(password.expose(), personal);
    if (estimate.score() as u8) < 3 {
        return Err(FieldProblem::TooGuessable);
    }
    Ok(())
}

/// A hash with weaker parameters, for testing the upgrade at login.
#[cfg(any(test, feature = "testing"))]
pub fn weak_hash_for_tests(password: &str) -> String {
    let params = Params::new(8 * 1024, 1, 1, None).unwrap();
    let salt = SaltString::generate(&mut OsRng);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password(password.as_bytes(), &salt)
        .unwrap()
        .to_string()
}

/// The parameters of a stored hash: (algorithm, m, t, p).
pub fn parameters_of(hash: &str) -> Option<(String, u32, u32, u32)> {
    let parsed = PasswordHash::new(hash).ok()?;
    let param = |name: &str| parsed.params.get_decimal(name).unwrap_or(0);
    Some((parsed.algorithm.as_str().to_owned(), param("m"), param("t"), param("p")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pw(text: &str) -> Password {
        Password::parse(text).unwrap()
    }

    #[tokio::test]
    async fn hashes_with_the_owasp_parameters_and_verifies() {
        let hash = hash(&pw("lange zin met spaties 42")).await;
        assert_eq!(
            parameters_of(&hash),
            Some(("argon2id".into(), MEMORY_KIB, PASSES, LANES))
        );
        assert_eq!(
            verify("lange zin met spaties 42", Some(&hash)).await,
            Verification {
                matches: true,
                needs_rehash: false
            }
        );
        assert!(!verify("lange zin met spaties 43", Some(&hash)).await.matches);
        assert!(
            !verify("lange zin met spaties 42", None).await.matches,
            "no account never matches"
        );
        assert!(!verify("x", Some("not a hash")).await.matches);
    }

    #[tokio::test]
    async fn weaker_hashes_are_flagged_for_upgrade() {
        let weak = weak_hash_for_tests("oud wachtwoord van vroeger");
        let verdict = verify("oud wachtwoord van vroeger", Some(&weak)).await;
        assert_eq!(
            verdict,
            Verification {
                matches: true,
                needs_rehash: true
            }
        );
    }

    #[test]
    fn common_and_personal_passwords_are_refused() {
        for common in [
            "password1234",
            "wachtwoord123",
            "123456789012",
            "qwertyuiop12",
            "welkom123456",
        ] {
            assert_eq!(
                check_strength(&pw(common), &[]),
                Err(FieldProblem::TooGuessable),
                "{common}"
            );
        }
        let personal = ["Deltacollege", "sanne.devries@deltacollege.nl", "Sanne de Vries"];
        assert_eq!(
            check_strength(&pw("Deltacollege2026"), &personal),
            Err(FieldProblem::TooGuessable)
        );
        assert_eq!(
            check_strength(&pw("sannedevries!!"), &personal),
            Err(FieldProblem::TooGuessable)
        );
        assert_eq!(check_strength(&pw("koffie kopje vulpen dinsdag"), &personal), Ok(()));
    }
}
