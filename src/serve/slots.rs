//! Who holds the server's connection slots, and who gets the next one.
//!
//! Each connection has a thread and a slot. A slowloris attack opens many connections and
//! sends their request heads a byte at a time, so that every slot is held by a client that
//! will never finish asking. Three rules keep a real page loading through that:
//!
//! - the whole head must arrive within a deadline (see [`super::http::Deadline`]), so no
//!   slot is held for long without a request in it;
//! - one client (one address) may hold at most [`Limits::per_client`] slots, so a single
//!   attacker always leaves room for everyone else;
//! - when a new connection finds no room, a connection still waiting for its head is closed
//!   to make room: one whose head has begun to arrive in pieces, or one that has waited
//!   at least [`Limits::slow_head`], oldest first. A browser sends its whole head at once,
//!   so only a client that trickles (or says nothing) ever looks like that. Over the
//!   per-client limit, only the same client's connections are candidates.
//!
//! The bookkeeping is generic over the handle used to close a connection, so tests drive it
//! with made-up clients and instants.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// The most connections served at once; more get 503 (a runaway script, not a workshop).
pub const MAX_CONNECTIONS: usize = 512;

/// The most connections one address may hold. Three quarters of the total, so that one
/// client (an attacker, or a load test on loopback) always leaves a quarter for the rest,
/// while a room's worth of viewers behind one address still fits.
pub const MAX_PER_CLIENT: usize = 384;

/// How long a connection must have waited for its head before it may be closed to make room.
/// Browsers send the whole head in one packet, so even a slow network is well inside it.
pub const SLOW_HEAD: Duration = Duration::from_secs(1);

/// The limits [`Slots`] enforces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Connections open at once, from everyone.
    pub total: usize,
    /// Connections open at once from one address.
    pub per_client: usize,
    /// How long a connection must have been waiting for its head before it may be evicted.
    pub slow_head: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            total: MAX_CONNECTIONS,
            per_client: MAX_PER_CLIENT,
            slow_head: SLOW_HEAD,
        }
    }
}

struct Slot<H> {
    client: IpAddr,
    since: Instant,
    // Present while the head is still awaited: the means to close the connection if it has
    // to make room.
    waiting: Option<H>,
    // Part of the head has come and the rest has not.
    trickling: bool,
}

/// The open connections.
pub struct Slots<H> {
    limits: Limits,
    next: u64,
    open: HashMap<u64, Slot<H>>,
    per_client: HashMap<IpAddr, usize>,
}

/// What [`Slots::admit`] decided.
#[derive(Debug, PartialEq, Eq)]
pub enum Admit<H> {
    /// The connection has slot `id`; `evicted` is a slow connection to close to make room.
    Yes {
        /// The new connection's slot, for [`Slots::headed`] and [`Slots::release`].
        id: u64,
        /// The handle of the connection that lost its slot, if one did.
        evicted: Option<H>,
    },
    /// No room, and nobody slow enough to give theirs up: answer 503.
    No,
}

impl<H> Slots<H> {
    /// No connections yet.
    pub fn new(limits: Limits) -> Self {
        Slots {
            limits,
            next: 0,
            open: HashMap::new(),
            per_client: HashMap::new(),
        }
    }

    /// How many connections hold a slot.
    pub fn len(&self) -> usize {
        self.open.len()
    }

    /// Whether no connection holds a slot.
    pub fn is_empty(&self) -> bool {
        self.open.is_empty()
    }

    /// How many slots `client` holds.
    pub fn held_by(&self, client: IpAddr) -> usize {
        self.per_client.get(&client).copied().unwrap_or(0)
    }

    /// Gives a new connection from `client`, arriving at `now`, a slot if the limits allow,
    /// making room by evicting a slow connection when they do not. `handle` closes the new
    /// connection should it later have to make room itself.
    pub fn admit(&mut self, client: IpAddr, now: Instant, handle: H) -> Admit<H> {
        let mut evicted = None;
        let own_full = self.held_by(client) >= self.limits.per_client;
        if own_full || self.open.len() >= self.limits.total {
            let victim = self.slowest(now, own_full.then_some(client));
            match victim {
                Some(id) => evicted = self.remove(id).and_then(|s| s.waiting),
                None => return Admit::No,
            }
        }
        let id = self.next;
        self.next += 1;
        self.open.insert(
            id,
            Slot {
                client,
                since: now,
                waiting: Some(handle),
                trickling: false,
            },
        );
        *self.per_client.entry(client).or_insert(0) += 1;
        Admit::Yes { id, evicted }
    }

    /// Part of connection `id`'s head has arrived and it waits for more: it may be evicted
    /// from now on.
    pub fn trickling(&mut self, id: u64) {
        if let Some(s) = self.open.get_mut(&id) {
            s.trickling = true;
        }
    }

    /// The head of connection `id` has arrived: it can no longer be evicted. Returns its
    /// handle, which is no longer needed.
    pub fn headed(&mut self, id: u64) -> Option<H> {
        self.open.get_mut(&id).and_then(|s| s.waiting.take())
    }

    /// Connection `id` has closed (it may already have been evicted).
    pub fn release(&mut self, id: u64) {
        self.remove(id);
    }

    fn remove(&mut self, id: u64) -> Option<Slot<H>> {
        let slot = self.open.remove(&id)?;
        if let Some(n) = self.per_client.get_mut(&slot.client) {
            *n -= 1;
            if *n == 0 {
                self.per_client.remove(&slot.client);
            }
        }
        Some(slot)
    }

    /// The oldest connection still waiting for its head that is trickling it or has waited
    /// at least `slow_head`; only among `client`'s when given.
    fn slowest(&self, now: Instant, client: Option<IpAddr>) -> Option<u64> {
        self.open
            .iter()
            .filter(|(_, s)| s.waiting.is_some())
            .filter(|(_, s)| client.is_none_or(|c| s.client == c))
            .filter(|(_, s)| {
                s.trickling || now.saturating_duration_since(s.since) >= self.limits.slow_head
            })
            .min_by_key(|(id, s)| (s.since, **id))
            .map(|(id, _)| *id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([10, 0, 0, last])
    }

    fn limits(total: usize, per_client: usize) -> Limits {
        Limits {
            total,
            per_client,
            slow_head: Duration::from_secs(1),
        }
    }

    fn admitted<H>(a: Admit<H>) -> (u64, Option<H>) {
        match a {
            Admit::Yes { id, evicted } => (id, evicted),
            Admit::No => panic!("refused"),
        }
    }

    #[test]
    fn one_client_cannot_take_every_slot() {
        let t0 = Instant::now();
        let mut s = Slots::new(limits(8, 6));
        for i in 0..6 {
            admitted(s.admit(ip(1), t0, i));
        }
        // Its own connections are all fresh, so none can make room: refused.
        assert_eq!(s.admit(ip(1), t0, 99), Admit::No);
        assert_eq!(s.held_by(ip(1)), 6);
        // Someone else still gets in.
        admitted(s.admit(ip(2), t0, 100));
        admitted(s.admit(ip(2), t0, 101));
        assert_eq!(s.len(), 8);
    }

    #[test]
    fn a_full_server_evicts_the_slowest_head_to_let_a_newcomer_in() {
        let t0 = Instant::now();
        let mut s = Slots::new(limits(4, 4));
        for i in 0..4u64 {
            admitted(s.admit(ip(1), t0 + Duration::from_millis(10 * i), i));
        }
        // Too early: nobody has been waiting for a second yet.
        assert_eq!(
            s.admit(ip(2), t0 + Duration::from_millis(500), 10),
            Admit::No
        );
        let later = t0 + Duration::from_secs(2);
        let (_, evicted) = admitted(s.admit(ip(2), later, 11));
        assert_eq!(evicted, Some(0), "the oldest waiting connection");
        assert_eq!(s.len(), 4);
        assert_eq!(s.held_by(ip(1)), 3);
    }

    #[test]
    fn a_connection_whose_head_arrived_is_never_evicted() {
        let t0 = Instant::now();
        let mut s = Slots::new(limits(2, 2));
        let (a, _) = admitted(s.admit(ip(1), t0, "a"));
        let (_, _) = admitted(s.admit(ip(1), t0 + Duration::from_millis(1), "b"));
        assert_eq!(s.headed(a), Some("a"));
        let (_, evicted) = admitted(s.admit(ip(2), t0 + Duration::from_secs(5), "c"));
        assert_eq!(
            evicted,
            Some("b"),
            "a is being served; b was still trickling"
        );
        assert_eq!(s.admit(ip(3), t0 + Duration::from_secs(5), "d"), Admit::No);
    }

    #[test]
    fn a_head_arriving_in_pieces_may_be_evicted_at_once() {
        let t0 = Instant::now();
        let mut s = Slots::new(limits(2, 2));
        let (a, _) = admitted(s.admit(ip(1), t0, "a"));
        let (b, _) = admitted(s.admit(ip(1), t0, "b"));
        s.trickling(b);
        let (_, evicted) = admitted(s.admit(ip(1), t0 + Duration::from_millis(1), "c"));
        assert_eq!(
            evicted,
            Some("b"),
            "a may be a browser whose head is on its way"
        );
        assert_eq!(s.headed(a), Some("a"));
    }

    #[test]
    fn over_its_own_limit_a_client_evicts_only_its_own() {
        let t0 = Instant::now();
        let mut s = Slots::new(limits(10, 2));
        admitted(s.admit(ip(2), t0, "other"));
        admitted(s.admit(ip(1), t0 + Duration::from_millis(5), "mine-1"));
        admitted(s.admit(ip(1), t0 + Duration::from_millis(6), "mine-2"));
        let (_, evicted) = admitted(s.admit(ip(1), t0 + Duration::from_secs(3), "mine-3"));
        assert_eq!(evicted, Some("mine-1"), "not the other client's older one");
        assert_eq!((s.held_by(ip(1)), s.held_by(ip(2))), (2, 1));
    }

    #[test]
    fn releasing_frees_the_slot_once() {
        let t0 = Instant::now();
        let mut s = Slots::new(limits(1, 1));
        let (a, _) = admitted(s.admit(ip(1), t0, ()));
        s.release(a);
        s.release(a);
        assert!(s.is_empty());
        assert_eq!(s.held_by(ip(1)), 0);
        admitted(s.admit(ip(1), t0, ()));
    }
}
