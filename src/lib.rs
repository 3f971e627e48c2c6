//! leakhunt's core: V8 heap snapshots in, leak reports out. Plain Rust with no N-API in it;
//! `binding` (behind the default `binding` feature) is the only module that knows of Node.
//!
//! Flow: snapshot (streaming parser) -> graph (flat CSR) -> dominators / retainers ->
//! diff (three snapshots) -> report. `analysis` strings them together; `background` parses a
//! snapshot on its own thread and `session` keeps one hunt's snapshots. Each module names only
//! the layers below it (ARCHITECTURE.md, "Layers"; checked by tests/layers.rs).

pub mod allocations;
pub mod analysis;
pub mod background;
pub mod classes;
pub mod diff;
pub mod dominators;
pub mod error;
pub mod graph;
pub mod inspector;
pub mod listeners;
pub mod progress;
pub mod realms;
pub mod report;
pub mod retainers;
pub mod sampling;
pub mod session;
pub mod snapshot;
pub mod values;

#[cfg(test)]
mod test_support;

#[cfg(feature = "binding")]
mod binding;

pub use analysis::{analyze, analyze_files, AnalyzedSnapshot, Snapshot};
pub use diff::DiffOptions;
pub use error::{LeakhuntError, Result};
pub use snapshot::{ParseMode, SnapshotParser};
