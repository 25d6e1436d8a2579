//! Counting the statements a piece of work sends to the database, so tests
//! can hold pages about one person to a fixed budget whatever the size of
//! the institution. Every store function goes through `on_db!`/`on_tx!`,
//! which call [`note`]; outside [`count`] that costs one task-local lookup.

use std::cell::Cell;
use std::future::Future;

tokio::task_local! {
    static STATEMENTS: Cell<u64>;
}

/// One statement is about to be sent (called by the store's macros).
pub fn note() {
    let _ = STATEMENTS.try_with(|count| count.set(count.get() + 1));
}

/// Run `work` and count the store statements it sent.
pub async fn count<F: Future>(work: F) -> (F::Output, u64) {
    STATEMENTS
        .scope(Cell::new(0), async move {
            let output = work.await;
            (output, STATEMENTS.with(Cell::get))
        })
        .await
}
