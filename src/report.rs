//! The results handed to JavaScript, as plain serializable data: a `LeakReport` for the
//! three-snapshot diff and a `SnapshotSummary` for one snapshot. Field names are the
//! camelCase ones `index.d.ts` documents; `SCHEMA_VERSION` changes when they do.

// The parts that lower layers make (a path step, a source location, an allocation stack)
// are defined where they are made, so that no layer below names this one.
pub use crate::allocations::{AllocationStack, StackFrame};
pub use crate::classes::SourceLocation;
use crate::retainers::PathStep;
pub use crate::values::{ValueForm, ValueSize};
use serde::Serialize;

pub const SCHEMA_VERSION: u32 = 2;

/// A growth point: an object that existed before the baseline and holds new objects that
/// survived, with everything that hangs from it. One per holder: a Map's keys and values, a
/// timer list's timers and what their callbacks keep, are one entry.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GrowthPoint {
    /// The leading class of what hangs from the holder (see `leading_count`).
    pub name: String,
    pub kind: String,
    pub holder: Holder,
    /// Other older objects that hold most of the same objects directly (the user's Array of
    /// timer handles leads; Node's timer list holds them too): one leak, counted once.
    pub shared_with: Vec<SharedHolder>,
    /// The holder's entries in the earlier and the later snapshot of a second round (in the
    /// round's baseline, a full snapshot, and its final): `None` in a first round.
    pub holder_entries: Option<HolderEntries>,
    /// When the leading class is `Promise`: how many of those promises have settled (a cache
    /// of results, not waiters).
    pub settled_promises: Option<u64>,
    /// Every surviving new object that hangs from the holder.
    pub count: u64,
    /// Entries of the leading class: objects the holder gained directly (through V8's storage,
    /// or a chain of their own kind such as a linked list of timers), not what those hold. The
    /// leading class is the class of objects or functions with the most entries.
    pub leading_count: u64,
    /// Of those, the entries reached along a list (each holding the next) rather than from the
    /// holder itself: Node's timer list, or a value wrapped again on every call.
    pub linked_count: u64,
    /// `leading_count / iterations`, when the number of iterations is known.
    pub count_per_iteration: Option<f64>,
    pub self_size: u64,
    /// Retained by the members that no other member dominates: no byte counted twice.
    pub retained_size: u64,
    /// Root first, ending at the holder.
    pub retainer_path: Vec<PathStep>,
    /// From the holder (excluded) to one object of the leading class, the nearest.
    pub sample_path: Vec<PathStep>,
    /// What hangs from the holder, by class, most numerous first.
    pub breakdown: Vec<HeldClass>,
    pub sample_ids: Vec<u32>,
    /// Every member's id, for checking later which are still alive (not sent to JavaScript).
    #[serde(skip)]
    pub member_ids: Vec<u32>,
    /// The leading class's entries' ids: what `still_alive` asks about after round two.
    #[serde(skip)]
    pub entry_ids: Vec<u32>,
    /// Where the leading class is defined (a closure), or its constructor, when the heap knows.
    pub location: Option<SourceLocation>,
    /// The stacks that allocated most of the members, when the final snapshot was taken with
    /// allocation tracking on; empty otherwise.
    pub allocation_stacks: Vec<AllocationStack>,
    /// Members whose allocation the tracker saw (objects from before tracking began and V8's
    /// own allocations have none).
    pub traced_count: u64,
    /// The leading class is V8's own, shown only with `includeInternals`.
    pub internal: bool,
}

/// Another older object that holds most of a growth point's objects directly.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SharedHolder {
    pub holder: Holder,
    /// Root first, ending at it.
    pub retainer_path: Vec<PathStep>,
}

/// A holder's entries at the start and the end of a round (`diff::holder_entries`).
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HolderEntries {
    pub before: u64,
    pub after: u64,
    /// Entries of the start still alive at the end, no longer entries but kept by the new
    /// ones (`diff::kept_by_successors`): a chain, not churn.
    pub kept_by_successors: u64,
}

/// The object that grows: older than the baseline, and holding the new objects.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Holder {
    /// Its heap snapshot id, the same in every snapshot of the process.
    pub id: u32,
    pub name: String,
    pub node_type: String,
}

/// One class of the objects hanging from a growth point.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HeldClass {
    pub name: String,
    pub kind: String,
    pub count: u64,
    pub self_size: u64,
    pub retained_size: u64,
    /// A method that ends these objects' life (`close`, `destroy`, ...), found on their
    /// prototype chain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cleanup: Option<String>,
    /// Where the class's constructor (or the closure) is defined, when it is the program's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<SourceLocation>,
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
    /// Of those, the ones hanging from reported growth points.
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
    pub leaks: Vec<GrowthPoint>,
    pub summary: ReportSummary,
    /// Values that older holders replaced or grew in place during the calls: what a hunt
    /// measures again after more calls, as a leak may grow in bytes and not in objects.
    #[serde(skip)]
    pub growing_values: Vec<GrowingValue>,
}

/// A value an older holder keeps in one slot, replaced since the baseline (a new string,
/// Buffer, typed array) or, for an Array of numbers, given a new element store.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GrowingValue {
    pub holder: Holder,
    /// Root first, ending at the holder.
    pub retainer_path: Vec<PathStep>,
    /// The step from the holder to the value: the variable, property or element store.
    pub slot: PathStep,
    pub value: ValueSize,
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
