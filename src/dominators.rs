//! Immediate dominators and retained sizes for the whole heap: SNCA, iterative,
//! on flat u32 arrays (petgraph's `simple_fast` took 25 s and 2.9 GB on a 10M-node heap).

use crate::graph::{HeapGraph, NodeIndex, ROOT};

const NONE: u32 = u32::MAX;

pub struct Dominators {
    /// Immediate dominator of each node; the root's is itself.
    pub idom: Vec<NodeIndex>,
    /// Self size plus everything the node dominates.
    pub retained: Vec<u64>,
    /// All nodes in depth-first preorder from the root: a node's dominator always comes
    /// before it, so one forward pass can push facts down the dominator tree.
    pub order: Vec<NodeIndex>,
    /// A bit per node, set when two essential edges or more lead to it: a node without it
    /// has one holder at most, which the retainer tree already knows (`diff::direct_owners`
    /// then needs no pass over the heap's edges).
    several_retainers: Vec<u64>,
}

impl Dominators {
    /// Whether two essential edges or more lead to `node`.
    #[inline]
    pub fn has_several_retainers(&self, node: NodeIndex) -> bool {
        self.several_retainers[node as usize / 64] & (1 << (node % 64)) != 0
    }
}

/// Dominators over the essential edges (`HeapGraph::is_essential`). Nodes the root cannot
/// reach hang off the root, as in DevTools: each unreachable forest is searched as if the root
/// had an edge to its first node, so what it holds is attributed rather than dropped.
///
/// The algorithm is SNCA (semi-dominators as in Lengauer–Tarjan, then immediate dominators
/// as nearest common ancestors; Georgiadis, 2005): it needs no buckets and, because every
/// vertex processed so far is linked to its parent, the parent array doubles as the forest's
/// ancestor array. Six n-sized u32 arrays instead of nine: on a heap of millions of nodes
/// that is tens of MB less to allocate and fault in, which is most of what this pass costs.
pub fn compute(graph: &HeapGraph) -> Dominators {
    let DepthFirst { dfnum, vertex, parent, retainer_count } = number_depth_first(graph);
    let mut several_retainers = vec![0u64; retainer_count.len().div_ceil(64)];
    for (node, _) in retainer_count.iter().enumerate().filter(|(_, &count)| count > 1) {
        several_retainers[node / 64] |= 1 << (node % 64);
    }
    let preds = numbered_retainers(graph, &dfnum, retainer_count);
    // Not needed again: freeing it before the next arrays lowers the peak, which is here.
    drop(dfnum);
    let mut idom = parent.clone();
    let semi = semi_dominators(&idom, parent, preds);
    immediate_dominators(&mut idom, semi);
    let idom = by_node_index(&vertex, idom);
    let retained = retained_sizes(graph, &vertex, &idom);
    Dominators { idom, retained, order: vertex, several_retainers }
}

/// The depth-first search from the root, then from every node it did not reach.
struct DepthFirst {
    /// Each node's depth-first number.
    dfnum: Vec<u32>,
    /// The node of each number.
    vertex: Vec<NodeIndex>,
    /// The parent of each number, as a number.
    parent: Vec<u32>,
    /// Essential in-degrees, counted on the way: the search reads every edge once anyway, and
    /// a separate counting pass over all edges cost about a fifth of the computation.
    retainer_count: Vec<u32>,
}

fn number_depth_first(graph: &HeapGraph) -> DepthFirst {
    let n = graph.node_count();
    let mut dfnum = vec![NONE; n];
    let mut vertex: Vec<NodeIndex> = Vec::with_capacity(n);
    let mut parent: Vec<u32> = vec![NONE; n];
    let mut retainer_count = vec![0u32; n];
    let mut stack: Vec<(NodeIndex, u32)> = Vec::new();
    let mut visit = |start: NodeIndex, start_parent: u32, dfnum: &mut Vec<u32>, vertex: &mut Vec<NodeIndex>, parent: &mut Vec<u32>| {
        dfnum[start as usize] = vertex.len() as u32;
        parent[vertex.len()] = start_parent;
        vertex.push(start);
        stack.push((start, graph.first_edge[start as usize]));
        while let Some(top) = stack.last_mut() {
            let (node, next) = *top;
            let end = graph.first_edge[node as usize + 1];
            let mut e = next;
            let mut child = None;
            while e < end {
                let to = graph.edge_to[e as usize];
                let essential = graph.is_essential(node, e as usize);
                e += 1;
                if essential {
                    retainer_count[to as usize] += 1;
                    if dfnum[to as usize] == NONE {
                        child = Some(to);
                        break;
                    }
                }
            }
            top.1 = e;
            match child {
                Some(to) => {
                    let number = vertex.len() as u32;
                    dfnum[to as usize] = number;
                    parent[number as usize] = dfnum[node as usize];
                    vertex.push(to);
                    stack.push((to, graph.first_edge[to as usize]));
                }
                None => {
                    stack.pop();
                }
            }
        }
    };
    visit(ROOT, 0, &mut dfnum, &mut vertex, &mut parent);
    // An unreachable forest's first node gets the root (number 0) as its parent; that is the
    // virtual root edge, and it makes its semi-dominator 0 below.
    for start in 0..n as NodeIndex {
        if dfnum[start as usize] == NONE {
            visit(start, 0, &mut dfnum, &mut vertex, &mut parent);
        }
    }
    DepthFirst { dfnum, vertex, parent, retainer_count }
}

/// Semi-dominators by depth-first number, in reverse order with path compression over
/// `ancestor` (the parent array, which doubles as the compression forest; no buckets).
fn semi_dominators(parent: &[u32], mut ancestor: Vec<u32>, preds: Retainers) -> Vec<u32> {
    let n = parent.len();
    let mut semi: Vec<u32> = (0..n as u32).collect();
    let mut label: Vec<u32> = (0..n as u32).collect();
    let mut path: Vec<u32> = Vec::new();
    for w in (1..n as u32).rev() {
        // A vertex whose parent is the root has semi-dominator 0 whatever its retainers are.
        if parent[w as usize] == 0 {
            semi[w as usize] = 0;
            continue;
        }
        let mut s = semi[w as usize];
        for &v in preds.of(w) {
            // Vertices numbered above w are processed, hence linked to their parents; lower
            // ones are not, and stand for themselves.
            let u = if v <= w {
                v
            } else {
                let mut x = v;
                while ancestor[x as usize] > w {
                    path.push(x);
                    x = ancestor[x as usize];
                }
                // Path compression, folded top-down so each vertex sees its final ancestor.
                while let Some(y) = path.pop() {
                    let a = ancestor[y as usize];
                    if semi[label[a as usize] as usize] < semi[label[y as usize] as usize] {
                        label[y as usize] = label[a as usize];
                    }
                    ancestor[y as usize] = ancestor[a as usize];
                }
                label[v as usize]
            };
            s = s.min(semi[u as usize]);
        }
        semi[w as usize] = s;
    }
    semi
}

/// Turns `idom`, holding each number's parent, into its immediate dominator: the nearest
/// ancestor of the parent at or above the semi-dominator (SNCA); lower-numbered vertices are
/// final by the time they are asked.
fn immediate_dominators(idom: &mut [u32], semi: Vec<u32>) {
    for w in 1..idom.len() {
        let mut x = idom[w];
        while x > semi[w] {
            x = idom[x as usize];
        }
        idom[w] = x;
    }
    idom[0] = 0;
}

/// Dominators by depth-first number, back to node indices.
fn by_node_index(vertex: &[NodeIndex], idom: Vec<u32>) -> Vec<NodeIndex> {
    let mut idom_node = vec![0; vertex.len()];
    for w in 0..vertex.len() {
        idom_node[vertex[w] as usize] = vertex[idom[w] as usize];
    }
    idom_node
}

/// Each node's size plus everything it dominates: children are summed into their dominators
/// in reverse depth-first order, so every subtree is complete before it is added.
fn retained_sizes(graph: &HeapGraph, vertex: &[NodeIndex], idom: &[NodeIndex]) -> Vec<u64> {
    let mut retained: Vec<u64> = (0..graph.node_count() as NodeIndex).map(|v| graph.self_size(v)).collect();
    for &node in vertex.iter().skip(1).rev() {
        let d = idom[node as usize] as usize;
        retained[d] += retained[node as usize];
    }
    retained
}

/// Retainers in CSR: `sources[first[w]..first[w + 1]]` hold w.
struct Retainers {
    first: Vec<u32>,
    sources: Vec<u32>,
}

impl Retainers {
    #[inline]
    fn of(&self, w: u32) -> &[u32] {
        &self.sources[self.first[w as usize] as usize..self.first[w as usize + 1] as usize]
    }
}

/// The essential retainers of every vertex, in CSR and by depth-first number on both sides,
/// so the semi-dominator loop reads no node-indexed array.
fn numbered_retainers(graph: &HeapGraph, dfnum: &[u32], count_by_node: Vec<u32>) -> Retainers {
    let n = graph.node_count();
    let mut first = vec![0u32; n + 1];
    for (node, &count) in count_by_node.iter().enumerate() {
        first[dfnum[node] as usize] = count;
    }
    drop(count_by_node);
    // first[w] becomes the end of w's range; filling backwards then leaves it at the start.
    for i in 1..=n {
        first[i] += first[i - 1];
    }
    let mut sources = vec![0u32; first[n] as usize];
    for from in (0..n as NodeIndex).rev() {
        let v = dfnum[from as usize];
        for e in graph.edges(from).rev() {
            if graph.is_essential(from, e) {
                let w = dfnum[graph.edge_to[e] as usize] as usize;
                first[w] -= 1;
                sources[first[w] as usize] = v;
            }
        }
    }
    Retainers { first, sources }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::graph_from_edges;
    use petgraph::algo::dominators::simple_fast;
    use petgraph::graph::{DiGraph, NodeIndex as PgIndex};

    /// The reference: petgraph's Cooper–Harvey–Kennedy on the same graph, with the same
    /// virtual root edges to unreachable forests added explicitly.
    fn reference(n: usize, edges: &[(u32, u32)]) -> Vec<u32> {
        let mut all: Vec<(u32, u32)> = edges.to_vec();
        loop {
            let mut seen = vec![false; n];
            let mut stack = vec![0u32];
            seen[0] = true;
            while let Some(x) = stack.pop() {
                for &(a, b) in &all {
                    if a == x && !seen[b as usize] {
                        seen[b as usize] = true;
                        stack.push(b);
                    }
                }
            }
            match seen.iter().position(|s| !s) {
                Some(u) => all.push((0, u as u32)),
                None => break,
            }
        }
        let mut g = DiGraph::<(), ()>::new();
        let nodes: Vec<PgIndex> = (0..n).map(|_| g.add_node(())).collect();
        for &(a, b) in &all {
            g.add_edge(nodes[a as usize], nodes[b as usize], ());
        }
        let doms = simple_fast(&g, nodes[0]);
        (0..n).map(|i| doms.immediate_dominator(nodes[i]).map_or(0, |d| d.index() as u32)).collect()
    }

    /// A small deterministic PRNG so the test needs no extra crate.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, bound: u32) -> u32 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((self.0 >> 33) % bound as u64) as u32
        }
    }

    #[test]
    fn matches_reference_on_random_graphs() {
        let mut rng = Lcg(7);
        for case in 0..400 {
            let n = 2 + rng.next(30) as usize;
            let m = rng.next((n * 3) as u32) as usize;
            let mut edges: Vec<(u32, u32)> = (0..m).map(|_| (rng.next(n as u32), rng.next(n as u32))).collect();
            // V8 writes each node's edges together, in node order.
            edges.sort_by_key(|e| e.0);
            let graph = graph_from_edges(n, &edges, &vec![10; n]);
            let doms = compute(&graph);
            // The test graph keeps node i at index i, so compare directly.
            assert_eq!(doms.idom, reference(n, &edges), "case {case}: {edges:?}");
        }
    }

    #[test]
    fn retained_size_sums_dominated_nodes() {
        // root -> a -> {b, c}; b -> c. a dominates b and c.
        let graph = graph_from_edges(4, &[(0, 1), (1, 2), (1, 3), (2, 3)], &[0, 1, 10, 100]);
        let doms = compute(&graph);
        assert_eq!(doms.idom, vec![0, 0, 1, 1]);
        assert_eq!(doms.retained, vec![111, 111, 10, 100]);
    }

    #[test]
    fn unreachable_nodes_hang_off_the_root() {
        // 2 and 3 are unreachable from the root; 3 is held only by 2.
        let graph = graph_from_edges(4, &[(0, 1), (2, 3)], &[0, 1, 5, 7]);
        let doms = compute(&graph);
        assert_eq!(doms.idom, vec![0, 0, 0, 2]);
        assert_eq!(doms.retained[2], 12);
        assert_eq!(doms.retained[0], 13);
    }
}
