//! The end-to-end analyses the binding calls: read one snapshot and summarise it, or diff
//! three. Dominators and retainer paths are computed once per snapshot, on first use.

use crate::diff::{self, DiffOptions};
use crate::dominators::{self, Dominators};
use crate::error::{LeakhuntError, Result};
use crate::graph::{HeapGraph, NodeIndex};
use crate::listeners::ListenerCensus;
use crate::progress::{Phase, Progress};
use crate::report::{ClassStat, LeakReport, LocatedObject, ReportSummary, SnapshotStats, SnapshotSummary, SCHEMA_VERSION};
use crate::retainers::RetainerTree;
use crate::snapshot::{parse_file, parse_file_from, IdSnapshot, NodeKind, ParseMode, ParsedSnapshot};
use std::collections::HashMap;
use std::sync::OnceLock;
use std::time::Instant;

/// A parsed snapshot: either the whole graph, or (for a baseline or target) only its ids; or,
/// in place of a baseline or target, an object-id watermark.
// One value per parsed file, moved a few times: boxing the larger variant would save nothing.
#[allow(clippy::large_enum_variant)]
pub enum Snapshot {
    /// With the listener census when it was parsed in full for it before being reduced to
    /// ids (the hunt's baseline).
    Ids(IdSnapshot, Option<ListenerCensus>),
    Full(AnalyzedSnapshot),
    Watermark(Watermark),
}

/// The highest object id V8 had given out after a heap walk (`lastSeenObjectId` when it
/// tracks heap objects). The walk gives every live object an id, and ids only grow, so an
/// object of a later snapshot with an odd id up to this one was alive at the walk: the ids of
/// a walked baseline or target are those of the final snapshot up to the watermark, for a
/// tenth of a snapshot.
pub struct Watermark {
    pub last_seen_object_id: u32,
    /// Heap objects the walk counted, and their size.
    pub object_count: u64,
    pub total_size: u64,
}

impl Snapshot {
    pub fn from_parsed(parsed: ParsedSnapshot, mode: ParseMode) -> Result<Snapshot> {
        Snapshot::from_parsed_with(parsed, mode, &Progress::default())
    }

    fn from_parsed_with(parsed: ParsedSnapshot, mode: ParseMode, progress: &Progress) -> Result<Snapshot> {
        if mode == ParseMode::Full {
            progress.enter(Phase::Graph);
        }
        Ok(match mode {
            ParseMode::Ids => Snapshot::Ids(IdSnapshot::from_parsed(parsed), None),
            ParseMode::Full => Snapshot::Full(AnalyzedSnapshot::new(HeapGraph::from_parsed(parsed)?)),
        })
    }

    /// A large file in full mode is parsed by two threads (`snapshot::parse_file`).
    pub fn read(path: &str, mode: ParseMode, progress: &Progress) -> Result<Snapshot> {
        Snapshot::from_parsed_with(parse_file(path, mode, progress)?, mode, progress)
    }

    /// On the calling thread only: for when the other core already has work.
    fn read_on_one_thread(path: &str, mode: ParseMode, progress: &Progress) -> Result<Snapshot> {
        Snapshot::from_parsed_with(parse_file_from(path, mode, progress, u64::MAX)?, mode, progress)
    }

    pub fn node_count(&self) -> u64 {
        match self {
            Snapshot::Ids(s, _) => s.node_count,
            Snapshot::Full(s) => s.graph.node_count() as u64,
            Snapshot::Watermark(w) => w.object_count,
        }
    }

    pub fn edge_count(&self) -> u64 {
        match self {
            Snapshot::Ids(s, _) => s.edge_count,
            Snapshot::Full(s) => s.graph.edge_count() as u64,
            Snapshot::Watermark(_) => 0,
        }
    }

    pub fn stats(&self) -> SnapshotStats {
        match self {
            Snapshot::Ids(s, _) => SnapshotStats {
                source: s.source.clone(),
                node_count: s.node_count,
                edge_count: s.edge_count,
                total_size: s.total_size,
                bytes: s.bytes,
            },
            Snapshot::Full(s) => SnapshotStats {
                source: s.graph.source.clone(),
                node_count: s.graph.node_count() as u64,
                edge_count: s.graph.edge_count() as u64,
                total_size: s.graph.total_size(),
                bytes: s.graph.bytes,
            },
            Snapshot::Watermark(w) => SnapshotStats {
                source: format!("a heap walk up to object id {}", w.last_seen_object_id),
                node_count: w.object_count,
                edge_count: 0,
                total_size: w.total_size,
                bytes: 0,
            },
        }
    }

    /// The whole graph, or a usage error naming `what` (for example "the final snapshot") when
    /// this snapshot was parsed as ids only.
    pub fn full(&self, what: &str) -> Result<&AnalyzedSnapshot> {
        match self {
            Snapshot::Full(s) => Ok(s),
            Snapshot::Ids(..) => {
                Err(LeakhuntError::Usage(format!("{what} was parsed as ids only: it has no edges, so it must be parsed in full")))
            }
            Snapshot::Watermark(_) => Err(LeakhuntError::Usage(format!("{what} is a watermark, not a snapshot"))),
        }
    }

    /// The listener census: computed on a full graph, kept from the parse for an ids one
    /// (None when it was parsed without one).
    pub fn listener_census(&self) -> Option<&ListenerCensus> {
        match self {
            Snapshot::Full(s) => Some(s.listener_census()),
            Snapshot::Ids(_, listeners) => listeners.as_ref(),
            Snapshot::Watermark(_) => None,
        }
    }

    /// The id set, borrowed or (for a full graph) built on the spot; a watermark's are those of
    /// `later`, the snapshot it is compared with, up to the mark.
    pub fn ids_beside<'a>(&'a self, later: &'a Snapshot) -> std::borrow::Cow<'a, IdSnapshot> {
        let Snapshot::Watermark(w) = self else { return self.ids() };
        let later = later.ids();
        // Only JS objects (odd ids) are numbered in order; a native node's even id is its
        // address, which says nothing of its age.
        let up_to_mark = |id: u32| id % 2 == 1 && id <= w.last_seen_object_id;
        let mut ids = self.ids().into_owned();
        ids.ids = later.ids.iter().copied().filter(|&id| up_to_mark(id)).collect();
        ids.fingerprints = later.fingerprints.iter().copied().filter(|&(id, _)| up_to_mark(id)).collect();
        std::borrow::Cow::Owned(ids)
    }

    /// The id set, borrowed or (for a full graph) built on the spot. A watermark has none of
    /// its own (`ids_beside`).
    pub fn ids(&self) -> std::borrow::Cow<'_, IdSnapshot> {
        match self {
            Snapshot::Ids(s, _) => std::borrow::Cow::Borrowed(s),
            Snapshot::Watermark(w) => std::borrow::Cow::Owned(IdSnapshot {
                source: self.stats().source,
                ids: Vec::new(),
                fingerprints: Vec::new(),
                node_count: w.object_count,
                edge_count: 0,
                total_size: w.total_size,
                bytes: 0,
                sites: Default::default(),
            }),
            Snapshot::Full(s) => {
                let mut ids = s.graph.ids.clone();
                ids.sort_unstable();
                ids.dedup();
                let stats = self.stats();
                let g = &s.graph;
                let mut fingerprints: Vec<(u32, u64)> = (0..g.node_count())
                    .filter(|&n| crate::snapshot::is_sampled(g.ids[n]))
                    .map(|n| (g.ids[n], crate::snapshot::fingerprint(g.types[n] as u64, g.self_size(n as NodeIndex))))
                    .collect();
                fingerprints.sort_unstable();
                std::borrow::Cow::Owned(IdSnapshot {
                    source: stats.source,
                    ids,
                    fingerprints,
                    node_count: stats.node_count,
                    edge_count: stats.edge_count,
                    total_size: stats.total_size,
                    bytes: stats.bytes,
                    sites: crate::allocations::sites_of(g),
                })
            }
        }
    }
}

pub struct AnalyzedSnapshot {
    pub graph: HeapGraph,
    dominators: OnceLock<Dominators>,
    retainers: OnceLock<RetainerTree>,
    listeners: OnceLock<ListenerCensus>,
}

impl AnalyzedSnapshot {
    pub fn new(graph: HeapGraph) -> AnalyzedSnapshot {
        AnalyzedSnapshot { graph, dominators: OnceLock::new(), retainers: OnceLock::new(), listeners: OnceLock::new() }
    }

    /// Listeners per emitter and event (a hunt asks for the final snapshot's up to three times).
    pub fn listener_census(&self) -> &ListenerCensus {
        self.listeners.get_or_init(|| crate::listeners::census(&self.graph))
    }

    pub fn dominators(&self) -> &Dominators {
        self.dominators.get_or_init(|| dominators::compute(&self.graph))
    }

    pub fn retainers(&self) -> &RetainerTree {
        self.retainers.get_or_init(|| RetainerTree::compute(&self.graph))
    }

    /// Finds one object by a chain of edge names: the first is looked up among all named edges
    /// of the heap (it must be unique, e.g. a property key made for this purpose), each next
    /// one among the edges of the node reached. `object.track()` marks what it tracks this way
    /// (a unique key to a WeakRef, then the WeakRef's `target`), so the object can be found in
    /// a snapshot without holding it strongly.
    pub fn locate(&self, edge_names: &[String]) -> Option<LocatedObject> {
        let graph = &self.graph;
        let (first, rest) = edge_names.split_first()?;
        let mut edges = (0..graph.edge_count()).filter(|&e| graph.edge_is_named(e, first));
        let edge = edges.next()?;
        if edges.next().is_some() {
            return None; // ambiguous: the key was not unique
        }
        let mut node = graph.edge_to[edge];
        for name in rest {
            node = graph.edge_target(node, name)?;
        }
        Some(LocatedObject {
            id: graph.ids[node as usize],
            name: crate::classes::display_name(graph, node),
            node_type: graph.layout.node_type_names[graph.types[node as usize] as usize].clone(),
            self_size: graph.self_size(node),
            retained_size: self.dominators().retained[node as usize],
            held_by_program: self.retainers().is_held_by_program(node),
            retainer_path: self.retainers().path(graph, node),
        })
    }

    /// The realms (vm contexts) the marker keys name that are still alive, and what keeps
    /// each from outside it (`realms::kept_realms`).
    pub fn kept_realms(&self, keys: &[String], runner_dirs: &[String]) -> Vec<crate::realms::KeptRealm> {
        crate::realms::kept_realms(&self.graph, self.dominators(), keys, runner_dirs)
    }

    /// Top classes by count, self size and retained size.
    pub fn summary(&self, top: usize) -> SnapshotSummary {
        let graph = &self.graph;
        let doms = self.dominators();
        let (class_of, keys) = class_index(graph);
        let classes = keys.len();
        let mut count = vec![0u64; classes];
        let mut self_size = vec![0u64; classes];
        for v in 0..graph.node_count() {
            count[class_of[v] as usize] += 1;
            self_size[class_of[v] as usize] += graph.self_size(v as NodeIndex);
        }
        let retained = class_retained(graph, doms, &class_of, classes);
        let stat = |c: usize| {
            let example = keys[c].1;
            ClassStat {
                name: crate::classes::class_name(graph, example),
                kind: crate::classes::kind_label(graph.kind(example)).to_string(),
                count: count[c],
                self_size: self_size[c],
                retained_size: retained[c],
            }
        };
        let top_by = |metric: &[u64]| {
            let mut order: Vec<usize> = (0..classes).collect();
            order.sort_by(|&a, &b| metric[b].cmp(&metric[a]));
            order.into_iter().take(top).map(stat).collect::<Vec<_>>()
        };
        SnapshotSummary {
            node_count: graph.node_count() as u64,
            edge_count: graph.edge_count() as u64,
            total_size: graph.total_size(),
            top_by_count: top_by(&count),
            top_by_self_size: top_by(&self_size),
            top_by_retained_size: top_by(&retained),
        }
    }
}

/// A summary class: (node type, name string index).
type ClassId = (u8, u32);

/// Class of every node for summaries: (node type, name string) with all strings, numbers,
/// symbols and bigints each one class. Returns each node's class and, per class, its key and
/// one example node.
fn class_index(graph: &HeapGraph) -> (Vec<u32>, Vec<(ClassId, NodeIndex)>) {
    let mut map: HashMap<(u8, u32), u32> = HashMap::new();
    let mut keys = Vec::new();
    let mut class_of = Vec::with_capacity(graph.node_count());
    for v in 0..graph.node_count() {
        let node = v as NodeIndex;
        let kind = graph.kind(node);
        let key = match kind {
            k if k.is_string() => (u8::MAX, 0),
            NodeKind::Number | NodeKind::Symbol | NodeKind::BigInt => (graph.types[v], 0),
            _ => (graph.types[v], graph.names[v]),
        };
        let next = keys.len() as u32;
        let c = *map.entry(key).or_insert_with(|| {
            keys.push((key, node));
            next
        });
        class_of.push(c);
    }
    (class_of, keys)
}

/// Retained size per class: a walk of the dominator tree that counts a node only when no
/// dominator above it has the same class.
fn class_retained(graph: &HeapGraph, doms: &Dominators, class_of: &[u32], classes: usize) -> Vec<u64> {
    let n = graph.node_count();
    let mut first = vec![0u32; n + 1];
    for v in 1..n {
        first[doms.idom[v] as usize + 1] += 1;
    }
    for i in 0..n {
        first[i + 1] += first[i];
    }
    let mut fill = first.clone();
    let mut children = vec![0u32; n.saturating_sub(1)];
    for v in 1..n {
        let d = doms.idom[v] as usize;
        children[fill[d] as usize] = v as u32;
        fill[d] += 1;
    }
    drop(fill);
    let mut retained = vec![0u64; classes];
    let mut on_path = vec![0u32; classes];
    let mut stack: Vec<(u32, u32)> = vec![(0, first[0])];
    enter(0, class_of, &mut on_path, &mut retained, doms);
    while let Some(top) = stack.last_mut() {
        let (node, next) = *top;
        if next < first[node as usize + 1] {
            top.1 += 1;
            let child = children[next as usize];
            enter(child, class_of, &mut on_path, &mut retained, doms);
            stack.push((child, first[child as usize]));
        } else {
            on_path[class_of[node as usize] as usize] -= 1;
            stack.pop();
        }
    }
    retained
}

fn enter(node: u32, class_of: &[u32], on_path: &mut [u32], retained: &mut [u64], doms: &Dominators) {
    let c = class_of[node as usize] as usize;
    if on_path[c] == 0 {
        retained[c] += doms.retained[node as usize];
    }
    on_path[c] += 1;
}

/// Below this share of the baseline's objects still in the target, two snapshots are not of
/// one process (see `diff::shared_share`).
const MIN_SHARED: f64 = 0.5;
/// Of the sampled ids two snapshots share, the share that must be the same object (type and
/// size). Measured: 100 % within one process; 57 % and 23 % between two Node 20 processes
/// running different scripts, though their ids overlap entirely (V8 numbers objects in the
/// order it meets them).
const MIN_SAME_OBJECTS: f64 = 0.9;
/// Below this many shared sampled ids, the sample says nothing (tiny synthetic heaps).
const MIN_SAMPLE: usize = 20;

/// Refuses a baseline and a target that are not of one process: their diff would report
/// hundreds of "leaks" that are only two different heaps.
fn check_one_process(baseline: &IdSnapshot, target: &IdSnapshot, new_count: usize) -> Result<()> {
    let unrelated = |why: String| {
        Err(LeakhuntError::Unrelated(format!(
            "{why} between {} and {}: take all snapshots from one process, with no inspector session closed in between",
            baseline.source, target.source
        )))
    };
    let shared = diff::shared_share_given(&baseline.ids, &target.ids, new_count);
    if shared < MIN_SHARED {
        return unrelated(format!(
            "only {:.0} % of the baseline's objects are in the target (one process keeps most of them)",
            shared * 100.0
        ));
    }
    let (same, compared) = diff::same_objects(&baseline.fingerprints, &target.fingerprints);
    if compared >= MIN_SAMPLE && (same as f64) < MIN_SAME_OBJECTS * compared as f64 {
        return unrelated(format!(
            "of {compared} sampled object ids both snapshots have, only {same} are the same object (within one process an id is one object for its life)"
        ));
    }
    Ok(())
}

/// Two rounds offline, as a hunt makes them: the three-snapshot analysis, then the growth
/// points that round two (from `final_` to `confirm`) added to, found against the same baseline,
/// and how many of round one's objects are still alive in `confirm`.
#[derive(serde::Serialize)]
pub struct TwoRounds {
    pub first: LeakReport,
    pub grown: LeakReport,
    pub persisted: Vec<u64>,
}

pub fn analyze_two_rounds(snapshots: [&Snapshot; 4], options: &DiffOptions, progress: &Progress) -> Result<TwoRounds> {
    let [baseline, target, final_, confirm] = snapshots;
    let first = analyze(baseline, target, final_, None, options, progress)?;
    let counts = DiffOptions { counts_only: true, max_samples: 1, iterations: None, ..options.clone() };
    let grown = analyze(final_, confirm, confirm, Some(baseline), &counts, progress)?;
    let persisted = diff::still_alive(&first.leaks, &confirm.ids());
    Ok(TwoRounds { first, grown, persisted })
}

/// The three-snapshot analysis of snapshots already parsed. Holders must be older than
/// `holders_from` (the baseline when None): a second round names the first round's baseline,
/// so that it finds the first round's holders again.
pub fn analyze(
    baseline: &Snapshot,
    target: &Snapshot,
    final_: &Snapshot,
    holders_from: Option<&Snapshot>,
    options: &DiffOptions,
    progress: &Progress,
) -> Result<LeakReport> {
    let started = Instant::now();
    let analyzed = final_.full("the final snapshot")?;
    let graph = &analyzed.graph;
    let baseline_ids = baseline.ids_beside(final_);
    let target_ids = target.ids_beside(final_);
    let new = diff::new_ids(&baseline_ids.ids, &target_ids.ids);
    check_one_process(&baseline_ids, &target_ids, new.len())?;
    let surviving = diff::surviving_among(graph, &new);
    progress.enter(Phase::Retainers);
    let tree = analyzed.retainers();
    progress.enter(Phase::Diff);
    let doms = || {
        progress.enter(Phase::Dominators);
        let doms = (!options.counts_only).then(|| analyzed.dominators());
        progress.enter(Phase::Diff);
        doms
    };
    // The baseline's ids are at hand already; a full snapshot would build them again.
    let older = match holders_from {
        Some(snapshot) => snapshot.ids_beside(final_),
        None => std::borrow::Cow::Borrowed(baseline_ids.as_ref()),
    };
    let mut grouped = diff::group(graph, doms, tree, &surviving, &older.ids, &target_ids.sites, options);
    // A first round's values that may grow in bytes; a second round only counts objects.
    let growing_values = if holders_from.is_none() { diff::growing_values(graph, tree, &surviving, &older.ids) } else { Vec::new() };
    // A second round starts from a full snapshot: each holder's entries there and at the end
    // tell growth from churn.
    if let (Some(_), Snapshot::Full(start)) = (holders_from, baseline) {
        for point in &mut grouped.groups {
            let before = diff::holder_entries(&start.graph, point.holder.id, &older.ids);
            let after = diff::holder_entries(graph, point.holder.id, &older.ids);
            if let (Some(before), Some(after)) = (before, after) {
                let before_ids: Vec<u32> = before.iter().map(|&v| start.graph.ids[v as usize]).collect();
                point.holder_entries = Some(crate::report::HolderEntries {
                    before: before.len() as u64,
                    after: after.len() as u64,
                    kept_by_successors: diff::kept_by_successors(graph, &before_ids, &after),
                });
            }
        }
    }
    let leaked_object_count = grouped.groups.iter().map(|g| g.count).sum();
    let leaked_self_size = grouped.groups.iter().map(|g| g.self_size).sum();
    let leaked_retained_size = grouped.groups.iter().map(|g| g.retained_size).sum();
    progress.enter(Phase::Done);
    Ok(LeakReport {
        schema_version: SCHEMA_VERSION,
        leaks: grouped.groups,
        summary: ReportSummary {
            baseline: baseline.stats(),
            target: target.stats(),
            final_: final_.stats(),
            iterations: options.iterations,
            surviving_object_count: surviving.len() as u64,
            leaked_object_count,
            leaked_self_size,
            leaked_retained_size,
            internal_object_count: grouped.internal_count,
            ignored_object_count: grouped.ignored_count,
            allocation_tracking: crate::allocations::AllocationTrace::of(graph).is_some(),
            parse_ms: 0.0,
            analysis_ms: started.elapsed().as_secs_f64() * 1000.0,
        },
        growing_values,
    })
}

/// Runs `first` on a thread of its own while `second` runs on this one, and returns both
/// (`first`'s as `Err` if its thread died). In WebAssembly they run one after the other: a
/// scoped thread under the WASI-threads runtime finished its work and its scope never ended
/// (`std::thread::scope` waits by parking, and the park was never woken), so the WASI build
/// does without the second core here.
fn side_by_side<A: Send, B>(first: impl FnOnce() -> A + Send, second: impl FnOnce() -> B) -> (std::thread::Result<A>, B) {
    if cfg!(target_family = "wasm") {
        let a = first();
        return (Ok(a), second());
    }
    std::thread::scope(|scope| {
        let a = scope.spawn(first);
        let b = second();
        (a.join(), b)
    })
}

/// Three files: the baseline and target are reduced to id sets on a second thread while the
/// final one is parsed into a full graph, so both cores work and only one graph is held.
pub fn analyze_files(baseline: &str, target: &str, final_: &str, options: &DiffOptions, progress: &Progress) -> Result<LeakReport> {
    let started = Instant::now();
    progress.expect_bytes([baseline, target, final_].iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum());
    let (ids, full) = side_by_side(
        || {
            crate::error::catch_panic(|| {
                let b = Snapshot::read(baseline, ParseMode::Ids, progress)?;
                let t = Snapshot::read(target, ParseMode::Ids, progress)?;
                Ok((b, t))
            })
        },
        || {
            // One thread for the final file: the second core is busy with the id sets, and
            // parsing it in two halves (`Snapshot::read`) costs 0.27 s more CPU in all, which
            // measured slower here (1.39 s against 1.31 s on 3 × 521 MB) though 0.36 s faster
            // for one file alone.
            let full = Snapshot::read_on_one_thread(final_, ParseMode::Full, progress);
            // The final graph's dominators and retainer paths need no ids, nor each other: they
            // are computed side by side as soon as the graph exists (3 × 521 MB files: the id
            // sets take 0.78 s on one core, the full parse 0.82 s on the other, then dominators
            // 0.37 s and retainer paths 0.12 s run together).
            if let Ok(Snapshot::Full(s)) = &full {
                let _ = side_by_side(
                    // A panic there is caught; `analyze` then asks again and reports it.
                    || {
                        crate::error::catch_panic(|| {
                            s.retainers();
                            Ok(())
                        })
                    },
                    || {
                        if !options.counts_only {
                            s.dominators();
                        }
                    },
                );
            }
            full
        },
    );
    let ids = ids.unwrap_or_else(|_| Err(LeakhuntError::Internal("id parser thread died".into())));
    let (b, t) = ids?;
    let f = full?;
    let parse_ms = started.elapsed().as_secs_f64() * 1000.0;
    let mut report = analyze(&b, &t, &f, None, options, progress)?;
    report.summary.parse_ms = parse_ms;
    Ok(report)
}

#[cfg(test)]
mod locate_tests {
    use super::*;
    use crate::test_support::{edge, graph_of, node};

    #[test]
    fn an_object_is_found_through_a_weak_reference_and_its_path_ignores_that_reference() {
        let nodes = [
            node("synthetic", "", 1, 0),
            node("synthetic", "(GC roots)", 3, 0),
            node("object", "Window", 5, 32),
            node("object", "Object", 7, 16),
            node("object", "WeakRef", 9, 16),
            node("object", "RequestContext", 11, 64),
            node("object", "Map", 13, 32),
        ];
        let edges = [
            edge(0, "element", "1", 1),
            edge(1, "element", "1", 2),
            edge(2, "property", "tracked", 3),
            edge(3, "property", "leakhunt:probe:1", 4),
            edge(4, "weak", "target", 5),
            edge(2, "property", "contexts", 6),
            edge(6, "internal", "table", 5),
        ];
        let analyzed = AnalyzedSnapshot::new(graph_of(&nodes, &edges));
        let found = analyzed.locate(&["leakhunt:probe:1".to_string(), "target".to_string()]).unwrap();
        assert_eq!(found.id, 11);
        assert_eq!(found.name, "RequestContext");
        assert!(found.held_by_program);
        let names: Vec<&str> = found.retainer_path.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names.last(), Some(&"RequestContext"));
        assert!(names.contains(&"Map"), "the path goes through the Map, not the WeakRef: {names:?}");
        assert!(!names.contains(&"WeakRef"));
        assert!(analyzed.locate(&["no-such-key".to_string()]).is_none());
    }
}
