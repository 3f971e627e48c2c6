//! How far a long analysis has got, readable from another thread while it runs: the CLI draws
//! its progress bar from it. Plain atomics, so the work being watched never waits for the watcher.

use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};

/// The steps of an analysis, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Phase {
    Reading = 0,
    Graph = 1,
    Dominators = 2,
    Retainers = 3,
    Diff = 4,
    Done = 5,
}

impl Phase {
    pub fn label(self) -> &'static str {
        match self {
            Phase::Reading => "reading",
            Phase::Graph => "graph",
            Phase::Dominators => "dominators",
            Phase::Retainers => "retainer paths",
            Phase::Diff => "diff",
            Phase::Done => "done",
        }
    }

    fn from_u8(v: u8) -> Phase {
        match v {
            0 => Phase::Reading,
            1 => Phase::Graph,
            2 => Phase::Dominators,
            3 => Phase::Retainers,
            4 => Phase::Diff,
            _ => Phase::Done,
        }
    }
}

#[derive(Debug, Default)]
pub struct Progress {
    bytes_done: AtomicU64,
    bytes_total: AtomicU64,
    phase: AtomicU8,
}

impl Progress {
    /// Announces input still to come (a file's size), so the total is known before reading.
    pub fn expect_bytes(&self, n: u64) {
        self.bytes_total.fetch_add(n, Ordering::Relaxed);
    }

    pub fn read_bytes(&self, n: u64) {
        self.bytes_done.fetch_add(n, Ordering::Relaxed);
    }

    /// Moves forward only: with files parsed on two threads, the later phase wins.
    pub fn enter(&self, phase: Phase) {
        self.phase.fetch_max(phase as u8, Ordering::Relaxed);
    }

    pub fn bytes_done(&self) -> u64 {
        self.bytes_done.load(Ordering::Relaxed)
    }

    pub fn bytes_total(&self) -> u64 {
        self.bytes_total.load(Ordering::Relaxed)
    }

    pub fn phase(&self) -> Phase {
        Phase::from_u8(self.phase.load(Ordering::Relaxed))
    }
}
