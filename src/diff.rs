//! The three-snapshot diff: objects absent from the baseline, present in the target and
//! still alive in the final snapshot, grouped by what a person calls them.

use crate::allocations::AllocationTrace;
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
    /// Counts only: no dominator tree, so retained sizes are 0. The hunt's second round needs
    /// only how many objects of each class it added.
    pub counts_only: bool,
}

/// For each group, how many of its members are alive in `later` (by id: exact, whatever
/// else changed in between).
pub fn still_alive(groups: &[LeakGroup], later: &IdSnapshot) -> Vec<u64> {
    groups.iter().map(|g| g.member_ids.iter().filter(|&&id| later.contains(id)).count() as u64).collect()
}

/// Nodes of `final_graph` whose id is new since the baseline and already existed in the target.
/// V8 keeps a JS object's id across snapshots of one isolate, so this is exact, not a
/// heuristic. Only JS heap objects (odd ids) take part: the embedder's native nodes (even ids,
/// Node's `Node / …`) are numbered by native address and renumbered between snapshots, so an
/// Environment's permanent fields would look new (seen in `v8.writeHeapSnapshot` files).
///
/// The ids new in the target are found first, by one merge of the two sorted id sets: they
/// are few next to the heap, so the final graph's millions of ids are then looked up in a
/// small array that stays in cache (two binary searches per node in the full sets took
/// 0.2 s of a 1.6 s analysis of 3 × 521 MB).
pub fn surviving_nodes(final_graph: &HeapGraph, baseline: &IdSnapshot, target: &IdSnapshot) -> Vec<NodeIndex> {
    let new = new_ids(&baseline.ids, &target.ids);
    let (Some(&lowest), Some(&highest)) = (new.first(), new.last()) else { return Vec::new() };
    (0..final_graph.node_count() as NodeIndex)
        .filter(|&n| {
            let id = final_graph.ids[n as usize];
            id >= lowest && id <= highest && new.binary_search(&id).is_ok()
        })
        .collect()
}

/// Odd (JS heap) ids of `target` that `baseline` lacks; both sorted, and so is the result.
fn new_ids(baseline: &[u32], target: &[u32]) -> Vec<u32> {
    let mut new = Vec::new();
    let mut b = 0;
    for &id in target {
        while b < baseline.len() && baseline[b] < id {
            b += 1;
        }
        if id % 2 == 1 && baseline.get(b) != Some(&id) {
            new.push(id);
        }
    }
    new
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
    held_by_other_leaks: u64,
    samples: Vec<NodeIndex>,
    members: Vec<u32>,
    /// How many members each allocation trace node allocated (empty without tracking).
    sites: HashMap<u32, u64>,
}

/// Allocation stacks kept per group.
const TOP_STACKS: usize = 3;

/// How many members of a group are considered for its representative (shortest) path.
const PATH_CANDIDATES: usize = 32;

pub fn group(graph: &HeapGraph, doms: Option<&Dominators>, tree: &RetainerTree, surviving: &[NodeIndex], options: &DiffOptions) -> Grouped {
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
    if let Some(doms) = doms {
        for &v in doms.order.iter().skip(1) {
            let d = doms.idom[v as usize] as usize;
            covered[v as usize] = covered[d] || is_reported[d];
        }
    }
    let held = tree.held_through(&is_reported, &reported);
    drop(is_reported);
    let trace = AllocationTrace::of(graph);

    // Members held through another leak are grouped apart from their class's other members:
    // they are consequences, and mixing them would let one population's growth judge the other.
    let mut index: HashMap<(ClassKey, bool), usize> = HashMap::new();
    let mut accs: Vec<Acc> = Vec::new();
    for ((node, key), held) in reported.iter().copied().zip(keys).zip(held) {
        let slot = match index.get(&(key.clone(), held)) {
            Some(&i) => i,
            None => {
                index.insert((key.clone(), held), accs.len());
                accs.push(Acc {
                    internal: classes::is_internal(graph, node) || !tree.is_held_by_program(node),
                    key,
                    count: 0,
                    self_size: 0,
                    retained: 0,
                    held_by_other_leaks: 0,
                    samples: Vec::new(),
                    members: Vec::new(),
                    sites: HashMap::new(),
                });
                accs.len() - 1
            }
        };
        let acc = &mut accs[slot];
        acc.count += 1;
        acc.self_size += graph.self_size(node);
        acc.held_by_other_leaks += held as u64;
        acc.members.push(graph.ids[node as usize]);
        if !covered[node as usize] {
            acc.retained += doms.map_or(0, |d| d.retained[node as usize]);
        }
        if acc.samples.len() < PATH_CANDIDATES {
            acc.samples.push(node);
        }
        if let Some(site) = trace.as_ref().and_then(|t| t.site_of(node)) {
            *acc.sites.entry(site).or_insert(0) += 1;
        }
    }

    let max_samples = if options.max_samples == 0 { 5 } else { options.max_samples };
    let mut groups: Vec<LeakGroup> = accs
        .into_iter()
        .map(|acc| {
            let best =
                acc.samples.iter().copied().min_by_key(|&v| tree.depth(v).unwrap_or(usize::MAX)).expect("a group has at least one member");
            let location = match acc.key.location {
                Some((script_id, line, column)) => Some(SourceLocation {
                    script_id,
                    script_name: classes::closure_script_name(graph, classes::defining_closure(graph, best)),
                    line: line + 1,
                    column: column + 1,
                }),
                None => classes::constructor_of(graph, best).and_then(|ctor| classes::closure_location(graph, ctor)),
            };
            let allocation_stacks = trace.as_ref().map(|t| t.top_stacks(&acc.sites, TOP_STACKS)).unwrap_or_default();
            LeakGroup {
                name: acc.key.name,
                kind: acc.key.kind.to_string(),
                count: acc.count,
                count_per_iteration: options.iterations.filter(|&i| i > 0).map(|i| acc.count as f64 / i as f64),
                self_size: acc.self_size,
                retained_size: acc.retained,
                retainer_path: tree.path(graph, best),
                held_by_other_leaks: acc.held_by_other_leaks,
                sample_ids: acc.samples.iter().take(max_samples).map(|&v| graph.ids[v as usize]).collect(),
                member_ids: acc.members,
                location,
                allocation_stacks,
                traced_count: acc.sites.values().sum(),
                internal: acc.internal,
            }
        })
        .collect();
    groups.sort_by(|a, b| b.retained_size.cmp(&a.retained_size).then(b.count.cmp(&a.count)).then(a.name.cmp(&b.name)));
    Grouped { groups, internal_count, ignored_count }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::AnalyzedSnapshot;
    use crate::test_support::{edge, graph_of, node};

    fn ids(list: &[u32]) -> IdSnapshot {
        IdSnapshot { source: "t".into(), ids: list.to_vec(), node_count: list.len() as u64, edge_count: 0, total_size: 0, bytes: 0 }
    }

    /// root -> global -> cache (Map) -> 2 old entries and 3 new Entry objects; each new Entry
    /// holds a Payload; a hidden object and a temporary (absent from the final) are new too.
    fn heap() -> AnalyzedSnapshot {
        let nodes = vec![
            node("synthetic", "", 1, 0),           // 0
            node("object", "global", 3, 10),       // 1
            node("object", "Map", 5, 20),          // 2
            node("object", "Entry", 7, 30),        // 3 old
            node("object", "Entry", 9, 30),        // 4 old
            node("object", "Entry", 11, 30),       // 5 new
            node("object", "Entry", 13, 30),       // 6 new
            node("object", "Entry", 15, 30),       // 7 new
            node("object", "Payload", 17, 100),    // 8 new, held by 5
            node("object", "Payload", 19, 100),    // 9 new, held by 6
            node("hidden", "system / Foo", 21, 8), // 10 new internal
            node("object", "Late", 23, 5),         // 11 created after the target
        ];
        let edges = vec![
            edge(0, "shortcut", "global", 1),
            edge(1, "property", "cache", 2),
            edge(2, "element", "0", 3),
            edge(2, "element", "1", 4),
            edge(2, "element", "2", 5),
            edge(2, "element", "3", 6),
            edge(2, "element", "4", 7),
            edge(5, "property", "payload", 8),
            edge(6, "property", "payload", 9),
            edge(7, "weak", "w", 9),
            edge(1, "internal", "x", 10),
            edge(1, "property", "late", 11),
        ];
        AnalyzedSnapshot::new(graph_of(&nodes, &edges))
    }

    #[test]
    fn groups_what_survived_with_sizes_paths_and_causes() {
        let s = heap();
        let baseline = ids(&[1, 3, 5, 7, 9]);
        let target = ids(&[1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 25]);
        let surviving = surviving_nodes(&s.graph, &baseline, &target);
        assert_eq!(surviving, vec![5, 6, 7, 8, 9, 10]);
        let options = DiffOptions { iterations: Some(3), ..DiffOptions::default() };
        let grouped = group(&s.graph, Some(s.dominators()), s.retainers(), &surviving, &options);
        assert_eq!(grouped.internal_count, 1);
        let names: Vec<(&str, u64)> = grouped.groups.iter().map(|g| (g.name.as_str(), g.count)).collect();
        assert_eq!(names, vec![("Entry", 3), ("Payload", 2)]);
        let entry = &grouped.groups[0];
        assert_eq!(entry.self_size, 90);
        // Payloads are dominated by their Entry: counted in Entry's retained size only.
        assert_eq!(entry.retained_size, 290);
        assert_eq!(grouped.groups[1].retained_size, 0);
        assert_eq!(entry.count_per_iteration, Some(1.0));
        assert_eq!(entry.held_by_other_leaks, 0);
        assert_eq!(grouped.groups[1].held_by_other_leaks, 2);
        let path: Vec<&str> =
            entry.retainer_path.iter().map(|p| if p.edge.is_empty() { p.name.as_str() } else { p.edge.as_str() }).collect();
        assert_eq!(path, vec!["global", "cache", "[2]",]);
        let with_internals = DiffOptions { include_internals: true, ..DiffOptions::default() };
        let all = group(&s.graph, Some(s.dominators()), s.retainers(), &surviving, &with_internals);
        assert!(all.groups.iter().any(|g| g.internal && g.name == "system / Foo"));
        let ignoring = DiffOptions { ignore: vec!["Pay".into()], ..DiffOptions::default() };
        assert_eq!(group(&s.graph, Some(s.dominators()), s.retainers(), &surviving, &ignoring).ignored_count, 2);
    }
}
