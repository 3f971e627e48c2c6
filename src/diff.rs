//! The three-snapshot diff: objects absent from the baseline, present in the target and
//! still alive in the final snapshot, grouped by what a person calls them.

use crate::classes::{self, ClassKey};
use crate::dominators::Dominators;
use crate::graph::{HeapGraph, NodeIndex};
use crate::report::{LeakGroup, SourceLocation};
use crate::retainers::RetainerTree;
use crate::snapshot::IdSnapshot;
use std::collections::HashMap;

#[derive(Debug, Clone, Default)]
pub struct DiffOptions {
    pub include_internals: bool,
    pub iterations: Option<u32>,
    /// Groups whose name contains any of these are left out.
    pub ignore: Vec<String>,
    /// Sample ids kept per group.
    pub max_samples: usize,
}

/// Nodes of `final_graph` whose id is new since the baseline and already existed in the target.
/// V8 keeps an object's id across snapshots of one isolate, so this is exact, not a heuristic.
pub fn surviving_nodes(final_graph: &HeapGraph, baseline: &IdSnapshot, target: &IdSnapshot) -> Vec<NodeIndex> {
    (0..final_graph.node_count() as NodeIndex)
        .filter(|&n| {
            let id = final_graph.ids[n as usize];
            target.contains(id) && !baseline.contains(id)
        })
        .collect()
}

pub struct Grouped {
    pub groups: Vec<LeakGroup>,
    pub internal_count: u64,
    pub ignored_count: u64,
}

struct Acc {
    key: ClassKey,
    internal: bool,
    count: u64,
    self_size: u64,
    retained: u64,
    samples: Vec<NodeIndex>,
}

/// How many members of a group are considered for its representative (shortest) path.
const PATH_CANDIDATES: usize = 32;

pub fn group(
    graph: &HeapGraph,
    doms: &Dominators,
    tree: &RetainerTree,
    surviving: &[NodeIndex],
    options: &DiffOptions,
) -> Grouped {
    let n = graph.node_count();
    let mut internal_count = 0;
    let mut ignored_count = 0;
    let mut reported: Vec<NodeIndex> = Vec::with_capacity(surviving.len());
    for &node in surviving {
        // V8's own objects, and objects only V8 holds (the string table, code, the stack of
        // whatever runs now), are not the program's leaks.
        if !options.include_internals && (classes::is_internal(graph, node) || !tree.is_held_by_program(node)) {
            internal_count += 1;
            continue;
        }
        reported.push(node);
    }
    let mut keys: Vec<ClassKey> = reported.iter().map(|&v| classes::class_key(graph, v)).collect();
    if !options.ignore.is_empty() {
        let before = reported.len();
        let mut kept_nodes = Vec::with_capacity(before);
        let mut kept_keys = Vec::with_capacity(before);
        for (node, key) in reported.into_iter().zip(keys) {
            if options.ignore.iter().any(|p| key.name.contains(p.as_str())) {
                continue;
            }
            kept_nodes.push(node);
            kept_keys.push(key);
        }
        ignored_count = (before - kept_nodes.len()) as u64;
        reported = kept_nodes;
        keys = kept_keys;
    }

    // A reported object dominated by another reported object is already in that one's
    // retained size; one forward pass in preorder marks them (a dominator comes first).
    let mut is_reported = vec![false; n];
    for &v in &reported {
        is_reported[v as usize] = true;
    }
    let mut covered = vec![false; n];
    for &v in doms.order.iter().skip(1) {
        let d = doms.idom[v as usize] as usize;
        covered[v as usize] = covered[d] || is_reported[d];
    }
    drop(is_reported);

    let mut index: HashMap<ClassKey, usize> = HashMap::new();
    let mut accs: Vec<Acc> = Vec::new();
    for (node, key) in reported.iter().copied().zip(keys) {
        let slot = match index.get(&key) {
            Some(&i) => i,
            None => {
                index.insert(key.clone(), accs.len());
                accs.push(Acc {
                    internal: classes::is_internal(graph, node) || !tree.is_held_by_program(node),
                    key,
                    count: 0,
                    self_size: 0,
                    retained: 0,
                    samples: Vec::new(),
                });
                accs.len() - 1
            }
        };
        let acc = &mut accs[slot];
        acc.count += 1;
        acc.self_size += graph.self_sizes[node as usize];
        if !covered[node as usize] {
            acc.retained += doms.retained[node as usize];
        }
        if acc.samples.len() < PATH_CANDIDATES {
            acc.samples.push(node);
        }
    }

    let max_samples = if options.max_samples == 0 { 5 } else { options.max_samples };
    let mut groups: Vec<LeakGroup> = accs
        .into_iter()
        .map(|acc| {
            let best = acc
                .samples
                .iter()
                .copied()
                .min_by_key(|&v| tree.depth(v).unwrap_or(usize::MAX))
                .expect("a group has at least one member");
            let location = acc.key.location.map(|(script_id, line, column)| SourceLocation {
                script_id,
                line: line + 1,
                column: column + 1,
            });
            LeakGroup {
                name: acc.key.name,
                kind: acc.key.kind.to_string(),
                count: acc.count,
                count_per_iteration: options.iterations.filter(|&i| i > 0).map(|i| acc.count as f64 / i as f64),
                self_size: acc.self_size,
                retained_size: acc.retained,
                retainer_path: tree.path(graph, best),
                sample_ids: acc.samples.iter().take(max_samples).map(|&v| graph.ids[v as usize]).collect(),
                location,
                internal: acc.internal,
            }
        })
        .collect();
    groups.sort_by(|a, b| b.retained_size.cmp(&a.retained_size).then(b.count.cmp(&a.count)).then(a.name.cmp(&b.name)));
    Grouped { groups, internal_count, ignored_count }
}
