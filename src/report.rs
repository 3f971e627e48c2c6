//! The results handed to JavaScript, as plain serializable data: a `LeakReport` for the
//! three-snapshot diff and a `SnapshotSummary` for one snapshot. Field names are the
//! camelCase ones `index.d.ts` documents; `SCHEMA_VERSION` changes when they do.

// The parts that lower layers make (a path step, a source location, an allocation stack)
// are defined where they are made, so that no layer below names this one.
pub use crate::allocations::{AllocationStack, StackFrame};
pub use crate::classes::SourceLocation;
use crate::retainers::PathStep;
use serde::Serialize;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LeakGroup {
    pub name: String,
    pub kind: String,
    pub count: u64,
    /// `count / iterations`, when the number of iterations is known.
    pub count_per_iteration: Option<f64>,
    pub self_size: u64,
    /// Retained by the group's objects that no other leaked object dominates, so that no
    /// byte is counted twice across groups.
    pub retained_size: u64,
    pub retainer_path: Vec<PathStep>,
    /// Members whose retainer path passes through another reported leaked object: they leak
    /// *because* that one does. Such members form groups of their own, so this is either 0 (a
    /// cause) or `count` (a consequence).
    pub held_by_other_leaks: u64,
    pub sample_ids: Vec<u32>,
    /// Every member's id, for checking later which are still alive (not sent to JavaScript).
    #[serde(skip)]
    pub member_ids: Vec<u32>,
    /// Where a closure is defined, or where an object's constructor is, when the heap knows.
    pub location: Option<SourceLocation>,
    /// The stacks that allocated most of the members, when the final snapshot was taken with
    /// allocation tracking on; empty otherwise.
    pub allocation_stacks: Vec<AllocationStack>,
    /// Members whose allocation the tracker saw (objects from before tracking began and V8's
    /// own allocations have none).
    pub traced_count: u64,
    /// A V8 internal class, shown only with `includeInternals`.
    pub internal: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotStats {
    pub source: String,
    pub node_count: u64,
    pub edge_count: u64,
    pub total_size: u64,
    /// Size of the snapshot's JSON text.
    pub bytes: u64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportSummary {
    pub baseline: SnapshotStats,
    pub target: SnapshotStats,
    #[serde(rename = "final")]
    pub final_: SnapshotStats,
    pub iterations: Option<u32>,
    /// New in the target and still alive in the final snapshot, internals included.
    pub surviving_object_count: u64,
    /// Of those, the ones in reported groups.
    pub leaked_object_count: u64,
    pub leaked_self_size: u64,
    pub leaked_retained_size: u64,
    /// Surviving V8-internal objects left out (see `includeInternals`).
    pub internal_object_count: u64,
    /// Surviving objects left out by `ignore` patterns.
    pub ignored_object_count: u64,
    /// Whether the final snapshot carried V8's allocation trace.
    pub allocation_tracking: bool,
    /// Milliseconds spent in parsing and in analysis.
    pub parse_ms: f64,
    pub analysis_ms: f64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LeakReport {
    pub schema_version: u32,
    pub leaks: Vec<LeakGroup>,
    pub summary: ReportSummary,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClassStat {
    pub name: String,
    pub kind: String,
    pub count: u64,
    pub self_size: u64,
    /// What the class's objects retain, not counting an object twice when another of the
    /// same class dominates it (as DevTools' summary view does).
    pub retained_size: u64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotSummary {
    pub node_count: u64,
    pub edge_count: u64,
    pub total_size: u64,
    pub top_by_count: Vec<ClassStat>,
    pub top_by_self_size: Vec<ClassStat>,
    pub top_by_retained_size: Vec<ClassStat>,
}

/// One object found in a snapshot, with what keeps it alive.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LocatedObject {
    pub id: u32,
    pub name: String,
    pub node_type: String,
    pub self_size: u64,
    pub retained_size: u64,
    /// False when only weak references, V8's own roots or nothing at all reach it.
    pub held_by_program: bool,
    /// Root first; empty when nothing reaches it from the GC roots.
    pub retainer_path: Vec<PathStep>,
}
