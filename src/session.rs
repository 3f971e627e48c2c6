//! One hunt's snapshots and reports, kept by name in native memory, so that nothing of the
//! hunt's is created on the JS heap between the snapshots it compares. Each snapshot is parsed
//! on a thread of its own while the hunt goes on; an analysis waits for the parses it needs.
//!
//! The life of a snapshot: `begin_snapshot` (one at a time) -> `write`… -> `end_snapshot`
//! (parsing on in the background) -> waited for by the first `analyze` that names it -> kept,
//! parsed, for `node_count`, `still_alive` and `listener_growth` -> freed by `clear`.

use crate::analysis::{self, Snapshot, Watermark};
use crate::background::{ChunkSink, SnapshotInProgress};
use crate::diff::{self, DiffOptions};
use crate::error::{LeakhuntError, Result};
use crate::graph::NodeIndex;
use crate::listeners::{self, ListenerGrowth};
use crate::report::{GrowingValue, LeakReport, ValueSize};
use crate::snapshot::ParseMode;
use crate::values;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// How a snapshot is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnapshotMode {
    /// The whole graph: what a final snapshot needs.
    Full,
    /// Only the ids of its objects: a baseline or a target.
    Ids,
    /// Parsed in full for each emitter's listener counts, then kept as ids and counts: the
    /// baseline of a hunt that tells listener growth.
    Census,
}

impl SnapshotMode {
    pub fn from_name(name: &str) -> Result<SnapshotMode> {
        match name {
            "full" => Ok(SnapshotMode::Full),
            "ids" => Ok(SnapshotMode::Ids),
            "census" => Ok(SnapshotMode::Census),
            other => Err(LeakhuntError::Usage(format!("a snapshot's mode is 'full', 'ids' or 'census', not {other:?}"))),
        }
    }
}

/// What parse threads and analyses share with the session: behind locks, by name.
#[derive(Default)]
struct Kept {
    parsing: Mutex<HashMap<String, SnapshotInProgress>>,
    snapshots: Mutex<HashMap<String, Arc<Snapshot>>>,
    reports: Mutex<HashMap<String, LeakReport>>,
}

fn with_report<T>(kept: &Kept, name: &str, read: impl FnOnce(&LeakReport) -> T) -> Result<T> {
    let reports = lock(&kept.reports);
    reports.get(name).map(read).ok_or_else(|| LeakhuntError::Usage(format!("no report named {name:?}")))
}

fn lock<T>(map: &Mutex<HashMap<String, T>>) -> MutexGuard<'_, HashMap<String, T>> {
    // A panic while holding the lock was already turned into an error; the data is still valid.
    map.lock().unwrap_or_else(|p| p.into_inner())
}

#[derive(Default)]
pub struct HuntSession {
    writing: Option<(String, SnapshotInProgress)>,
    kept: Arc<Kept>,
}

/// The part of a session an analysis needs, to run on another thread.
#[derive(Clone)]
pub struct Analyzer {
    kept: Arc<Kept>,
}

impl HuntSession {
    pub fn new() -> HuntSession {
        HuntSession::default()
    }

    /// Starts the snapshot `name`; its chunks come through `write`.
    pub fn begin_snapshot(&mut self, name: &str, mode: SnapshotMode) -> Result<()> {
        let parse = if mode == SnapshotMode::Full { ParseMode::Full } else { ParseMode::Ids };
        let pending = SnapshotInProgress::start(&format!("in-process snapshot '{name}'"), parse, mode == SnapshotMode::Census)?;
        self.writing = Some((name.to_string(), pending));
        Ok(())
    }

    pub fn write(&self, chunk: &[u8]) -> Result<()> {
        let (_, pending) = self.writing.as_ref().ok_or_else(|| LeakhuntError::Usage("no snapshot begun".into()))?;
        pending.write(chunk);
        Ok(())
    }

    /// A writer into the snapshot begun last, for a thread that reads it from elsewhere (a
    /// remote inspector); `end_snapshot` after that thread is done.
    pub fn chunk_sink(&self) -> Result<ChunkSink> {
        let (_, pending) = self.writing.as_ref().ok_or_else(|| LeakhuntError::Usage("no snapshot begun".into()))?;
        pending.sink().ok_or_else(|| LeakhuntError::Usage("the snapshot's input has ended".into()))
    }

    /// Ends the input of the snapshot begun last; its parse finishes in the background.
    pub fn end_snapshot(&mut self) -> Result<()> {
        let (name, mut pending) = self.writing.take().ok_or_else(|| LeakhuntError::Usage("no snapshot begun".into()))?;
        pending.end_input();
        lock(&self.kept.parsing).insert(name, pending);
        Ok(())
    }

    /// Keeps a watermark under `name`, in place of a baseline or target snapshot.
    pub fn watermark(&mut self, name: &str, mark: Watermark) {
        lock(&self.kept.snapshots).insert(name.to_string(), Arc::new(Snapshot::Watermark(mark)));
    }

    /// What an analysis of these three snapshots needs, after checking that each was taken.
    pub fn analyzer(&self, names: &[&str; 3]) -> Result<Analyzer> {
        let parsing = lock(&self.kept.parsing);
        let done = lock(&self.kept.snapshots);
        if let Some(name) = names.iter().find(|n| !parsing.contains_key(**n) && !done.contains_key(**n)) {
            return Err(LeakhuntError::Usage(format!("no snapshot named {name:?}")));
        }
        Ok(Analyzer { kept: self.kept.clone() })
    }

    /// A snapshot an analysis has waited for.
    fn parsed(&self, name: &str) -> Result<Arc<Snapshot>> {
        lock(&self.kept.snapshots).get(name).cloned().ok_or_else(|| LeakhuntError::Usage(format!("no parsed snapshot named {name:?}")))
    }

    pub fn node_count(&self, snapshot: &str) -> Result<u64> {
        Ok(self.parsed(snapshot)?.node_count())
    }

    /// For each group of a kept report, how many of its members are alive in a kept snapshot.
    pub fn still_alive(&self, report: &str, snapshot: &str) -> Result<Vec<u64>> {
        let later = self.parsed(snapshot)?;
        self.with_report(report, |r| diff::still_alive(&r.leaks, &later.ids()))
    }

    /// How many values of a kept report may grow in bytes (`diff::growing_values`): a number,
    /// so that asking between snapshots puts nothing on the JS heap being measured.
    pub fn growing_value_count(&self, report: &str) -> Result<u32> {
        self.with_report(report, |r| r.growing_values.len() as u32)
    }

    /// A kept report's values that may grow in bytes.
    pub fn growing_values(&self, report: &str) -> Result<Vec<GrowingValue>> {
        self.with_report(report, |r| r.growing_values.clone())
    }

    /// Emitters whose listener count for one event grew by `min_growth` or more from the
    /// census of `earlier` to the snapshot `later`, parsed in full.
    pub fn listener_growth(&self, earlier: &str, later: &str, min_growth: u32) -> Result<Vec<ListenerGrowth>> {
        let (a, b) = (self.parsed(earlier)?, self.parsed(later)?);
        let before = a.listener_census().ok_or_else(|| LeakhuntError::Usage(format!("snapshot {earlier:?} has no listener census")))?;
        let b = b.full(&format!("snapshot {later:?}"))?;
        Ok(listeners::growth(before, &b.graph, b.listener_census(), b.retainers(), min_growth.max(1)))
    }

    /// How many emitter/event lists of `later` (parsed in full) may have gained `min_growth`
    /// listeners or more since the watermark `mark`, which has no census
    /// (`listeners::lists_that_may_have_grown`).
    pub fn listeners_that_may_have_grown(&self, mark: &str, later: &str, min_growth: u32) -> Result<u32> {
        let Snapshot::Watermark(w) = &*self.parsed(mark)? else {
            return Err(LeakhuntError::Usage(format!("{mark:?} is not a watermark: compare its census (listener_growth)")));
        };
        let b = self.parsed(later)?;
        let b = b.full(&format!("snapshot {later:?}"))?;
        Ok(listeners::lists_that_may_have_grown(&b.graph, w.last_seen_object_id, min_growth) as u32)
    }

    /// Reads a kept report.
    pub fn with_report<T>(&self, name: &str, read: impl FnOnce(&LeakReport) -> T) -> Result<T> {
        with_report(&self.kept, name, read)
    }

    /// Frees every snapshot and report; parses still running are cancelled.
    pub fn clear(&mut self) {
        self.writing = None;
        lock(&self.kept.parsing).clear();
        lock(&self.kept.snapshots).clear();
        lock(&self.kept.reports).clear();
    }
}

impl Analyzer {
    /// Each of a kept report's growing values as its holder keeps it in a later snapshot
    /// (parsed in full, waited for): None where the holder or the slot is gone. Blocks: run it
    /// off the main thread.
    pub fn measure_values(&self, report: &str, snapshot: &str) -> Result<Vec<Option<ValueSize>>> {
        let later = self.wait_for(snapshot)?;
        let later = later.full(&format!("snapshot {snapshot:?}"))?;
        let graph = &later.graph;
        with_report(&self.kept, report, |r| {
            let mut at: HashMap<u32, NodeIndex> = r.growing_values.iter().map(|v| (v.holder.id, NodeIndex::MAX)).collect();
            for (index, id) in graph.ids.iter().enumerate() {
                if let Some(slot) = at.get_mut(id) {
                    *slot = index as NodeIndex;
                }
            }
            r.growing_values
                .iter()
                .map(|v| match at.get(&v.holder.id) {
                    Some(&holder) if holder != NodeIndex::MAX => values::measure_slot(graph, holder, &v.slot),
                    _ => None,
                })
                .collect()
        })
    }

    /// Diffs three snapshots (waiting for their parses) into a report kept as `result`;
    /// returns its number of growth points. Holders are older than `holders_from` when named
    /// (a second round names the first round's baseline). Blocks: run it off the main thread.
    pub fn analyze(&self, result: &str, names: &[String; 3], holders_from: Option<&str>, options: &DiffOptions) -> Result<u32> {
        let [b, t, f] = names;
        let (b, t, f) = (self.wait_for(b)?, self.wait_for(t)?, self.wait_for(f)?);
        let older = holders_from.map(|name| self.wait_for(name)).transpose()?;
        let report = analysis::analyze(&b, &t, &f, older.as_deref(), options, &Default::default())?;
        let groups = report.leaks.len() as u32;
        lock(&self.kept.reports).insert(result.to_string(), report);
        Ok(groups)
    }

    fn wait_for(&self, name: &str) -> Result<Arc<Snapshot>> {
        let pending = lock(&self.kept.parsing).remove(name);
        if let Some(pending) = pending {
            let snapshot = Arc::new(pending.finish()?);
            lock(&self.kept.snapshots).insert(name.to_string(), snapshot);
        }
        lock(&self.kept.snapshots).get(name).cloned().ok_or_else(|| LeakhuntError::Usage(format!("no snapshot named {name:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{edge, node, snapshot_json, TestEdge, TestNode};

    /// A heap with an emitter holding `listeners` listeners for 'order' and a ledger Array
    /// holding `kept` Things (ids from 101 up, so later snapshots add new ones).
    fn heap(listeners: usize, kept: usize) -> String {
        let mut nodes: Vec<TestNode> = vec![
            node("synthetic", "", 1, 0),
            node("object", "EventEmitter", 3, 10),
            node("object", "Object", 5, 10),
            node("object", "Array", 7, 10),
            node("object", "Array", 9, 10),
        ];
        let mut edges: Vec<TestEdge> = vec![
            edge(0, "shortcut", "bus", 1),
            edge(1, "property", "_events", 2),
            edge(2, "property", "order", 3),
            edge(0, "shortcut", "ledger", 4),
        ];
        for k in 0..listeners {
            nodes.push(node("closure", "onOrder", 51 + 2 * k as u32, 32));
            edges.push(edge(3, "element", &k.to_string(), nodes.len() - 1));
        }
        for k in 0..kept {
            nodes.push(node("object", "Thing", 101 + 2 * k as u32, 16));
            edges.push(edge(4, "element", &k.to_string(), nodes.len() - 1));
        }
        snapshot_json(&nodes, &edges)
    }

    fn take(session: &mut HuntSession, name: &str, mode: SnapshotMode, json: &str) {
        session.begin_snapshot(name, mode).unwrap();
        for chunk in json.as_bytes().chunks(13) {
            session.write(chunk).unwrap();
        }
        session.end_snapshot().unwrap();
    }

    #[test]
    fn a_hunt_diffs_its_snapshots_by_name_and_keeps_what_it_needs() {
        let mut session = HuntSession::new();
        take(&mut session, "baseline", SnapshotMode::Census, &heap(2, 1));
        take(&mut session, "target", SnapshotMode::Ids, &heap(12, 3));
        take(&mut session, "final", SnapshotMode::Full, &heap(12, 3));
        let analyzer = session.analyzer(&["baseline", "target", "final"]).unwrap();
        let names = ["baseline".to_string(), "target".to_string(), "final".to_string()];
        assert!(analyzer.analyze("first", &names, None, &DiffOptions::default()).unwrap() >= 1);
        let things = session.with_report("first", |r| r.leaks.iter().find(|g| g.name == "Thing").map(|g| g.count)).unwrap();
        assert_eq!(things, Some(2), "two Things are new since the baseline");
        assert_eq!(session.node_count("final").unwrap(), 5 + 12 + 3);
        let alive = session.still_alive("first", "final").unwrap();
        assert!(alive.iter().all(|&n| n > 0));
        let grown = session.listener_growth("baseline", "final", 5).unwrap();
        assert_eq!(grown.len(), 1);
        assert_eq!((grown[0].event.as_str(), grown[0].before, grown[0].after), ("order", 2, 12));
        session.clear();
        assert!(session.node_count("final").is_err(), "clear() frees the snapshots");
        assert!(session.with_report("first", |_| ()).is_err());
    }

    #[test]
    fn a_watermark_stands_for_the_target_objects_made_after_it_are_not_counted() {
        let mut session = HuntSession::new();
        take(&mut session, "baseline", SnapshotMode::Census, &heap(2, 1));
        // Things 103 and 105 were alive at the walk; 107 and 109 were made after it.
        session.watermark("target", Watermark { last_seen_object_id: 105, object_count: 17, total_size: 400 });
        take(&mut session, "final", SnapshotMode::Full, &heap(12, 5));
        let analyzer = session.analyzer(&["baseline", "target", "final"]).unwrap();
        let names = ["baseline".to_string(), "target".to_string(), "final".to_string()];
        analyzer.analyze("first", &names, None, &DiffOptions::default()).unwrap();
        let mut things =
            session.with_report("first", |r| r.leaks.iter().find(|g| g.name == "Thing").map(|g| g.member_ids.clone())).unwrap().unwrap();
        things.sort_unstable();
        assert_eq!(things, [103, 105]);
        let target = session.with_report("first", |r| (r.summary.target.node_count, r.summary.target.source.clone())).unwrap();
        assert_eq!(target, (17, "a heap walk up to object id 105".to_string()));
        assert_eq!(session.node_count("target").unwrap(), 17);
        let err = analyzer.analyze("r", &["baseline".into(), "final".into(), "target".into()], None, &DiffOptions::default()).unwrap_err();
        assert!(err.to_string().contains("is a watermark, not a snapshot"), "{err}");
    }

    #[test]
    fn a_watermark_stands_for_the_baseline_too_only_the_final_is_a_snapshot() {
        let mut session = HuntSession::new();
        // Thing 101 was alive at the baseline walk; 103 and 105 came by the target walk; 107
        // and 109 after it.
        session.watermark("baseline", Watermark { last_seen_object_id: 101, object_count: 15, total_size: 300 });
        session.watermark("target", Watermark { last_seen_object_id: 105, object_count: 17, total_size: 400 });
        take(&mut session, "final", SnapshotMode::Full, &heap(12, 5));
        let names = ["baseline".to_string(), "target".to_string(), "final".to_string()];
        session.analyzer(&["baseline", "target", "final"]).unwrap().analyze("first", &names, None, &DiffOptions::default()).unwrap();
        let mut things =
            session.with_report("first", |r| r.leaks.iter().find(|g| g.name == "Thing").map(|g| g.member_ids.clone())).unwrap().unwrap();
        things.sort_unstable();
        assert_eq!(things, [103, 105]);
        // No census of the baseline: the twelve listeners (ids 51 to 73) may have grown only if
        // they are newer than its mark.
        assert_eq!(session.listeners_that_may_have_grown("baseline", "final", 5).unwrap(), 0);
        session.watermark("early", Watermark { last_seen_object_id: 49, object_count: 0, total_size: 0 });
        assert_eq!(session.listeners_that_may_have_grown("early", "final", 5).unwrap(), 1);
        assert!(session.listeners_that_may_have_grown("final", "final", 5).is_err(), "a snapshot is not a watermark");
    }

    #[test]
    fn misuse_is_a_usage_error_that_names_what_is_missing() {
        let mut session = HuntSession::new();
        let usage = |r: Result<()>| match r {
            Err(LeakhuntError::Usage(m)) => m,
            other => panic!("expected a usage error, got {other:?}"),
        };
        assert_eq!(usage(session.write(b"{")), "no snapshot begun");
        assert_eq!(usage(session.end_snapshot()), "no snapshot begun");
        assert!(usage(SnapshotMode::from_name("partial").map(|_| ())).contains("'full', 'ids' or 'census'"));
        take(&mut session, "ids", SnapshotMode::Ids, &heap(1, 1));
        assert!(usage(session.analyzer(&["ids", "ids", "missing"]).map(|_| ())).contains("\"missing\""));
        let analyzer = session.analyzer(&["ids", "ids", "ids"]).unwrap();
        let names = ["ids".to_string(), "ids".to_string(), "ids".to_string()];
        let err = analyzer.analyze("r", &names, None, &DiffOptions::default()).unwrap_err();
        assert!(err.to_string().contains("parsed as ids only"), "{err}");
        assert!(usage(session.listener_growth("ids", "ids", 1).map(|_| ())).contains("no listener census"));
    }
}
