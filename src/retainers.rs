//! Why an object is alive: the shortest path from the GC roots to it, over edges a person
//! would call "holding" it. One breadth-first search serves every node of the heap.

use crate::graph::{HeapGraph, NodeIndex, ROOT};
use crate::snapshot::{EdgeKind, NodeKind};
use serde::Serialize;

const NONE: u32 = u32::MAX;
/// Longer paths are cut in the middle; the ends are what explain a leak.
pub const MAX_PATH_STEPS: usize = 24;

/// One step of a retainer path: the node, and the edge by which the previous step holds it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PathStep {
    /// The edge from the previous step ("" for the first step).
    pub edge: String,
    /// `property`, `element`, `context`, `internal`, ...
    pub edge_type: String,
    pub name: String,
    pub node_type: String,
    pub id: u32,
    /// Set on a marker step standing for steps left out of a long path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elided: Option<u32>,
}

pub struct RetainerTree {
    /// The edge by which the search first reached each node, and from where.
    parent_node: Vec<NodeIndex>,
    parent_edge: Vec<u32>,
}

/// Nodes through which a path would explain nothing: V8's own bookkeeping, which can reach
/// almost anything (compiled code, maps, feedback).
fn is_noise_node(graph: &HeapGraph, node: NodeIndex) -> bool {
    match graph.kind(node) {
        NodeKind::Code | NodeKind::ObjectShape => true,
        NodeKind::Hidden | NodeKind::Object | NodeKind::Array => {
            let name = graph.name(node);
            name == "system / NativeContext"
                || name.starts_with("system / FeedbackCell")
                || name.starts_with("system / FeedbackVector")
                || name.starts_with("system / DescriptorArray")
                || name == "(map descriptors)"
        }
        _ => false,
    }
}

fn is_path_edge(graph: &HeapGraph, from: NodeIndex, edge: usize) -> bool {
    match graph.edge_kind(edge) {
        EdgeKind::Weak => return false,
        EdgeKind::Shortcut if from != ROOT => return false,
        EdgeKind::Internal | EdgeKind::Hidden => {
            if !graph.edge_kind(edge).name_is_index() {
                let name = graph.edge_name(edge);
                // A WeakMap value is kept by its key, not by the table: these edges are the
                // table's bookkeeping.
                if name.starts_with("part of key") || name == "feedback_cell" || name == "map" {
                    return false;
                }
            }
        }
        _ => {}
    }
    true
}

/// Synthetic subroots other than the user-facing ones are searched last, so that a path goes
/// through the global object or a module rather than through "(Internalized strings)".
fn is_postponed(graph: &HeapGraph, node: NodeIndex) -> bool {
    graph.kind(node) == NodeKind::Synthetic && {
        let name = graph.name(node);
        !(name == "(GC roots)" || name.starts_with("(Global handles") || name.starts_with("(Strong roots"))
    }
}

impl RetainerTree {
    pub fn compute(graph: &HeapGraph) -> RetainerTree {
        let n = graph.node_count();
        let mut parent_node = vec![NONE; n];
        let mut parent_edge = vec![NONE; n];
        let mut queue: std::collections::VecDeque<NodeIndex> = std::collections::VecDeque::new();
        let mut later: Vec<NodeIndex> = Vec::new();
        parent_node[ROOT as usize] = ROOT;
        queue.push_back(ROOT);
        loop {
            while let Some(node) = queue.pop_front() {
                for e in graph.edges(node) {
                    let to = graph.edge_to[e];
                    if parent_node[to as usize] != NONE || !is_path_edge(graph, node, e) || is_noise_node(graph, to) {
                        continue;
                    }
                    parent_node[to as usize] = node;
                    parent_edge[to as usize] = e as u32;
                    if node == ROOT && is_postponed(graph, to) {
                        later.push(to);
                    } else {
                        queue.push_back(to);
                    }
                }
            }
            if later.is_empty() {
                break;
            }
            queue.extend(later.drain(..));
        }
        RetainerTree { parent_node, parent_edge }
    }

    pub fn is_reachable(&self, node: NodeIndex) -> bool {
        self.parent_node[node as usize] != NONE
    }

    /// Number of edges from the root, or None when no path exists.
    pub fn depth(&self, node: NodeIndex) -> Option<usize> {
        if !self.is_reachable(node) {
            return None;
        }
        let mut depth = 0;
        let mut x = node;
        while x != ROOT {
            x = self.parent_node[x as usize];
            depth += 1;
        }
        Some(depth)
    }

    /// The path root first, without the synthetic root itself; empty when unreachable.
    pub fn path(&self, graph: &HeapGraph, node: NodeIndex) -> Vec<PathStep> {
        if !self.is_reachable(node) {
            return Vec::new();
        }
        let mut chain = Vec::new();
        let mut x = node;
        while x != ROOT {
            chain.push(x);
            x = self.parent_node[x as usize];
        }
        chain.reverse();
        let step = |x: NodeIndex| {
            let e = self.parent_edge[x as usize] as usize;
            let from = self.parent_node[x as usize];
            PathStep {
                edge: if from == ROOT { String::new() } else { graph.edge_name(e).into_owned() },
                edge_type: graph.layout.edge_type_names[graph.edge_types[e] as usize].clone(),
                name: crate::classes::display_name(graph, x),
                node_type: graph.layout.node_type_names[graph.types[x as usize] as usize].clone(),
                id: graph.ids[x as usize],
                elided: None,
            }
        };
        if chain.len() <= MAX_PATH_STEPS {
            return chain.into_iter().map(step).collect();
        }
        let head = 4;
        let tail = MAX_PATH_STEPS - head - 1;
        let left_out = chain.len() - head - tail;
        let mut steps: Vec<PathStep> = chain[..head].iter().map(|&x| step(x)).collect();
        steps.push(PathStep {
            edge: String::new(),
            edge_type: String::new(),
            name: format!("... {left_out} more steps ..."),
            node_type: String::new(),
            id: 0,
            elided: Some(left_out as u32),
        });
        steps.extend(chain[chain.len() - tail..].iter().map(|&x| step(x)));
        steps
    }
}
