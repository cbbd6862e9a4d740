//! A deterministic parallel map, for the stages whose pieces are independent (one generated
//! file, one doc file): formatting dominates a generation and spreads well across cores.
//!
//! Results come back in input order whatever the thread scheduling, so the output stays the
//! same byte for byte. Threads claim the next unstarted item rather than a fixed chunk, because
//! items differ in size (a crate's `lib.rs` lists every tool of every resource).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

/// `items.iter().map(job).collect()`, on up to [`thread::available_parallelism`] threads (the
/// calling thread is one of them). A panic in `job` is re-raised on the calling thread.
pub(crate) fn map<T: Sync, R: Send>(items: &[T], job: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(job).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(index) else {
                return done;
            };
            done.push((index, job(item)));
        }
    };
    let mut done: Vec<(usize, R)> = thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut done = work();
        for helper in helpers {
            done.extend(
                helper
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        done
    });
    done.sort_unstable_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_input_order() {
        let items: Vec<u64> = (0..1_000).collect();
        let squares = map(&items, |n| {
            // Uneven work, so threads finish out of order.
            if n % 7 == 0 {
                thread::yield_now();
            }
            n * n
        });
        assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
    }

    #[test]
    fn handles_no_items() {
        assert!(map(&[] as &[u8], |_| ()).is_empty());
    }
}
