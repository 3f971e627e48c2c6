//! The end-to-end analyses the binding calls: read one snapshot and summarise it, or diff
//! three. Dominators and retainer paths are computed once per snapshot, on first use.

use crate::diff::{self, DiffOptions};
use crate::dominators::{self, Dominators};
use crate::error::{LeakhuntError, Result};
use crate::graph::{HeapGraph, NodeIndex};
use crate::report::{ClassStat, LeakReport, ReportSummary, SnapshotStats, SnapshotSummary, SCHEMA_VERSION};
use crate::retainers::RetainerTree;
use crate::snapshot::{parse_file, IdSnapshot, NodeKind, ParseMode, ParsedSnapshot};
use std::collections::HashMap;
use std::sync::OnceLock;
use std::time::Instant;

/// A parsed snapshot: either the whole graph, or (for a baseline or target) only its ids.
pub enum Snapshot {
    Ids(IdSnapshot),
    Full(AnalyzedSnapshot),
}

impl Snapshot {
    pub fn from_parsed(parsed: ParsedSnapshot, mode: ParseMode) -> Result<Snapshot> {
        Ok(match mode {
            ParseMode::Ids => Snapshot::Ids(IdSnapshot::from_parsed(parsed)),
            ParseMode::Full => Snapshot::Full(AnalyzedSnapshot::new(HeapGraph::from_parsed(parsed)?)),
        })
    }

    pub fn read(path: &str, mode: ParseMode) -> Result<Snapshot> {
        Snapshot::from_parsed(parse_file(path, mode)?, mode)
    }

    pub fn node_count(&self) -> u64 {
        match self {
            Snapshot::Ids(s) => s.node_count,
            Snapshot::Full(s) => s.graph.node_count() as u64,
        }
    }

    pub fn edge_count(&self) -> u64 {
        match self {
            Snapshot::Ids(s) => s.edge_count,
            Snapshot::Full(s) => s.graph.edge_count() as u64,
        }
    }

    pub fn stats(&self) -> SnapshotStats {
        match self {
            Snapshot::Ids(s) => SnapshotStats {
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
        }
    }

    /// The id set, borrowed or (for a full graph) built on the spot.
    pub fn ids(&self) -> std::borrow::Cow<'_, IdSnapshot> {
        match self {
            Snapshot::Ids(s) => std::borrow::Cow::Borrowed(s),
            Snapshot::Full(s) => {
                let mut ids = s.graph.ids.clone();
                ids.sort_unstable();
                ids.dedup();
                let stats = self.stats();
                std::borrow::Cow::Owned(IdSnapshot {
                    source: stats.source,
                    ids,
                    node_count: stats.node_count,
                    edge_count: stats.edge_count,
                    total_size: stats.total_size,
                    bytes: stats.bytes,
                })
            }
        }
    }
}

pub struct AnalyzedSnapshot {
    pub graph: HeapGraph,
    dominators: OnceLock<Dominators>,
    retainers: OnceLock<RetainerTree>,
}

impl AnalyzedSnapshot {
    pub fn new(graph: HeapGraph) -> AnalyzedSnapshot {
        AnalyzedSnapshot { graph, dominators: OnceLock::new(), retainers: OnceLock::new() }
    }

    pub fn dominators(&self) -> &Dominators {
        self.dominators.get_or_init(|| dominators::compute(&self.graph))
    }

    pub fn retainers(&self) -> &RetainerTree {
        self.retainers.get_or_init(|| RetainerTree::compute(&self.graph))
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
            self_size[class_of[v] as usize] += graph.self_sizes[v];
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

/// Class of every node for summaries: (node type, name string) with all strings, numbers,
/// symbols and bigints each one class. Returns each node's class and, per class, its key and
/// one example node.
fn class_index(graph: &HeapGraph) -> (Vec<u32>, Vec<((u8, u32), NodeIndex)>) {
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

/// The three-snapshot analysis of snapshots already parsed.
pub fn analyze(baseline: &Snapshot, target: &Snapshot, final_: &Snapshot, options: &DiffOptions) -> Result<LeakReport> {
    let started = Instant::now();
    let analyzed = match final_ {
        Snapshot::Full(s) => s,
        Snapshot::Ids(_) => {
            return Err(LeakhuntError::Usage(
                "the final snapshot must be parsed in full (it was parsed as ids only)".to_string(),
            ))
        }
    };
    let graph = &analyzed.graph;
    let baseline_ids = baseline.ids();
    let target_ids = target.ids();
    let surviving = diff::surviving_nodes(graph, &baseline_ids, &target_ids);
    let doms = analyzed.dominators();
    let tree = analyzed.retainers();
    let grouped = diff::group(graph, doms, tree, &surviving, options);
    let leaked_object_count = grouped.groups.iter().map(|g| g.count).sum();
    let leaked_self_size = grouped.groups.iter().map(|g| g.self_size).sum();
    let leaked_retained_size = grouped.groups.iter().map(|g| g.retained_size).sum();
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
            parse_ms: 0.0,
            analysis_ms: started.elapsed().as_secs_f64() * 1000.0,
        },
    })
}

/// Three files: the baseline and target are reduced to id sets on a second thread while the
/// final one is parsed into a full graph, so both cores work and only one graph is held.
pub fn analyze_files(baseline: &str, target: &str, final_: &str, options: &DiffOptions) -> Result<LeakReport> {
    let started = Instant::now();
    let (ids, full) = std::thread::scope(|scope| {
        let ids = scope.spawn(|| {
            crate::error::catch_panic(|| {
                let b = Snapshot::read(baseline, ParseMode::Ids)?;
                let t = Snapshot::read(target, ParseMode::Ids)?;
                Ok((b, t))
            })
        });
        let full = Snapshot::read(final_, ParseMode::Full);
        let ids = ids.join().unwrap_or_else(|_| Err(LeakhuntError::Internal("id parser thread died".into())));
        (ids, full)
    });
    let (b, t) = ids?;
    let f = full?;
    let parse_ms = started.elapsed().as_secs_f64() * 1000.0;
    let mut report = analyze(&b, &t, &f, options)?;
    report.summary.parse_ms = parse_ms;
    Ok(report)
}
