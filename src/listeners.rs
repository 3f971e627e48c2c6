//! Listener growth: how many listeners each EventEmitter holds per event, compared between two
//! full snapshots. A leak of listeners is usually also a leak of closures, which the diff
//! reports; this names the emitter and the event directly, and counts listeners even when
//! each one is small or shared.

use crate::graph::{HeapGraph, NodeIndex};
use crate::retainers::{PathStep, RetainerTree};
use crate::snapshot::{EdgeKind, NodeKind};
use serde::Serialize;
use std::collections::HashMap;

/// Listener counts by (emitter id, event name).
pub type ListenerCensus = HashMap<(u32, String), u32>;

/// An emitter's `_events` object has one property per event, holding either the one listener
/// function or an Array of them.
pub fn census(graph: &HeapGraph) -> ListenerCensus {
    let mut counts = HashMap::new();
    for_each_list(graph, |emitter, event, listeners| {
        counts.insert((graph.ids[emitter as usize], event.to_string()), listeners.len() as u32);
    });
    counts
}

/// How many emitter/event lists of one snapshot may have gained `min` listeners or more since
/// an object-id watermark (`newer_than`), when no census of that time exists: those holding
/// `min` or more functions made after it, or `min` or more times one function (the same
/// function added again and again leaves no new object, only its repetition shows). A list
/// that already repeated a function before the mark is counted too: a census of the next
/// snapshot, against this one, tells whether it grows.
pub fn lists_that_may_have_grown(graph: &HeapGraph, newer_than: u32, min: u32) -> usize {
    let min = min.max(1) as usize;
    let mut found = 0;
    for_each_list(graph, |_, _, listeners| {
        let newer = listeners.iter().filter(|&&f| graph.ids[f as usize] > newer_than).count();
        let mut same: Vec<NodeIndex> = listeners.to_vec();
        same.sort_unstable();
        let repeated = same.chunk_by(|a, b| a == b).map(|run| run.len()).max().unwrap_or(0);
        if newer >= min || repeated >= min {
            found += 1;
        }
    });
    found
}

/// Calls `visit(emitter, event, listener functions)` for each event of each emitter.
fn for_each_list(graph: &HeapGraph, mut visit: impl FnMut(NodeIndex, &str, &[NodeIndex])) {
    let mut listeners = Vec::new();
    for emitter in 0..graph.node_count() as NodeIndex {
        if graph.kind(emitter) != NodeKind::Object {
            continue;
        }
        let Some(events) = graph.edge_target(emitter, "_events") else { continue };
        for e in graph.edges(events) {
            if graph.edge_kind(e) != EdgeKind::Property {
                continue;
            }
            let event = graph.edge_name(e);
            if event == "__proto__" {
                continue;
            }
            let value = graph.edge_to[e];
            listeners.clear();
            match graph.kind(value) {
                NodeKind::Closure => listeners.push(value),
                NodeKind::Object if graph.name(value) == "Array" => listeners.extend(
                    graph
                        .edges(value)
                        .filter(|&le| graph.edge_kind(le) == EdgeKind::Element && graph.kind(graph.edge_to[le]) == NodeKind::Closure)
                        .map(|le| graph.edge_to[le]),
                ),
                _ => continue,
            }
            visit(emitter, &event, &listeners);
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListenerGrowth {
    /// The emitter's class ("EventEmitter", "Server", "Socket", …).
    pub emitter: String,
    pub emitter_id: u32,
    pub event: String,
    pub before: u32,
    pub after: u32,
    /// How the program reaches the emitter, root first.
    pub retainer_path: Vec<PathStep>,
}

/// Emitters whose listener count for one event grew by at least `min_growth` from the
/// census `before` to the census `after` of the full graph `graph` (a later snapshot of the
/// same process), most growth first, each with its path in `retainers`.
pub fn growth(
    before: &ListenerCensus,
    graph: &HeapGraph,
    after: &ListenerCensus,
    retainers: &RetainerTree,
    min_growth: u32,
) -> Vec<ListenerGrowth> {
    let mut grown: Vec<ListenerGrowth> = after
        .iter()
        .filter_map(|(key, &after)| {
            let was = before.get(key).copied().unwrap_or(0);
            (after >= was.saturating_add(min_growth)).then_some((key.0, key.1.clone(), was, after))
        })
        .filter_map(|(id, event, was, after)| {
            let node = graph.find_id(id)?;
            Some(ListenerGrowth {
                emitter: crate::classes::display_name(graph, node),
                emitter_id: id,
                event: crate::classes::truncate_for_display(&event, 80),
                before: was,
                after,
                retainer_path: retainers.path(graph, node),
            })
        })
        .collect();
    grown.sort_by(|a, b| (b.after - b.before).cmp(&(a.after - a.before)).then(a.emitter_id.cmp(&b.emitter_id)));
    grown
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{edge, graph_of, node};

    fn emitter_with(listeners: usize, emitter_id: u32) -> HeapGraph {
        let mut nodes = vec![
            node("synthetic", "", 1, 0),
            node("object", "EventEmitter", emitter_id, 10),
            node("object", "Object", 5, 10),
            node("object", "Array", 7, 10),
        ];
        let mut edges = vec![edge(0, "shortcut", "bus", 1), edge(1, "property", "_events", 2), edge(2, "property", "order", 3)];
        for k in 0..listeners {
            nodes.push(node("closure", "onOrder", 9 + 2 * k as u32, 32));
            edges.push(edge(3, "element", &k.to_string(), 4 + k));
        }
        graph_of(&nodes, &edges)
    }

    #[test]
    fn counts_listeners_per_event_and_reports_growth() {
        let (a, b) = (emitter_with(2, 3), emitter_with(12, 3));
        let (before, after) = (census(&a), census(&b));
        assert_eq!(after.get(&(3, "order".to_string())), Some(&12));
        let retainers = RetainerTree::compute(&b);
        let grown = growth(&before, &b, &after, &retainers, 5);
        assert_eq!(grown.len(), 1);
        assert_eq!((grown[0].emitter.as_str(), grown[0].event.as_str(), grown[0].before, grown[0].after), ("EventEmitter", "order", 2, 12));
        assert!(growth(&before, &b, &after, &retainers, 11).is_empty());
    }

    #[test]
    fn without_a_census_a_list_may_have_grown_when_its_functions_are_new_or_one_repeats() {
        // Twelve new closures (ids 9, 11, … after the mark 8): may have grown by 5, not by 13.
        let g = emitter_with(12, 3);
        assert_eq!(lists_that_may_have_grown(&g, 8, 5), 1);
        assert_eq!(lists_that_may_have_grown(&g, 8, 13), 0);
        // All older than the mark, and all different: nothing says it grew.
        assert_eq!(lists_that_may_have_grown(&g, 1000, 5), 0);
        // One old function six times: the repetition says it may have.
        let mut nodes = vec![
            node("synthetic", "", 1, 0),
            node("object", "EventEmitter", 3, 10),
            node("object", "Object", 5, 10),
            node("object", "Array", 7, 10),
            node("closure", "onExit", 9, 32),
        ];
        nodes.push(node("closure", "other", 11, 32));
        let mut edges = vec![edge(0, "shortcut", "bus", 1), edge(1, "property", "_events", 2), edge(2, "property", "exit", 3)];
        for k in 0..6 {
            edges.push(edge(3, "element", &k.to_string(), 4));
        }
        edges.push(edge(3, "element", "6", 5));
        let repeated = graph_of(&nodes, &edges);
        assert_eq!(lists_that_may_have_grown(&repeated, 1000, 6), 1);
        assert_eq!(lists_that_may_have_grown(&repeated, 1000, 7), 0);
        assert_eq!(census(&repeated).get(&(3, "exit".to_string())), Some(&7));
    }
}
