//! Growing delays after failed password checks (Basic auth and `/auth/signin`), so passwords
//! cannot be guessed quickly, while a stranger cannot lock a real user out for long.
//!
//! Three counts of failures, each forgotten an hour after its last failure:
//! - per account and address: 5 free failures, then each check waits 2 s, 4 s, 8 s… up to 15 min.
//!   This is what stops one attacker guessing one account; it delays only the attacker's address.
//! - per address: 20 free failures (configurable), then the same growing waits up to 15 min:
//!   one address guessing many accounts.
//! - per account, from any address: 20 free failures, then waits capped at 60 s: many addresses
//!   guessing one account get about one guess a minute, and the real user, signing in from
//!   elsewhere meanwhile, waits at most a minute.
//!
//! A successful check clears the count of its account and address only (the account's count
//! stays, else guessers could reset it with an account of their own).

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::client_address::ClientAddress;

/// The first wait; each further failure doubles it.
const FIRST_WAIT: Duration = Duration::from_secs(2);
/// A count is forgotten this long after its last failure.
const FORGET_AFTER: Duration = Duration::from_secs(3600);
/// Counts of one kind kept before forgotten and finished ones are swept.
const SWEEP_ABOVE: usize = 100_000;

/// When one kind of count starts delaying, and its longest wait.
#[derive(Debug, Clone, Copy)]
struct Rule {
    free: u32,
    longest: Duration,
}

const PER_PAIR: Rule = Rule {
    free: 5,
    longest: Duration::from_secs(15 * 60),
};
const PER_ACCOUNT: Rule = Rule {
    free: 20,
    longest: Duration::from_secs(60),
};
/// Longest wait of an address.
const ADDRESS_LONGEST: Duration = Duration::from_secs(15 * 60);

/// The failures of one account, address or pair.
#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
    /// No check before this.
    until: Instant,
}

/// One kind of count, by hashed key.
struct Counts {
    rule: Rule,
    entries: HashMap<u64, Failures>,
}

impl Counts {
    fn new(rule: Rule) -> Self {
        Self {
            rule,
            entries: HashMap::new(),
        }
    }

    /// How long `key` must still wait at `now`.
    fn wait(&self, key: u64, now: Instant) -> Duration {
        self.entries.get(&key).map_or(Duration::ZERO, |failures| {
            failures.until.saturating_duration_since(now)
        })
    }

    fn failed(&mut self, key: u64, now: Instant) {
        if self.entries.len() > SWEEP_ABOVE {
            self.entries.retain(|_, failures| {
                failures.until > now || now.duration_since(failures.last) < FORGET_AFTER
            });
            if self.entries.len() > SWEEP_ABOVE {
                self.entries.retain(|_, failures| failures.until > now);
            }
        }
        let failures = self.entries.entry(key).or_insert(Failures {
            count: 0,
            last: now,
            until: now,
        });
        if now.duration_since(failures.last) >= FORGET_AFTER {
            failures.count = 0;
        }
        failures.count = failures.count.saturating_add(1);
        failures.last = now;
        if let Some(over) = failures.count.checked_sub(self.rule.free + 1) {
            let wait = FIRST_WAIT.saturating_mul(2u32.saturating_pow(over));
            failures.until = now + wait.min(self.rule.longest);
        }
    }

    fn forget(&mut self, key: u64) {
        self.entries.remove(&key);
    }
}

/// The three counts.
pub struct Lockout {
    hasher: RandomState,
    counts: Mutex<[Counts; 3]>,
}

/// Where the count per account and address is among the three.
const PAIR: usize = 0;

impl Lockout {
    /// Delays an address after `address_free` failures.
    pub fn new(address_free: u32) -> Self {
        let address = Rule {
            free: address_free,
            longest: ADDRESS_LONGEST,
        };
        Self {
            hasher: RandomState::new(),
            counts: Mutex::new([
                Counts::new(PER_PAIR),
                Counts::new(address),
                Counts::new(PER_ACCOUNT),
            ]),
        }
    }

    /// The keys of a check, in the order of the counts: pair, address and account (no pair nor
    /// account for an email nobody can have).
    fn keys(&self, account: Option<&str>, address: &ClientAddress) -> [Option<u64>; 3] {
        [
            account.map(|account| self.hasher.hash_one((account, address))),
            Some(self.hasher.hash_one(address)),
            account.map(|account| self.hasher.hash_one(account)),
        ]
    }

    /// `Err(wait)` when a password check of `account` from `address` must wait.
    pub fn check(
        &self,
        account: Option<&str>,
        address: &ClientAddress,
        now: Instant,
    ) -> Result<(), Duration> {
        let counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        let wait = self
            .keys(account, address)
            .iter()
            .zip(counts.iter())
            .filter_map(|(key, counts)| key.map(|key| counts.wait(key, now)))
            .max()
            .unwrap_or_default();
        if wait.is_zero() {
            Ok(())
        } else {
            Err(wait)
        }
    }

    /// Counts a failed check.
    pub fn failed(&self, account: Option<&str>, address: &ClientAddress, now: Instant) {
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        for (key, counts) in self.keys(account, address).iter().zip(counts.iter_mut()) {
            if let Some(key) = key {
                counts.failed(*key, now);
            }
        }
    }

    /// Clears the count of `account` from `address` after a successful check.
    pub fn succeeded(&self, account: &str, address: &ClientAddress) {
        if let Some(pair) = self.keys(Some(account), address)[PAIR] {
            let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
            counts[PAIR].forget(pair);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(raw: &str) -> ClientAddress {
        ClientAddress::of(raw.parse().unwrap())
    }

    #[test]
    fn an_account_guessed_from_one_address_waits_longer_each_time_there_only() {
        let lockout = Lockout::new(10);
        let (here, there) = (address("192.0.2.1"), address("192.0.2.2"));
        let mut now = Instant::now();
        for _ in 0..PER_PAIR.free {
            assert!(lockout.check(Some("ann@example.com"), &here, now).is_ok());
            lockout.failed(Some("ann@example.com"), &here, now);
        }
        let mut waits = Vec::new();
        for _ in 0..12 {
            assert!(lockout.check(Some("ann@example.com"), &here, now).is_ok());
            lockout.failed(Some("ann@example.com"), &here, now);
            let wait = lockout
                .check(Some("ann@example.com"), &here, now)
                .unwrap_err();
            // The real user, elsewhere, is not delayed by these 17 failures.
            assert!(lockout.check(Some("ann@example.com"), &there, now).is_ok());
            waits.push(wait.as_secs());
            now += wait;
        }
        assert_eq!(waits[..6], [2, 4, 8, 16, 32, 64]);
        assert_eq!(*waits.last().unwrap(), 15 * 60, "capped");
        // The address has failed more than 10 times by now: another account waits too.
        lockout.failed(Some("ann@example.com"), &here, now);
        assert!(lockout.check(Some("bob@example.com"), &here, now).is_err());
        assert!(lockout.check(Some("bob@example.com"), &there, now).is_ok());
    }

    #[test]
    fn an_account_guessed_from_everywhere_waits_a_minute_at_most() {
        let lockout = Lockout::new(20);
        let now = Instant::now();
        for n in 0..40 {
            let from = address(&format!("198.51.100.{n}"));
            lockout.failed(Some("ann@example.com"), &from, now);
        }
        let wait = lockout
            .check(Some("ann@example.com"), &address("203.0.113.9"), now)
            .unwrap_err();
        assert_eq!(wait, PER_ACCOUNT.longest);
        assert!(lockout
            .check(Some("bob@example.com"), &address("203.0.113.9"), now)
            .is_ok());
    }

    #[test]
    fn success_clears_its_pair_and_an_hour_forgets() {
        let lockout = Lockout::new(20);
        let here = address("192.0.2.1");
        let now = Instant::now();
        for _ in 0..=PER_PAIR.free {
            lockout.failed(Some("ann@example.com"), &here, now);
        }
        assert!(lockout.check(Some("ann@example.com"), &here, now).is_err());
        lockout.succeeded("ann@example.com", &here);
        assert!(lockout.check(Some("ann@example.com"), &here, now).is_ok());
        for _ in 0..=PER_PAIR.free {
            lockout.failed(Some("ann@example.com"), &here, now);
        }
        let later = now + FORGET_AFTER;
        lockout.failed(Some("ann@example.com"), &here, later);
        assert!(
            lockout.check(Some("ann@example.com"), &here, later).is_ok(),
            "the old failures were forgotten: this is the first of a new count"
        );
        // Unparsable emails count against the address only.
        for _ in 0..=20 {
            lockout.failed(None, &address("192.0.2.9"), now);
        }
        assert!(lockout.check(None, &address("192.0.2.9"), now).is_err());
    }
}
