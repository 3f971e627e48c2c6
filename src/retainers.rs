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
    /// For a step into the value of a Map entry, that entry's key (a string cut short, or the
    /// key's class): the event name of an EventTarget's listener list, a cache's key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// For a step into a CommonJS `Module` object, its file (`module.filename`): a module's
    /// exports are named by the module they belong to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub module_file: Option<String>,
    /// A variable of the program's own code that holds this object too, where the path came
    /// to it through a library's closure that captured it as `this` (`io`, for the Server
    /// socket.io's engine reaches): the name its user knows it by.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variable: Option<String>,
}

impl PathStep {
    /// The step to `node` by edge `edge` of `from`, with nothing read beyond the edge and node.
    pub fn plain(graph: &HeapGraph, from: NodeIndex, edge: usize, node: NodeIndex) -> PathStep {
        PathStep {
            edge: if from == ROOT { String::new() } else { graph.edge_name(edge).into_owned() },
            edge_type: graph.layout.edge_type_names[graph.edge_type(edge) as usize].clone(),
            name: crate::classes::display_name(graph, node),
            node_type: graph.layout.node_type_names[graph.types[node as usize] as usize].clone(),
            id: graph.ids[node as usize],
            elided: None,
            key: None,
            module_file: None,
            variable: None,
        }
    }
}

/// A path's steps, root side first, cut in the middle when longer than MAX_PATH_STEPS: the
/// ends are what explain it, and a marker step says how many were left out.
pub fn cut_long(chain: &[NodeIndex], step: impl Fn(NodeIndex) -> PathStep) -> Vec<PathStep> {
    if chain.len() <= MAX_PATH_STEPS {
        return chain.iter().map(|&x| step(x)).collect();
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
        key: None,
        module_file: None,
        variable: None,
    });
    steps.extend(chain[chain.len() - tail..].iter().map(|&x| step(x)));
    steps
}

/// The file of a CommonJS module object: the string its `filename` property holds.
fn module_file(graph: &HeapGraph, x: NodeIndex) -> Option<String> {
    if graph.kind(x) != NodeKind::Object || graph.name(x) != "Module" {
        return None;
    }
    let file = graph.edge_target(x, "filename")?;
    graph.kind(file).is_string().then(|| graph.name(file).to_string())
}

pub struct RetainerTree {
    /// The edge by which the search first reached each node, and from where.
    parent_node: Vec<NodeIndex>,
    parent_edge: Vec<u32>,
    origin: Vec<Origin>,
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

/// The slot an edge of V8's storage names: an element index, or an internal edge named by
/// its index ("5").
pub fn slot_of(graph: &HeapGraph, edge: usize) -> Option<u32> {
    if graph.edge_kind(edge).name_is_index() {
        Some(graph.edge_name_or_index(edge))
    } else {
        graph.edge_name(edge).parse().ok()
    }
}

/// For a step into the `value` of a `{ key, value }` record (a list of pairs kept in order, as
/// a framework's registry of decorations is), the record's key when it is a string: what the
/// program named the value by.
fn record_key(graph: &HeapGraph, record: NodeIndex, edge: usize) -> Option<String> {
    if record == ROOT || graph.kind(record) != NodeKind::Object || !graph.edge_is_named(edge, "value") {
        return None;
    }
    let key = graph.edge_target(record, "key").or_else(|| graph.edge_target(record, "name"))?;
    graph.kind(key).is_string().then(|| crate::classes::quoted_key(graph, key))
}

/// Whether edge `edge` of a Map's hash table or a dictionary's storage holds a key: V8 lays
/// their entries out as key, value, then details or a chain link (a number, with no edge), so
/// a slot whose next slot holds an object too is a key. (A Set's entries have no value: a key
/// followed by its chain link, so they count as entries.)
pub fn is_key_slot(graph: &HeapGraph, storage: NodeIndex, edge: usize) -> bool {
    let Some(slot) = slot_of(graph, edge) else { return false };
    graph.edges(storage).any(|k| slot_of(graph, k) == Some(slot + 1))
}

/// How the search treats an edge.
#[derive(PartialEq, Eq)]
enum EdgeUse {
    Skip,
    Now,
    /// Searched only after every ordinary path: it explains less (see `classify_edge`).
    Later(Origin),
}

/// How a node was first reached; a node inherits the larger of its parent's and its edge's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    Ordinary = 0,
    /// Through what still is the program's doing but explains less: a WeakMap entry whose
    /// key is alive.
    Deferred = 1,
    /// Only through what running code holds right now (stacks, handles, strong roots): in a
    /// hunt, that is the hunt's own frames while it takes a snapshot.
    Running = 2,
    /// Only through a root where V8 itself holds things (`is_v8_held_root`).
    V8Root = 3,
}

fn classify_edge(graph: &HeapGraph, from: NodeIndex, edge: usize) -> EdgeUse {
    let to = graph.edge_to[edge];
    match graph.edge_kind(edge) {
        EdgeKind::Weak => return EdgeUse::Skip,
        EdgeKind::Shortcut if from != ROOT => return EdgeUse::Skip,
        EdgeKind::Internal | EdgeKind::Hidden if !graph.edge_kind(edge).name_is_index() => {
            let name = graph.edge_name(edge);
            if name == "feedback_cell" || name == "map" {
                return EdgeUse::Skip;
            }
            // A WeakMap value is kept by its key: prefer a path through the key's holder, but
            // keep this one, or values of live keys would look unreachable.
            if name.starts_with("part of key") {
                return EdgeUse::Later(Origin::Deferred);
            }
        }
        _ => {}
    }
    if graph.kind(to) == NodeKind::Synthetic {
        let name = graph.name(to);
        if is_v8_held_root(name) {
            return EdgeUse::Later(Origin::V8Root);
        }
        // Running code (a pending async function, the hunt itself) holds things through these;
        // a path through a module or the global object says more, so they come last.
        if matches!(name, "(Stack roots)" | "(Strong roots)" | "(Handle scope)") {
            return EdgeUse::Later(Origin::Running);
        }
    }
    EdgeUse::Now
}

/// A registry V8 keeps among its strong roots on the program's behalf, for the life of the
/// isolate: the global symbol registry, which holds every symbol `Symbol.for()` was asked
/// for. What the program puts there is the program's, not running code's.
fn is_program_registry(graph: &HeapGraph, from: NodeIndex, edge: usize) -> bool {
    graph.kind(from) == NodeKind::Synthetic && graph.name(from) == "(Strong roots)" && graph.edge_is_named(edge, "public_symbol_table")
}

/// GC subroots through which V8 itself, not the program, holds objects (the string table,
/// stacks of whatever runs now, caches). Paths through them are searched last, and a survivor
/// reachable only through them is V8's, not a leak of the program.
pub fn is_v8_held_root(name: &str) -> bool {
    matches!(
        name,
        "(Internalized strings)"
            | "(External strings)"
            | "(Eternal handles)"
            | "(Read-only roots)"
            | "(Smi roots)"
            | "(Bootstrapper)"
            | "(Relocatable)"
            | "(Debugger)"
            | "(Compilation cache)"
            | "(Builtins)"
            | "(Thread manager)"
            | "(Extensions)"
            | "(Code flusher)"
            | "(Startup object cache)"
            | "(Read-only object cache)"
            | "(Shareable object cache)"
            | "(Weak collections)"
            | "(Write barrier)"
            | "(Retain maps)"
            | "(Client heap)"
            | "(Unknown)"
    )
}

impl RetainerTree {
    pub fn compute(graph: &HeapGraph) -> RetainerTree {
        let n = graph.node_count();
        let mut parent_node = vec![NONE; n];
        let mut parent_edge = vec![NONE; n];
        let mut origin = vec![Origin::Ordinary; n];
        let mut queue: std::collections::VecDeque<NodeIndex> = std::collections::VecDeque::new();
        // Edges put off, as (from, edge); taken up in order once the ordinary search is done.
        let mut later: Vec<(NodeIndex, u32, Origin)> = Vec::new();
        let mut in_late_phase = false;
        parent_node[ROOT as usize] = ROOT;
        queue.push_back(ROOT);
        loop {
            while let Some(node) = queue.pop_front() {
                for e in graph.edges(node) {
                    let to = graph.edge_to[e];
                    if parent_node[to as usize] != NONE || is_noise_node(graph, to) {
                        continue;
                    }
                    let edge_origin = match classify_edge(graph, node, e) {
                        EdgeUse::Skip => continue,
                        EdgeUse::Later(o) if !in_late_phase => {
                            later.push((node, e as u32, o));
                            continue;
                        }
                        EdgeUse::Later(o) => o,
                        EdgeUse::Now => Origin::Ordinary,
                    };
                    parent_node[to as usize] = node;
                    parent_edge[to as usize] = e as u32;
                    origin[to as usize] =
                        if is_program_registry(graph, node, e) { Origin::Deferred } else { origin[node as usize].max(edge_origin) };
                    queue.push_back(to);
                }
            }
            if later.is_empty() {
                break;
            }
            // Every ordinary path is known; now the put-off edges, and all they lead to.
            in_late_phase = true;
            // The program's deferred holders before V8's own.
            later.sort_by_key(|&(_, _, o)| o);
            for (from, e, edge_origin) in later.drain(..) {
                let to = graph.edge_to[e as usize];
                if parent_node[to as usize] == NONE {
                    parent_node[to as usize] = from;
                    parent_edge[to as usize] = e;
                    origin[to as usize] = origin[from as usize].max(edge_origin);
                    queue.push_back(to);
                }
            }
        }
        RetainerTree { parent_node, parent_edge, origin }
    }

    /// Whether the program holds this node: reachable without going through a V8-held root
    /// or a WeakMap's bookkeeping, and not only through code and other V8 bookkeeping.
    pub fn is_held_by_program(&self, node: NodeIndex) -> bool {
        self.is_reachable(node) && self.origin[node as usize] != Origin::V8Root
    }

    /// Whether only running code holds this node (stacks, handles): reachable from no global,
    /// module or object of the program.
    pub fn is_held_only_by_running_code(&self, node: NodeIndex) -> bool {
        self.is_reachable(node) && self.origin[node as usize] == Origin::Running
    }

    pub fn is_reachable(&self, node: NodeIndex) -> bool {
        self.parent_node[node as usize] != NONE
    }

    /// For each of `nodes`, whether its path from the root passes through another of them.
    /// Memoized walk up the search tree: linear in the heap, whatever the depths.
    pub fn held_through(&self, is_member: &[bool], nodes: &[NodeIndex]) -> Vec<bool> {
        const UNKNOWN: u8 = 0;
        const NO: u8 = 1;
        const YES: u8 = 2;
        // state[x]: whether x's path above x (x excluded) meets a member.
        let mut state = vec![UNKNOWN; is_member.len()];
        state[ROOT as usize] = NO;
        let mut chain = Vec::new();
        nodes
            .iter()
            .map(|&v| {
                if !self.is_reachable(v) {
                    return false;
                }
                let mut x = v;
                while state[x as usize] == UNKNOWN {
                    chain.push(x);
                    x = self.parent_node[x as usize];
                }
                let mut above = state[x as usize] == YES || (x != ROOT && is_member[x as usize]);
                while let Some(y) = chain.pop() {
                    state[y as usize] = if above { YES } else { NO };
                    above = above || is_member[y as usize];
                }
                state[v as usize] == YES
            })
            .collect()
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

    /// The node by which the search first reached `node` (the root for a root's children).
    pub fn parent(&self, node: NodeIndex) -> Option<NodeIndex> {
        let p = self.parent_node[node as usize];
        (p != NONE && node != ROOT).then_some(p)
    }

    /// The edge by which the search first reached `node`.
    pub fn parent_edge(&self, node: NodeIndex) -> Option<usize> {
        self.parent(node).map(|_| self.parent_edge[node as usize] as usize)
    }

    /// The path root first, without the synthetic root itself; empty when unreachable.
    pub fn path(&self, graph: &HeapGraph, node: NodeIndex) -> Vec<PathStep> {
        self.path_below(graph, ROOT, node)
    }

    /// The steps from `ancestor` (excluded) down to `node`; empty when `ancestor` is not on
    /// `node`'s path.
    pub fn path_below(&self, graph: &HeapGraph, ancestor: NodeIndex, node: NodeIndex) -> Vec<PathStep> {
        if !self.is_reachable(node) {
            return Vec::new();
        }
        let mut chain = Vec::new();
        let mut x = node;
        while x != ancestor {
            if x == ROOT {
                return Vec::new();
            }
            chain.push(x);
            x = self.parent_node[x as usize];
        }
        chain.reverse();
        cut_long(&chain, |x: NodeIndex| {
            let e = self.parent_edge[x as usize] as usize;
            let from = self.parent_node[x as usize];
            PathStep {
                key: self.map_key(graph, from, e).or_else(|| record_key(graph, from, e)),
                module_file: module_file(graph, x),
                ..PathStep::plain(graph, from, e, x)
            }
        })
    }

    /// The key of the Map entry whose value edge `edge` of `table` is. V8 lays a Map's hash
    /// table (reached by the Map's `table` edge) out as entries of key, value and chain, each
    /// slot an indexed internal edge: the key of the value in slot i is in slot i - 1.
    fn map_key(&self, graph: &HeapGraph, table: NodeIndex, edge: usize) -> Option<String> {
        if table == ROOT || graph.kind(table) != NodeKind::Array {
            return None;
        }
        let above = self.parent_node[table as usize];
        if above == NONE || above == ROOT || !graph.edge_is_named(self.parent_edge[table as usize] as usize, "table") {
            return None;
        }
        let slot = slot_of(graph, edge)?.checked_sub(1)?;
        let key_edge = graph.edges(table).find(|&k| slot_of(graph, k) == Some(slot))?;
        let key = graph.edge_to[key_edge];
        Some(if graph.kind(key).is_string() { crate::classes::quoted_key(graph, key) } else { crate::classes::class_name(graph, key) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{edge, graph_of, node};

    #[test]
    fn the_value_of_a_key_value_record_is_named_by_its_key() {
        let graph = graph_of(
            &[
                node("synthetic", "", 1, 0),
                node("closure", "_Request", 3, 32),
                node("object", "Array", 5, 32),
                node("object", "Object", 7, 32),
                node("string", "seen", 9, 24),
                node("object", "Array", 11, 32),
            ],
            &[
                edge(0, "element", "1", 1),
                edge(1, "property", "props", 2),
                edge(2, "element", "0", 3),
                edge(3, "property", "key", 4),
                edge(3, "property", "value", 5),
            ],
        );
        let tree = RetainerTree::compute(&graph);
        let path = tree.path(&graph, 5);
        assert_eq!(path.last().map(|s| (s.edge.as_str(), s.key.as_deref())), Some(("value", Some("\"seen\""))));
    }

    /// root -> (GC roots) -> Window; Window.cache -> Map; a Thing reached through the Map, and
    /// also through a weak edge and through the string table (a V8-held root).
    fn heap() -> HeapGraph {
        graph_of(
            &[
                node("synthetic", "", 1, 0),
                node("synthetic", "(GC roots)", 3, 0),
                node("object", "Window", 5, 32),
                node("object", "Map", 7, 32),
                node("object", "Thing", 9, 16),
                node("synthetic", "(Internalized strings)", 11, 0),
                node("object", "Orphan", 13, 16),
                node("object", "Cached", 15, 16),
            ],
            &[
                edge(0, "element", "1", 1),
                edge(1, "element", "1", 5),
                edge(1, "element", "2", 2),
                edge(5, "element", "1", 4),
                edge(5, "element", "2", 7),
                edge(2, "weak", "shortcut_to_thing", 4),
                edge(2, "property", "cache", 3),
                edge(3, "element", "3", 4),
            ],
        )
    }

    #[test]
    fn the_path_is_the_shortest_ordinary_one_root_first() {
        let graph = heap();
        let tree = RetainerTree::compute(&graph);
        let path = tree.path(&graph, 4);
        let shape: Vec<(&str, &str)> = path.iter().map(|s| (s.edge.as_str(), s.name.as_str())).collect();
        // Not the weak edge, nor the string table though it is as short: through the Map.
        assert_eq!(shape, [("", "(GC roots)"), ("[2]", "Window"), ("cache", "Map"), ("[3]", "Thing")]);
        assert_eq!(tree.depth(4), Some(4));
        assert!(tree.is_held_by_program(4));
    }

    #[test]
    fn what_only_v8_or_nothing_holds_is_told_apart() {
        let graph = heap();
        let tree = RetainerTree::compute(&graph);
        assert!(tree.is_reachable(7) && !tree.is_held_by_program(7), "only the string table holds Cached");
        assert!(!tree.is_reachable(6));
        assert_eq!(tree.depth(6), None);
        assert!(tree.path(&graph, 6).is_empty());
    }

    #[test]
    fn held_through_says_which_members_hang_from_other_members() {
        let graph = heap();
        let tree = RetainerTree::compute(&graph);
        let mut member = vec![false; graph.node_count()];
        member[3] = true; // the Map
        member[4] = true; // the Thing in it
        assert_eq!(tree.held_through(&member, &[3, 4, 6]), [false, true, false]);
    }

    #[test]
    fn a_long_path_keeps_its_ends_and_counts_what_it_leaves_out() {
        let n = MAX_PATH_STEPS + 10;
        let mut nodes = vec![node("synthetic", "", 1, 0)];
        let mut edges = Vec::new();
        for k in 0..n {
            nodes.push(node("object", "Link", 3 + 2 * k as u32, 8));
            edges.push(edge(k, if k == 0 { "element" } else { "property" }, if k == 0 { "1" } else { "next" }, k + 1));
        }
        let graph = graph_of(&nodes, &edges);
        let tree = RetainerTree::compute(&graph);
        let path = tree.path(&graph, n as NodeIndex);
        assert_eq!(path.len(), MAX_PATH_STEPS);
        let marker = path.iter().find(|s| s.elided.is_some()).expect("a marker for the steps left out");
        assert_eq!(marker.elided, Some((n - MAX_PATH_STEPS + 1) as u32));
        assert_eq!(path.last().map(|s| s.id), Some(graph.ids[n]));
        assert_eq!(path[0].id, graph.ids[1]);
    }
}
