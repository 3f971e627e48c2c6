//! The whole heap as flat arrays: node columns, edges in CSR form (V8 already writes each
//! node's edges contiguously, in node order), and lookups by id. No object per node.

use crate::error::{LeakhuntError, Result};
use crate::snapshot::{EdgeKind, Layout, Location, NodeKind, ParsedSnapshot, StringTable, TraceNode};
use std::borrow::Cow;

pub type NodeIndex = u32;
pub type EdgeIndex = u32;

/// V8 puts the synthetic root first.
pub const ROOT: NodeIndex = 0;

pub struct HeapGraph {
    pub source: String,
    pub layout: Layout,
    pub types: Vec<u8>,
    pub names: Vec<u32>,
    pub ids: Vec<u32>,
    /// Self sizes that fit in 32 bits, which is all of them in practice (`u32::MAX` marks
    /// one that is in `large_self_sizes`); half the memory of a u64 column.
    pub self_sizes: Vec<u32>,
    /// (node, size) of the rare node of 4 GiB or more (an external buffer), sorted by node.
    pub large_self_sizes: Vec<(NodeIndex, u64)>,
    pub trace_node_ids: Vec<u32>,
    /// `first_edge[n]..first_edge[n + 1]` are node n's outgoing edges.
    pub first_edge: Vec<u32>,
    /// Per edge, its type index (top 3 bits) and its name or index (low 29 bits) in one
    /// word: a byte less per edge than two columns, tens of MB on a large heap. A name or
    /// index too large for 29 bits (a sparse array's element past 2^29) is `LONG_NAME` here
    /// and kept in `long_edge_names`.
    edge_words: Vec<u32>,
    /// (edge, name or index), sorted by edge.
    long_edge_names: Vec<(EdgeIndex, u32)>,
    pub edge_to: Vec<NodeIndex>,
    pub strings: StringTable,
    /// Sorted by node.
    pub locations: Vec<Location>,
    pub trace_function_infos: Vec<u64>,
    pub trace_tree: Vec<TraceNode>,
    pub bytes: u64,
    /// The nodes the embedder marks detached (Blink: DOM nodes out of every document), sorted.
    pub detached: Vec<NodeIndex>,
}

impl HeapGraph {
    /// Checks every cross-reference once, so the analyses can index without checks.
    pub fn from_parsed(parsed: ParsedSnapshot) -> Result<HeapGraph> {
        let ParsedSnapshot { source, layout, nodes, edges, strings, mut locations, trace_function_infos, trace_tree, bytes, .. } = parsed;
        // `detachedness`: 0 unknown, 1 attached, 2 detached (v8::EmbedderGraph::Node::Detachedness).
        let detached: Vec<NodeIndex> =
            nodes.detachedness.iter().enumerate().filter(|&(_, &d)| d == 2).map(|(i, _)| i as NodeIndex).collect();
        let n = nodes.ids.len();
        if n == 0 {
            return Err(LeakhuntError::invalid(&source, "the snapshot has no nodes (not even the root)"));
        }
        if n >= u32::MAX as usize || edges.to.len() >= u32::MAX as usize {
            return Err(LeakhuntError::invalid(&source, "more than 2^32 nodes or edges"));
        }
        // Prefix sums in place: the edge counts become the first-edge offsets without a
        // second n-sized array.
        let mut first_edge = nodes.edge_counts;
        let mut total: u64 = 0;
        for slot in first_edge.iter_mut() {
            let count = *slot as u64;
            *slot = total.min(u32::MAX as u64) as u32;
            total += count;
        }
        first_edge.push(total.min(u32::MAX as u64) as u32);
        if total != edges.to.len() as u64 {
            return Err(LeakhuntError::invalid(
                &source,
                format!("the nodes' edge_count fields add up to {total} but there are {} edges", edges.to.len()),
            ));
        }
        if let Some(e) = edges.to.iter().position(|&to| to as usize >= n) {
            return Err(LeakhuntError::invalid(&source, format!("edge {e} points to node {} but there are {n} nodes", edges.to[e])));
        }
        let string_count = strings.len() as u64;
        if let Some(i) = nodes.names.iter().position(|&s| s as u64 >= string_count) {
            return Err(LeakhuntError::invalid(
                &source,
                format!("node {i} names string {} but there are {string_count} strings", nodes.names[i]),
            ));
        }
        let named: Vec<bool> = layout.edge_kinds.iter().map(|k| !k.name_is_index()).collect();
        if let Some(e) = (0..edges.to.len()).find(|&e| named[edges.types[e] as usize] && edges.names[e] as u64 >= string_count) {
            return Err(LeakhuntError::invalid(
                &source,
                format!("edge {e} names string {} but there are {string_count} strings", edges.names[e]),
            ));
        }
        let (edge_words, long_edge_names) = pack_edge_words(edges.types, edges.names);
        locations.retain(|l| (l.node as usize) < n);
        locations.sort_by_key(|l| l.node);
        Ok(HeapGraph {
            source,
            layout,
            types: nodes.types,
            names: nodes.names,
            ids: nodes.ids,
            self_sizes: nodes.self_sizes,
            large_self_sizes: nodes.large_self_sizes,
            trace_node_ids: nodes.trace_node_ids,
            first_edge,
            edge_words,
            long_edge_names,
            edge_to: edges.to,
            strings,
            locations,
            trace_function_infos,
            trace_tree,
            bytes,
            detached,
        })
    }

    pub fn node_count(&self) -> usize {
        self.ids.len()
    }

    pub fn edge_count(&self) -> usize {
        self.edge_to.len()
    }

    #[inline]
    pub fn kind(&self, node: NodeIndex) -> NodeKind {
        self.layout.node_kinds[self.types[node as usize] as usize]
    }

    #[inline]
    pub fn name(&self, node: NodeIndex) -> &str {
        self.strings.get(self.names[node as usize])
    }

    #[inline]
    pub fn edges(&self, node: NodeIndex) -> std::ops::Range<usize> {
        self.first_edge[node as usize] as usize..self.first_edge[node as usize + 1] as usize
    }

    /// The edge's type, as an index into `layout.edge_type_names`.
    #[inline]
    pub fn edge_type(&self, edge: usize) -> u8 {
        (self.edge_words[edge] >> NAME_BITS) as u8
    }

    #[inline]
    pub fn edge_kind(&self, edge: usize) -> EdgeKind {
        self.layout.edge_kinds[self.edge_type(edge) as usize]
    }

    /// A string index (property, internal and other named edges) or an element index.
    #[inline]
    pub fn edge_name_or_index(&self, edge: usize) -> u32 {
        match self.edge_words[edge] & LONG_NAME {
            LONG_NAME => self
                .long_edge_names
                .binary_search_by_key(&(edge as EdgeIndex), |&(e, _)| e)
                .map_or(LONG_NAME, |i| self.long_edge_names[i].1),
            name => name,
        }
    }

    /// A property name, or `[index]` for element and hidden edges.
    pub fn edge_name(&self, edge: usize) -> Cow<'_, str> {
        if self.edge_kind(edge).name_is_index() {
            Cow::Owned(format!("[{}]", self.edge_name_or_index(edge)))
        } else {
            Cow::Borrowed(self.strings.get(self.edge_name_or_index(edge)))
        }
    }

    /// Whether the edge is named (not indexed) and its name is `name`.
    #[inline]
    pub fn edge_is_named(&self, edge: usize, name: &str) -> bool {
        !self.edge_kind(edge).name_is_index() && self.strings.get(self.edge_name_or_index(edge)) == name
    }

    /// The target of `node`'s first edge with this property or internal name.
    pub fn edge_target(&self, node: NodeIndex, name: &str) -> Option<NodeIndex> {
        self.edges(node).find(|&e| self.edge_is_named(e, name)).map(|e| self.edge_to[e])
    }

    #[inline]
    pub fn is_detached(&self, node: NodeIndex) -> bool {
        !self.detached.is_empty() && self.detached.binary_search(&node).is_ok()
    }

    pub fn location(&self, node: NodeIndex) -> Option<Location> {
        self.locations.binary_search_by_key(&node, |l| l.node).ok().map(|i| self.locations[i])
    }

    /// Node index of an id (ids are unique within one snapshot).
    pub fn find_id(&self, id: u32) -> Option<NodeIndex> {
        self.ids.iter().position(|&x| x == id).map(|i| i as NodeIndex)
    }

    pub fn total_size(&self) -> u64 {
        let small: u64 = self.self_sizes.iter().filter(|&&s| s != u32::MAX).map(|&s| s as u64).sum();
        small + self.large_self_sizes.iter().map(|&(_, s)| s).sum::<u64>()
    }

    #[inline]
    pub fn self_size(&self, node: NodeIndex) -> u64 {
        match self.self_sizes[node as usize] {
            u32::MAX => {
                self.large_self_sizes.binary_search_by_key(&node, |&(n, _)| n).map_or(u32::MAX as u64, |i| self.large_self_sizes[i].1)
            }
            size => size as u64,
        }
    }

    /// DevTools' rule: weak edges never keep anything alive, and shortcut edges only count
    /// from the root (elsewhere they duplicate a real path).
    #[inline]
    pub fn is_essential(&self, from: NodeIndex, edge: usize) -> bool {
        match self.edge_kind(edge) {
            EdgeKind::Weak => false,
            EdgeKind::Shortcut => from == ROOT,
            _ => true,
        }
    }

    /// Approximate bytes held by this graph, for reports and benchmarks.
    pub fn memory_bytes(&self) -> usize {
        self.types.capacity()
            + (self.names.capacity() + self.ids.capacity() + self.trace_node_ids.capacity()) * 4
            + self.self_sizes.capacity() * 4
            + self.first_edge.capacity() * 4
            + (self.edge_words.capacity() + self.edge_to.capacity()) * 4
            + self.long_edge_names.capacity() * 8
            + self.strings.memory_bytes()
    }
}

const NAME_BITS: u32 = 29;
const LONG_NAME: u32 = (1 << NAME_BITS) - 1;

/// Packs the two edge columns into one, in place of the names column (`Layout` allows at most
/// 8 edge types, so a type fits in the top 3 bits).
fn pack_edge_words(types: Vec<u8>, mut names: Vec<u32>) -> (Vec<u32>, Vec<(EdgeIndex, u32)>) {
    let mut long = Vec::new();
    for (e, (word, &t)) in names.iter_mut().zip(&types).enumerate() {
        let name = *word;
        if name >= LONG_NAME {
            long.push((e as EdgeIndex, name));
        }
        *word = ((t as u32) << NAME_BITS) | name.min(LONG_NAME);
    }
    (names, long)
}
