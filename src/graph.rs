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
    pub self_sizes: Vec<u64>,
    pub trace_node_ids: Vec<u32>,
    /// `first_edge[n]..first_edge[n + 1]` are node n's outgoing edges.
    pub first_edge: Vec<u32>,
    pub edge_types: Vec<u8>,
    pub edge_names: Vec<u32>,
    pub edge_to: Vec<NodeIndex>,
    pub strings: StringTable,
    /// Sorted by node.
    pub locations: Vec<Location>,
    pub trace_function_infos: Vec<u64>,
    pub trace_tree: Vec<TraceNode>,
    pub bytes: u64,
}

impl HeapGraph {
    /// Checks every cross-reference once, so the analyses can index without checks.
    pub fn from_parsed(parsed: ParsedSnapshot) -> Result<HeapGraph> {
        let ParsedSnapshot { source, layout, nodes, edges, strings, mut locations, trace_function_infos, trace_tree, bytes, .. } =
            parsed;
        let n = nodes.ids.len();
        if n == 0 {
            return Err(LeakhuntError::invalid(&source, "the snapshot has no nodes (not even the root)"));
        }
        if n >= u32::MAX as usize || edges.to.len() >= u32::MAX as usize {
            return Err(LeakhuntError::invalid(&source, "more than 2^32 nodes or edges"));
        }
        let mut first_edge = Vec::with_capacity(n + 1);
        let mut total: u64 = 0;
        for &count in &nodes.edge_counts {
            first_edge.push(total.min(u32::MAX as u64) as u32);
            total += count as u64;
        }
        first_edge.push(total.min(u32::MAX as u64) as u32);
        if total != edges.to.len() as u64 {
            return Err(LeakhuntError::invalid(
                &source,
                format!("the nodes' edge_count fields add up to {total} but there are {} edges", edges.to.len()),
            ));
        }
        if let Some(e) = edges.to.iter().position(|&to| to as usize >= n) {
            return Err(LeakhuntError::invalid(
                &source,
                format!("edge {e} points to node {} but there are {n} nodes", edges.to[e]),
            ));
        }
        let string_count = strings.len() as u64;
        if let Some(i) = nodes.names.iter().position(|&s| s as u64 >= string_count) {
            return Err(LeakhuntError::invalid(
                &source,
                format!("node {i} names string {} but there are {string_count} strings", nodes.names[i]),
            ));
        }
        let named: Vec<bool> = layout.edge_kinds.iter().map(|k| !k.name_is_index()).collect();
        if let Some(e) = (0..edges.to.len())
            .find(|&e| named[edges.types[e] as usize] && edges.names[e] as u64 >= string_count)
        {
            return Err(LeakhuntError::invalid(
                &source,
                format!("edge {e} names string {} but there are {string_count} strings", edges.names[e]),
            ));
        }
        locations.retain(|l| (l.node as usize) < n);
        locations.sort_by_key(|l| l.node);
        Ok(HeapGraph {
            source,
            layout,
            types: nodes.types,
            names: nodes.names,
            ids: nodes.ids,
            self_sizes: nodes.self_sizes,
            trace_node_ids: nodes.trace_node_ids,
            first_edge,
            edge_types: edges.types,
            edge_names: edges.names,
            edge_to: edges.to,
            strings,
            locations,
            trace_function_infos,
            trace_tree,
            bytes,
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

    #[inline]
    pub fn edge_kind(&self, edge: usize) -> EdgeKind {
        self.layout.edge_kinds[self.edge_types[edge] as usize]
    }

    /// A property name, or `[index]` for element and hidden edges.
    pub fn edge_name(&self, edge: usize) -> Cow<'_, str> {
        if self.edge_kind(edge).name_is_index() {
            Cow::Owned(format!("[{}]", self.edge_names[edge]))
        } else {
            Cow::Borrowed(self.strings.get(self.edge_names[edge]))
        }
    }

    /// The target of `node`'s first edge with this property or internal name.
    pub fn edge_target(&self, node: NodeIndex, name: &str) -> Option<NodeIndex> {
        self.edges(node)
            .find(|&e| !self.edge_kind(e).name_is_index() && self.strings.get(self.edge_names[e]) == name)
            .map(|e| self.edge_to[e])
    }

    pub fn location(&self, node: NodeIndex) -> Option<Location> {
        self.locations
            .binary_search_by_key(&node, |l| l.node)
            .ok()
            .map(|i| self.locations[i])
    }

    /// Node index of an id (ids are unique within one snapshot).
    pub fn find_id(&self, id: u32) -> Option<NodeIndex> {
        self.ids.iter().position(|&x| x == id).map(|i| i as NodeIndex)
    }

    pub fn total_size(&self) -> u64 {
        self.self_sizes.iter().sum()
    }

    /// The reverse index over the edges that decide dominance (see `is_essential`), in CSR:
    /// `sources[first[n]..first[n + 1]]` are the nodes holding n.
    pub fn essential_retainers(&self) -> Retainers {
        let n = self.node_count();
        let mut first = vec![0u32; n + 1];
        for from in 0..n as NodeIndex {
            for e in self.edges(from) {
                if self.is_essential(from, e) {
                    first[self.edge_to[e] as usize + 1] += 1;
                }
            }
        }
        for i in 0..n {
            first[i + 1] += first[i];
        }
        let mut fill = first.clone();
        let mut sources = vec![0u32; first[n] as usize];
        for from in 0..n as NodeIndex {
            for e in self.edges(from) {
                if self.is_essential(from, e) {
                    let to = self.edge_to[e] as usize;
                    sources[fill[to] as usize] = from;
                    fill[to] += 1;
                }
            }
        }
        Retainers { first, sources }
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
            + self.self_sizes.capacity() * 8
            + self.first_edge.capacity() * 4
            + self.edge_types.capacity()
            + (self.edge_names.capacity() + self.edge_to.capacity()) * 4
            + self.strings.memory_bytes()
    }
}

pub struct Retainers {
    pub first: Vec<u32>,
    pub sources: Vec<NodeIndex>,
}

impl Retainers {
    #[inline]
    pub fn of(&self, node: NodeIndex) -> &[NodeIndex] {
        &self.sources[self.first[node as usize] as usize..self.first[node as usize + 1] as usize]
    }
}
