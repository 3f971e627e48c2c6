//! The three-snapshot diff: objects absent from the baseline, present in the target and
//! still alive in the final snapshot, grouped by the growth point they hang from: the older
//! object that holds them.

use crate::allocations::AllocationTrace;
use crate::classes::{self, ClassKey};
use crate::dominators::Dominators;
use crate::graph::{HeapGraph, NodeIndex, ROOT};
use crate::report::{GrowingValue, GrowthPoint, HeldClass, Holder, SharedHolder, SourceLocation};
use crate::retainers::{PathStep, RetainerTree};
use crate::snapshot::{AllocationSites, EdgeKind, IdSnapshot, NodeKind};
use crate::values;
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
    /// What only running code holds is the analysing process's own (a hunt's snapshots are taken
    /// from its own frames, never while the hunted code runs): left out like V8's internals.
    pub own_stack: bool,
}

/// For each group, how many of its members are alive in `later` (by id: exact, whatever
/// else changed in between).
pub fn still_alive(groups: &[GrowthPoint], later: &IdSnapshot) -> Vec<u64> {
    groups.iter().map(|g| g.entry_ids.iter().filter(|&&id| later.contains(id)).count() as u64).collect()
}

/// Nodes of `final_graph` whose id is new since the baseline and already existed in the target.
/// V8 keeps a JS object's id across snapshots of one isolate, so this is exact, not a
/// heuristic. Only JS heap objects (odd ids) take part: the embedder's native nodes (even ids,
/// Node's `Node / …`) are numbered by native address and renumbered between snapshots, so an
/// Environment's permanent fields would look new (seen in `v8.writeHeapSnapshot` files).
///
/// The ids new in the target are found first, by one merge of the two sorted id sets: they
/// are few next to the heap, so the final graph's millions of ids are then looked up in a
/// small bitmap that stays in cache (two binary searches per node in the full sets took
/// 0.2 s of a 1.6 s analysis of 3 × 521 MB).
pub fn surviving_nodes(final_graph: &HeapGraph, baseline: &IdSnapshot, target: &IdSnapshot) -> Vec<NodeIndex> {
    surviving_among(final_graph, &new_ids(&baseline.ids, &target.ids))
}

/// `surviving_nodes` of the ids new in the target (`new_ids`), found already.
pub fn surviving_among(final_graph: &HeapGraph, new: &[u32]) -> Vec<NodeIndex> {
    let (Some(&lowest), Some(&highest)) = (new.first(), new.last()) else { return Vec::new() };
    // A bit per odd id between the lowest and the highest new one: one test per node, where a
    // binary search per node in range cost several times the whole pass.
    let mut is_new = vec![0u64; ((highest - lowest) / 2) as usize / 64 + 1];
    for &id in new {
        let bit = ((id - lowest) / 2) as usize;
        is_new[bit / 64] |= 1 << (bit % 64);
    }
    (0..final_graph.node_count() as NodeIndex)
        .filter(|&n| {
            let id = final_graph.ids[n as usize];
            id >= lowest && id <= highest && id % 2 == 1 && {
                let bit = ((id - lowest) / 2) as usize;
                is_new[bit / 64] & (1 << (bit % 64)) != 0
            }
        })
        .collect()
}

/// The share of the baseline's JS heap objects (odd ids) still in the target. Within one
/// process most survive (a hunt keeps well over 90 %); snapshots of two processes, or taken
/// across an inspector session that closed (V8 numbers objects anew), share almost none.
pub fn shared_share(baseline: &[u32], target: &[u32]) -> f64 {
    shared_share_given(baseline, target, new_ids(baseline, target).len())
}

/// `shared_share`, given how many of the target's odd ids the baseline lacks (`new_ids`, which
/// the diff needs anyway): each odd id of the target is either the baseline's or new, so the
/// shared ones are counted without a second merge of the two sets.
pub fn shared_share_given(baseline: &[u32], target: &[u32], new_count: usize) -> f64 {
    let odd = |ids: &[u32]| ids.iter().filter(|&&id| id % 2 == 1).count();
    let total = odd(baseline);
    if total == 0 {
        1.0
    } else {
        odd(target).saturating_sub(new_count) as f64 / total as f64
    }
}

/// Of the sampled ids both snapshots have, how many are the same object (same fingerprint),
/// and how many were compared. Both lists sorted by id.
pub fn same_objects(baseline: &[(u32, u64)], target: &[(u32, u64)]) -> (usize, usize) {
    let (mut t, mut same, mut compared) = (0, 0, 0);
    for &(id, print) in baseline {
        while t < target.len() && target[t].0 < id {
            t += 1;
        }
        if let Some(&(other, other_print)) = target.get(t) {
            if other == id {
                compared += 1;
                same += (other_print == print) as usize;
            }
        }
    }
    (same, compared)
}

/// Odd (JS heap) ids of `target` that `baseline` lacks; both sorted, and so is the result.
pub fn new_ids(baseline: &[u32], target: &[u32]) -> Vec<u32> {
    let mut new = Vec::new();
    let mut b = 0;
    for &id in target {
        // Most of the target's ids are the baseline's next one: a single comparison then.
        if baseline.get(b) == Some(&id) {
            b += 1;
            continue;
        }
        while b < baseline.len() && baseline[b] < id {
            b += 1;
        }
        if baseline.get(b) == Some(&id) {
            b += 1;
        } else if id % 2 == 1 {
            new.push(id);
        }
    }
    new
}

pub struct Grouped {
    pub groups: Vec<GrowthPoint>,
    pub internal_count: u64,
    pub ignored_count: u64,
}

/// Allocation stacks kept per growth point.
const TOP_STACKS: usize = 3;
/// Classes listed per growth point; the rest are counted in the totals only.
const MAX_BREAKDOWN: usize = 24;

/// The surviving objects of the final graph grouped by growth point: each hangs from the
/// nearest object above it on its retainer path that is older than `older` (sorted ids) and
/// is not V8's storage. Objects chained to each other (a linked list of timers, a Map's new
/// hash table) are walked through, so a holder gathers all it gained however it is laid out.
/// A second round passes the first round's baseline as `older`, so that it finds the same
/// holders, which keep their ids. `dominators` is asked only when an object is a member: the
/// retained sizes of nothing are not worth a dominator tree (most hunts of clean code).
/// Allocation stacks are read from `target_sites` first, where the final snapshot may have
/// lost them (`AllocationSites`).
pub fn group<'a>(
    graph: &HeapGraph,
    dominators: impl FnOnce() -> Option<&'a Dominators>,
    tree: &RetainerTree,
    surviving: &[NodeIndex],
    older: &[u32],
    target_sites: &AllocationSites,
    options: &DiffOptions,
) -> Grouped {
    let (members, internal_count, ignored_count) = members(graph, tree, surviving, options);
    let doms = if members.is_empty() { None } else { dominators() };
    let owners = direct_owners(graph, tree, doms, older, &members);
    let by_tree = place_under_holders(graph, tree, older, &members, &HashMap::new());
    let moved = owners.to_move(&members, &by_tree);
    let placed = if moved.is_empty() { by_tree } else { place_under_holders(graph, tree, older, &members, &moved) };
    let covered = dominated_by_members(graph, doms, &members);
    let trace = AllocationTrace::of(graph).map(|t| t.with_earlier(target_sites));

    let mut by_holder: HashMap<NodeIndex, Vec<(NodeIndex, Placement)>> = HashMap::new();
    for (&node, &place) in members.iter().zip(&placed) {
        by_holder.entry(place.holder).or_default().push((node, place));
    }
    let all: std::collections::HashSet<NodeIndex> = members.iter().copied().collect();
    let folded = fold_parts_of_other_leaks(graph, &members, &placed, &all, older, &mut by_holder);
    let mut groups: Vec<GrowthPoint> = by_holder
        .into_iter()
        .map(|(holder, held)| {
            let mut point = growth_point(graph, doms, tree, trace.as_ref(), &covered, holder, &held, &all, older, options);
            point.shared_with = owners.shared_with(graph, tree, holder, &held);
            for &other in folded.get(&holder).into_iter().flatten() {
                if other != ROOT && !point.shared_with.iter().any(|s| s.holder.id == graph.ids[other as usize]) {
                    point.shared_with.push(SharedHolder { holder: holder_of(graph, other), retainer_path: tree.path(graph, other) });
                }
            }
            point
        })
        .collect();
    name_by_program_variables(graph, &mut groups);
    groups.sort_by(|a, b| b.retained_size.cmp(&a.retained_size).then(b.count.cmp(&a.count)).then(a.holder.id.cmp(&b.holder.id)));
    Grouped { groups, internal_count, ignored_count }
}

/// Objects a growth point's path reached through a library's closure that captured them as
/// `this` (socket.io's engine holds its Server so, from the HTTP server's listeners) are
/// named by a variable of the program's own code that holds them too, where one does: what
/// the user calls the object (`io`), not `this`. A scope is the program's when a closure of
/// the program's code (not in `node_modules`, not Node's) has it as its context. Two passes
/// over the heap's scopes and closures, only when a path goes through such a `this`.
fn name_by_program_variables(graph: &HeapGraph, groups: &mut [GrowthPoint]) {
    let through_this = |s: &PathStep| s.edge_type == "context" && s.edge == "this";
    let wanted: std::collections::HashSet<u32> =
        groups.iter().flat_map(|g| g.retainer_path.iter()).filter(|s| through_this(s)).map(|s| s.id).collect();
    if wanted.is_empty() {
        return;
    }
    let n = graph.node_count() as NodeIndex;
    let mut held: Vec<(u32, String, NodeIndex)> = Vec::new();
    for scope in (0..n).filter(|&u| graph.kind(u) == NodeKind::Object && graph.name(u) == "system / Context") {
        for e in graph.edges(scope) {
            let id = graph.ids[graph.edge_to[e] as usize];
            if graph.edge_kind(e) == EdgeKind::Context && wanted.contains(&id) {
                let name = graph.edge_name(e);
                if name != "this" && !name.starts_with('.') && !name.starts_with('#') {
                    held.push((id, name.into_owned(), scope));
                }
            }
        }
    }
    if held.is_empty() {
        return;
    }
    let program = classes::program_scopes(graph, &held.iter().map(|&(_, _, scope)| scope).collect());
    // The first such variable by scope id, so that the same heap always gives the same name.
    held.sort_by_key(|&(id, _, scope)| (id, graph.ids[scope as usize]));
    let mut names: HashMap<u32, String> = HashMap::new();
    for (id, name, scope) in held {
        if program.contains(&scope) {
            names.entry(id).or_insert(name);
        }
    }
    for step in groups.iter_mut().flat_map(|g| g.retainer_path.iter_mut()).filter(|s| through_this(s)) {
        step.variable = names.get(&step.id).cloned();
    }
}

/// Values kept most; the rest are too small to matter next to them.
const MAX_GROWING_VALUES: usize = 64;

/// Values an older holder of the program replaced since the baseline (a new string, Buffer,
/// typed array or ArrayBuffer in one of its variables or properties), and Arrays of numbers
/// that got a new element store (V8 replaces the store as the Array outgrows it). Either may be
/// a leak that grows in bytes and not in objects (`log = Buffer.concat([log, body])`,
/// `latencies.push(ms)`): one value for one, so no count of objects can see it. Only more
/// calls can tell it from a value that keeps its size, so these are measured again later
/// (`values::measure_slot`), largest first.
pub fn growing_values(graph: &HeapGraph, tree: &RetainerTree, surviving: &[NodeIndex], older: &[u32]) -> Vec<GrowingValue> {
    let is_older = |x: NodeIndex| older.binary_search(&graph.ids[x as usize]).is_ok();
    // (holder, slot edge) -> the value, its owner by that edge (the holder, or a Map's hash
    // table) and its form.
    let mut found: HashMap<(NodeIndex, usize), (NodeIndex, NodeIndex, values::ValueForm)> = HashMap::new();
    for &value in surviving {
        let (Some(mut holder), Some(edge)) = (tree.parent(value), tree.parent_edge(value)) else { continue };
        // A Map's value sits in its hash table, which V8 replaces as the Map grows: the Map
        // holds it, under its key (the path step carries the key).
        let mut keyed = false;
        if graph.kind(holder) == NodeKind::Array && tree.parent_edge(holder).is_some_and(|e| graph.edge_is_named(e, "table")) {
            match tree.parent(holder) {
                Some(map) => (holder, keyed) = (map, true),
                None => continue,
            }
        }
        if holder == ROOT || !is_older(holder) || !tree.is_held_by_program(holder) {
            continue;
        }
        // A variable of a scope, or a property or the element store of an object of the
        // program: its own slots, not V8's storage or bookkeeping.
        let slot = match graph.edge_kind(edge) {
            EdgeKind::Context => true,
            EdgeKind::Property => !classes::is_internal(graph, holder),
            _ => (keyed || graph.edge_is_named(edge, "elements")) && !classes::is_internal(graph, holder),
        };
        let owner = if keyed { tree.parent(value).unwrap_or(holder) } else { holder };
        if let Some(form) = values::form_of(graph, owner, edge, value).filter(|_| slot) {
            found.insert((holder, edge), (value, owner, form));
        }
    }
    let mut grown: Vec<GrowingValue> = found
        .into_iter()
        .filter_map(|((holder, _), (value, owner, form))| {
            let mut path = tree.path(graph, value);
            let slot = path.pop()?;
            // A Map's value: the step above it is its hash table, the Map's storage.
            if owner != holder {
                path.pop();
                slot.key.as_ref()?;
            }
            Some(GrowingValue {
                holder: holder_of(graph, holder),
                retainer_path: path,
                slot,
                value: values::measure(graph, owner, value, form),
            })
        })
        .collect();
    grown.sort_by(|a, b| b.value.bytes.cmp(&a.value.bytes).then(a.holder.id.cmp(&b.holder.id)));
    grown.truncate(MAX_GROWING_VALUES);
    grown
}

/// Holders that gained no entries, only objects another holder's new objects hold too (a Map's
/// key strings, which the sessions an audit Array owns keep as their `id`): they are not a
/// leak of their own, as the other leak's objects keep them whichever holder lets go, so their
/// objects join that leak and the holder is named beside it. A holder that gained entries grows
/// itself, and stays an entry (one of marked's extension lists, listed `alongside` its lead).
/// Returns, per holder that took others in, the holders folded into it.
fn fold_parts_of_other_leaks(
    graph: &HeapGraph,
    members: &[NodeIndex],
    placed: &[Placement],
    all: &std::collections::HashSet<NodeIndex>,
    older: &[u32],
    by_holder: &mut HashMap<NodeIndex, Vec<(NodeIndex, Placement)>>,
) -> HashMap<NodeIndex, Vec<NodeIndex>> {
    let mut folded: HashMap<NodeIndex, Vec<NodeIndex>> = HashMap::new();
    if by_holder.len() < 2 {
        return folded;
    }
    let holder_of_member: HashMap<NodeIndex, NodeIndex> = members.iter().zip(placed).map(|(&m, p)| (m, p.holder)).collect();
    // Per member: the other holders whose members hold it by a strong edge.
    let mut held_from: HashMap<NodeIndex, Vec<NodeIndex>> = HashMap::new();
    for (&u, place) in members.iter().zip(placed) {
        for e in graph.edges(u) {
            let v = graph.edge_to[e];
            let Some(&other) = holder_of_member.get(&v) else { continue };
            if other != place.holder && holds_strongly(graph, e) {
                let list = held_from.entry(v).or_default();
                if !list.contains(&place.holder) {
                    list.push(place.holder);
                }
            }
        }
    }
    if held_from.is_empty() {
        return folded;
    }
    // Holders that gained entries first (they never fold), then the larger: a fold goes only to
    // a holder ranked before, so folds never go round.
    let only_contents: std::collections::HashSet<NodeIndex> = by_holder
        .iter()
        .filter(|(&h, held)| entries(graph, h, held, all, older, None).0.iter().all(|&e| e == Entry::Contents))
        .map(|(&h, _)| h)
        .collect();
    let rank = |h: NodeIndex, by_holder: &HashMap<NodeIndex, Vec<(NodeIndex, Placement)>>| {
        (only_contents.contains(&h), std::cmp::Reverse(by_holder[&h].len()), graph.ids[h as usize])
    };
    let mut order: Vec<NodeIndex> = by_holder.keys().copied().collect();
    order.sort_by_key(|&h| rank(h, by_holder));
    let mut into: HashMap<NodeIndex, NodeIndex> = HashMap::new();
    for &h in &order {
        let held = &by_holder[&h];
        // The holders ranked before this one whose objects hold some of its objects.
        let mut leads: Vec<NodeIndex> = held.iter().filter_map(|(m, _)| held_from.get(m)).flatten().copied().collect();
        leads.sort_by_key(|&c| rank(c, by_holder));
        leads.dedup();
        leads.retain(|&c| rank(c, by_holder) < rank(h, by_holder));
        if leads.is_empty() || !only_contents.contains(&h) {
            continue;
        }
        // A lead takes them if all of them hang from its objects: held by them, or by what they
        // hold among this holder's objects (a key held as a ConsString, and the string's parts).
        let mine: std::collections::HashSet<NodeIndex> = held.iter().map(|&(m, _)| m).collect();
        for &lead in leads.iter().take(4) {
            let mut reached: std::collections::HashSet<NodeIndex> =
                held.iter().map(|&(m, _)| m).filter(|m| held_from.get(m).is_some_and(|l| l.contains(&lead))).collect();
            let mut stack: Vec<NodeIndex> = reached.iter().copied().collect();
            while let Some(u) = stack.pop() {
                for e in graph.edges(u) {
                    let v = graph.edge_to[e];
                    if mine.contains(&v) && holds_strongly(graph, e) && reached.insert(v) {
                        stack.push(v);
                    }
                }
            }
            if reached.len() == mine.len() {
                into.insert(h, lead);
                break;
            }
        }
    }
    for (&h, &first) in &into {
        let mut lead = first;
        while let Some(&next) = into.get(&lead) {
            lead = next;
        }
        let moved = by_holder.remove(&h).unwrap_or_default();
        let target = by_holder.get_mut(&lead).expect("a lead is never folded");
        target.extend(moved.into_iter().map(|(m, p)| (m, Placement { holder: lead, depth: p.depth + 1, along_list: p.along_list })));
        folded.entry(lead).or_default().push(h);
    }
    for list in folded.values_mut() {
        list.sort_by_key(|&h| graph.ids[h as usize]);
    }
    folded
}

/// The surviving objects a report speaks of: not V8's own, held by the program, not ignored.
fn members(graph: &HeapGraph, tree: &RetainerTree, surviving: &[NodeIndex], options: &DiffOptions) -> (Vec<NodeIndex>, u64, u64) {
    let (mut internal, mut ignored) = (0, 0);
    let mut kept = Vec::with_capacity(surviving.len());
    for &node in surviving {
        // V8's own objects, and objects only V8 holds (the string table, code, the stack of
        // whatever runs now), are not the program's leaks.
        let ours = options.own_stack && tree.is_held_only_by_running_code(node);
        if !options.include_internals && (classes::is_internal(graph, node) || !tree.is_held_by_program(node) || ours) {
            internal += 1;
        } else if !options.ignore.is_empty() && {
            let name = classes::class_name(graph, node);
            options.ignore.iter().any(|p| name.contains(p.as_str()))
        } {
            ignored += 1;
        } else {
            kept.push(node);
        }
    }
    (kept, internal, ignored)
}

const UNPLACED: NodeIndex = NodeIndex::MAX;

/// Where a member hangs: its holder, how many steps below it, and whether the road there
/// runs along a list (a timer linked from the timer before it).
#[derive(Clone, Copy)]
struct Placement {
    holder: NodeIndex,
    depth: u32,
    along_list: bool,
}

/// The edge that reached a node, with element indexes all alike: an older node that continues
/// a chain by the same link is not the chain's holder (a timer list's warm-up timers).
fn chain_link(graph: &HeapGraph, tree: &RetainerTree, x: NodeIndex) -> (u8, u32, u64) {
    let edge = tree.parent_edge(x).map_or(u64::MAX, |e| {
        let name = if graph.edge_kind(e).name_is_index() { u32::MAX } else { graph.edge_name_or_index(e) };
        ((graph.edge_type(e) as u64) << 32) | name as u64
    });
    (graph.types[x as usize], graph.names[x as usize], edge)
}

/// For each member, where it hangs. One memoized walk up the retainer tree: linear in what the
/// walks cover, however long the chains. A member in `moved` hangs from the holder named
/// there, and what hangs below it follows it.
fn place_under_holders(
    graph: &HeapGraph,
    tree: &RetainerTree,
    older: &[u32],
    members: &[NodeIndex],
    moved: &HashMap<NodeIndex, NodeIndex>,
) -> Vec<Placement> {
    // An embedder node the baseline lacks (Blink's listener records, Node's `Node / …` nodes,
    // which are numbered anew in every snapshot) has no age to go by: it is walked through.
    let is_holder = |x: NodeIndex| x == ROOT || (older.binary_search(&graph.ids[x as usize]).is_ok() && !classes::is_storage(graph, x));
    // Whether the tree reached `x` from its parent as the next link of a list.
    let linked = |x: NodeIndex| match (tree.parent(x), tree.parent_edge(x)) {
        (Some(p), Some(e)) => continues_chain(graph, p, x, e),
        _ => false,
    };
    let mut known: HashMap<NodeIndex, Placement> = HashMap::new();
    let mut chain = Vec::new();
    members
        .iter()
        .map(|&v| {
            let mut x = v;
            let mut place = loop {
                if let Some(&found) = known.get(&x) {
                    break found;
                }
                if let Some(&owner) = moved.get(&x) {
                    break Placement { holder: owner, depth: 1, along_list: false };
                }
                match tree.parent(x) {
                    None => break Placement { holder: UNPLACED, depth: 0, along_list: false },
                    // An older link of a chain the node continues (a timer list's timers from
                    // before the baseline) is not the holder: the chain's head is.
                    Some(p) if is_holder(p) && (p == ROOT || chain_link(graph, tree, p) != chain_link(graph, tree, x)) => {
                        break Placement { holder: p, depth: 1, along_list: false };
                    }
                    Some(p) => {
                        chain.push(x);
                        x = p;
                    }
                }
            };
            known.insert(x, place);
            while let Some(y) = chain.pop() {
                place = Placement { holder: place.holder, depth: place.depth + 1, along_list: place.along_list || linked(y) };
                known.insert(y, place);
            }
            // Unreachable (only with includeInternals): each is its own.
            if place.holder == UNPLACED {
                place.holder = v;
            }
            place
        })
        .collect()
}

/// Members held directly by older objects (by a property, a variable, or through the storage of
/// an Array, a Map or a dictionary), and by which: a member two older objects hold (a timer in
/// the user's Array and in Node's timer list, an object in a Map and in an audit Array) belongs
/// to one of them however the retainer tree reached it, so it counts once and in full. Of
/// several, the one that holds the most members directly owns it (the user's Array of handles
/// holds every timer; Node's list only its newest, as the others are linked from the timer
/// before), then the oldest: a rule of the heap's shape and ids, so two rounds agree.
/// An older link of a chain the member continues (a timer from before the baseline) is not an
/// owner: the chain's head is, as in the retainer tree's placement.
struct DirectOwners {
    /// Per member: its owner, then the other older objects that hold it directly.
    owners: HashMap<NodeIndex, (NodeIndex, Vec<NodeIndex>)>,
}

impl DirectOwners {
    /// The members to place under their owner rather than where the retainer tree put them:
    /// those whose tree holder holds them too (directly, or as a link of its list) and is not
    /// their owner. A member an older object holds only inside a new one (a compiled function
    /// in a cache entry) stays with that holder: the objects that hold it directly elsewhere
    /// are the holder's own bookkeeping.
    fn to_move(&self, members: &[NodeIndex], by_tree: &[Placement]) -> HashMap<NodeIndex, NodeIndex> {
        let mut moved = HashMap::new();
        for (&m, place) in members.iter().zip(by_tree) {
            let Some((owner, others)) = self.owners.get(&m) else { continue };
            let holds_too = place.along_list || others.contains(&place.holder);
            if *owner != place.holder && holds_too {
                moved.insert(m, *owner);
            }
        }
        moved
    }

    /// The other older objects that hold directly at least half of what a holder holds
    /// directly: where else the user will find these objects.
    fn shared_with(&self, graph: &HeapGraph, tree: &RetainerTree, holder: NodeIndex, held: &[(NodeIndex, Placement)]) -> Vec<SharedHolder> {
        let mut counts: HashMap<NodeIndex, usize> = HashMap::new();
        let mut owned = 0;
        for (node, _) in held {
            if let Some((owner, others)) = self.owners.get(node) {
                if *owner == holder {
                    owned += 1;
                    for &o in others {
                        *counts.entry(o).or_insert(0) += 1;
                    }
                }
            }
        }
        let mut shared: Vec<(NodeIndex, usize)> = counts.into_iter().filter(|&(_, n)| owned > 0 && 2 * n >= owned).collect();
        shared.sort_by_key(|&(o, n)| (std::cmp::Reverse(n), graph.ids[o as usize]));
        shared.into_iter().map(|(o, _)| SharedHolder { holder: holder_of(graph, o), retainer_path: tree.path(graph, o) }).collect()
    }
}

fn holder_of(graph: &HeapGraph, node: NodeIndex) -> Holder {
    Holder {
        id: graph.ids[node as usize],
        name: classes::display_name(graph, node),
        node_type: graph.layout.node_type_names[graph.types[node as usize] as usize].clone(),
    }
}

/// What holds each member directly (an older object, or storage), then what holds that
/// storage: from the retainer tree where one essential edge at most leads to each, else by a
/// pass over the heap's edges.
fn direct_owners(graph: &HeapGraph, tree: &RetainerTree, doms: Option<&Dominators>, older: &[u32], members: &[NodeIndex]) -> DirectOwners {
    if members.is_empty() {
        return DirectOwners { owners: HashMap::new() };
    }
    let n = graph.node_count();
    // An owner is the program's object, older than the baseline: not V8's storage or internals.
    let can_own = |x: NodeIndex| {
        x != ROOT
            && matches!(graph.kind(x), NodeKind::Object | NodeKind::Closure)
            && !classes::is_internal(graph, x)
            && tree.is_held_by_program(x)
            && older.binary_search(&graph.ids[x as usize]).is_ok()
    };
    let followed =
        |e: usize| graph.edge_kind(e) != EdgeKind::Weak && !graph.edge_is_named(e, "map") && !graph.edge_is_named(e, "__proto__");
    let mut candidates: HashMap<NodeIndex, Vec<NodeIndex>> = HashMap::new();
    // Storage holding members: storage -> (member, slot edge).
    let mut in_storage: HashMap<NodeIndex, Vec<(NodeIndex, usize)>> = HashMap::new();
    // What one essential edge at most leads to is held by its parent in the retainer tree
    // alone (the tree's edge is then that edge): the common case, which needs no pass over the
    // heap. Otherwise every edge of the heap is read: the node's kind first, so that only
    // storage and possible owners have their edges read, and a member is a bit test (a bitmap
    // of the heap stays in cache).
    let single_holder = |v: NodeIndex| -> Option<(NodeIndex, usize)> {
        let doms = doms?;
        if doms.has_several_retainers(v) {
            return None;
        }
        Some((tree.parent(v)?, tree.parent_edge(v)?))
    };
    let mut held_by = |u: NodeIndex, v: NodeIndex, e: usize| {
        if !followed(e) {
            return;
        }
        if classes::is_storage(graph, u) {
            in_storage.entry(u).or_default().push((v, e));
        } else if matches!(graph.kind(u), NodeKind::Object | NodeKind::Closure) && can_own(u) && !continues_chain(graph, u, v, e) {
            candidates.entry(v).or_default().push(u);
        }
    };
    let by_tree: Option<Vec<(NodeIndex, NodeIndex, usize)>> = members.iter().map(|&v| single_holder(v).map(|(u, e)| (u, v, e))).collect();
    match by_tree {
        Some(held) => held.into_iter().for_each(|(u, v, e)| held_by(u, v, e)),
        None => {
            let is_member = NodeSet::of(n, members);
            for (u, v, e) in edges_into(graph, &is_member) {
                held_by(u, v, e);
            }
        }
    }
    let mut storage_owners = Vec::new();
    let stored: Option<Vec<(NodeIndex, NodeIndex, usize)>> = in_storage.keys().map(|&s| single_holder(s).map(|(w, e)| (w, s, e))).collect();
    let mut add_storage_owner = |w: NodeIndex, s: NodeIndex, e: usize| {
        if classes::is_storage(graph, w) || !followed(e) || !can_own(w) {
            return;
        }
        // A Map's or a dictionary's keys are not what it holds: its values are.
        let keyed = graph.edge_is_named(e, "table") || graph.edge_is_named(e, "properties");
        for &(m, slot) in &in_storage[&s] {
            if !(keyed && crate::retainers::is_key_slot(graph, s, slot)) {
                storage_owners.push((m, w));
            }
        }
    };
    match stored {
        Some(held) => held.into_iter().for_each(|(w, s, e)| add_storage_owner(w, s, e)),
        None => {
            let holds_members = NodeSet::of(n, &in_storage.keys().copied().collect::<Vec<_>>());
            for (w, s, e) in edges_into(graph, &holds_members) {
                add_storage_owner(w, s, e);
            }
        }
    }
    for (m, w) in storage_owners {
        candidates.entry(m).or_default().push(w);
    }
    let mut weight: HashMap<NodeIndex, usize> = HashMap::new();
    for list in candidates.values_mut() {
        list.sort_unstable();
        list.dedup();
        for &o in list.iter() {
            *weight.entry(o).or_insert(0) += 1;
        }
    }
    let owners = candidates
        .into_iter()
        .map(|(m, list)| {
            let owner = *list
                .iter()
                .max_by_key(|&&o| (weight[&o], std::cmp::Reverse(graph.ids[o as usize])))
                .expect("a member with candidates has one");
            let others = list.into_iter().filter(|&o| o != owner).collect();
            (m, (owner, others))
        })
        .collect();
    DirectOwners { owners }
}

/// Every edge `(from, to, edge)` into `targets` from a node that may hold a member directly
/// (`kinds_that_may_hold`), in the heap's order: a pass over all the heap's edges, each a bit
/// test, split over two threads (in WebAssembly, one after the other: see
/// `analysis::side_by_side`).
fn edges_into(graph: &HeapGraph, targets: &NodeSet) -> Vec<(NodeIndex, NodeIndex, usize)> {
    let scanned = kinds_that_may_hold(graph);
    let scan = |nodes: std::ops::Range<NodeIndex>| {
        let mut found = Vec::new();
        for u in nodes {
            if !scanned[graph.types[u as usize] as usize] {
                continue;
            }
            let first = graph.first_edge[u as usize] as usize;
            for (k, &v) in graph.edge_to[first..graph.first_edge[u as usize + 1] as usize].iter().enumerate() {
                if targets.contains(v) {
                    found.push((u, v, first + k));
                }
            }
        }
        found
    };
    let n = graph.node_count() as NodeIndex;
    // Halves of the edges, not of the nodes: an array of a million elements is one node.
    let middle = graph.first_edge.partition_point(|&e| (e as usize) < graph.edge_count() / 2).min(n as usize) as NodeIndex;
    if cfg!(target_family = "wasm") {
        let mut found = scan(0..middle);
        found.extend(scan(middle..n));
        return found;
    }
    std::thread::scope(|scope| {
        let later = scope.spawn(|| scan(middle..n));
        let mut found = scan(0..middle);
        found.extend(later.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        found
    })
}

/// By node type: whether a node of that type may hold a member directly, as an object or a
/// closure of the program, or as storage (`classes::is_storage`, whose native backing stores
/// are told by name, later). A table, so that a pass over the heap skips the rest by one load.
fn kinds_that_may_hold(graph: &HeapGraph) -> Vec<bool> {
    graph
        .layout
        .node_kinds
        .iter()
        .map(|k| {
            matches!(
                k,
                NodeKind::Object
                    | NodeKind::Closure
                    | NodeKind::Array
                    | NodeKind::Hidden
                    | NodeKind::Code
                    | NodeKind::ObjectShape
                    | NodeKind::Native
            )
        })
        .collect()
}

/// A set of nodes as a bitmap of the heap: a test per edge of a pass over the whole heap.
struct NodeSet(Vec<u64>);

impl NodeSet {
    fn of(node_count: usize, nodes: &[NodeIndex]) -> NodeSet {
        let mut words = vec![0u64; node_count.div_ceil(64)];
        for &v in nodes {
            words[v as usize / 64] |= 1 << (v % 64);
        }
        NodeSet(words)
    }

    #[inline]
    fn contains(&self, v: NodeIndex) -> bool {
        self.0[v as usize / 64] & (1 << (v % 64)) != 0
    }
}

/// Whether `u` holds `v` as the link of a list of one class and shape (`u._idleNext`): an older
/// link of a chain is not the chain's holder.
fn continues_chain(graph: &HeapGraph, u: NodeIndex, v: NodeIndex, e: usize) -> bool {
    graph.edge_kind(e) == EdgeKind::Property && links_a_list(graph, u, v, e)
}

/// Whether the property edge `e` from `u` to `v` links two nodes of one list: of one class,
/// and of one shape (`shape`), or made one from the other. V8 gives an object a new hidden
/// class when a field's type widens (`history: null`, then an object: the old map is
/// deprecated), so objects with the same own properties are of one shape whatever their maps.
/// And an object made from the previous one by `Object.create` (a child logger that derives
/// from its parent, as pino's and winston's `child()` do) has it as its prototype and a map of
/// its own: a `__proto__` link to an object of its class that is not a class's prototype (no
/// own `constructor`) is a link of such a chain.
fn links_a_list(graph: &HeapGraph, u: NodeIndex, v: NodeIndex, e: usize) -> bool {
    if u == v || (graph.types[u as usize], graph.names[u as usize]) != (graph.types[v as usize], graph.names[v as usize]) {
        return false;
    }
    let (Some(a), Some(b)) = (shape(graph, u), shape(graph, v)) else { return false };
    if a == b {
        return true;
    }
    if graph.kind(u) != NodeKind::Object {
        return false;
    }
    if graph.edge_is_named(e, "__proto__") {
        return graph.edge_target(v, "constructor").is_none();
    }
    own_properties(graph, u) == own_properties(graph, v)
}

/// An object's own named properties (as string indexes, sorted): what its hidden class says,
/// but the same for a deprecated map and the one that replaced it.
fn own_properties(graph: &HeapGraph, x: NodeIndex) -> Vec<u32> {
    let mut names: Vec<u32> = graph
        .edges(x)
        .filter(|&e| graph.edge_kind(e) == EdgeKind::Property && !graph.edge_is_named(e, "__proto__"))
        .map(|e| graph.edge_name_or_index(e))
        .collect();
    names.sort_unstable();
    names
}

/// What a class of objects is, to tell a list of them (each node shaped like the next) from
/// objects nested in each other: the hidden class (`map`) of an object, the function (`shared`)
/// of a closure.
fn shape(graph: &HeapGraph, x: NodeIndex) -> Option<NodeIndex> {
    match graph.kind(x) {
        NodeKind::Closure => graph.edge_target(x, "shared"),
        NodeKind::Object => graph.edge_target(x, "map"),
        _ => None,
    }
}

/// The members that are entries of their holder: what it gained directly, not what those hold.
/// Read from the heap's edges, not from the retainer tree, so that ties between shortest paths
/// cannot change the count. An entry is reached
/// - from the holder, or from its storage (elements, properties, a Map's hash table) where it
///   is not a key (a Map entry or a dictionary slot whose value follows it);
/// - or along a list that starts there: from a node of its own class and shape by a property or
///   a variable (Node's timers by `_idleNext`, older ones first; a wrapper that keeps the one
///   before it in its scope). Objects nested in each other differ in shape and are not a list.
///
/// Also returns the entries that are members placed under another holder.
fn entries(
    graph: &HeapGraph,
    holder: NodeIndex,
    held: &[(NodeIndex, Placement)],
    all: &std::collections::HashSet<NodeIndex>,
    older: &[u32],
    calls: Option<u32>,
) -> (Vec<Entry>, Vec<(NodeIndex, Entry)>) {
    let position: HashMap<NodeIndex, usize> = held.iter().enumerate().map(|(k, &(v, _))| (v, k)).collect();
    let mut entry = vec![Entry::Contents; held.len()];
    let mut elsewhere = Vec::new();
    // A holder that gained a single new collection (an emitter's first listener array for an
    // event, a Map made on first use) grows through it: its contents are the entries too.
    let mut starts = Vec::new();
    let mut from = holder;
    for _ in 0..3 {
        let direct = reached_from(graph, from, older);
        let new: Vec<NodeIndex> = direct.iter().copied().filter(|v| position.contains_key(v)).collect();
        starts.extend(direct);
        match new[..] {
            [only] if classes::is_collection(graph, only) => from = only,
            _ => {
                // A few new Arrays, Maps or Sets, fewer than one per two calls (a Map of lists,
                // each replaced by a longer copy on every call): what they hold are entries too,
                // as the lists die with each copy while their contents stay. A list gained per
                // call (a parsed template's tokens) is itself the entry.
                let lists: Vec<NodeIndex> = new.into_iter().filter(|&v| is_container(graph, v)).collect();
                if calls.is_some_and(|calls| !lists.is_empty() && 2 * lists.len() <= calls as usize) {
                    for list in lists {
                        starts.extend(reached_from(graph, list, older));
                    }
                }
                break;
            }
        }
    }
    // Along the lists: bounded, as an old list can be long.
    let mut budget = 16 * held.len() + 4096;
    let mut seen: std::collections::HashSet<NodeIndex> = starts.iter().copied().collect();
    let mut stack: Vec<(NodeIndex, Entry)> = starts.into_iter().map(|v| (v, Entry::Direct)).collect();
    while let Some((u, how)) = stack.pop() {
        match position.get(&u) {
            Some(&k) => entry[k] = how,
            None if all.contains(&u) => elsewhere.push((u, how)),
            None => {}
        }
        for v in list_links(graph, u) {
            if budget == 0 {
                return (entry, elsewhere);
            }
            budget -= 1;
            if seen.insert(v) {
                stack.push((v, Entry::Linked));
            }
        }
    }
    (entry, elsewhere)
}

/// An Array, a Map or a Set: a collection of entries, not a record with fields.
fn is_container(graph: &HeapGraph, node: NodeIndex) -> bool {
    graph.kind(node) == NodeKind::Object && matches!(graph.name(node), "Array" | "Map" | "Set")
}

/// How a member stands to its holder.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Entry {
    /// Held by an entry, not an entry itself.
    Contents,
    /// Reached from the holder, its storage or a collection it gained.
    Direct,
    /// Reached along a list from there: each node holds the next.
    Linked,
}

/// Whether a promise still waits: V8 keeps its reactions, or nothing yet, where a settled
/// promise keeps its result (`reactions_or_result`). A result that is a small integer is no
/// heap object, so such a promise reads as pending.
fn promise_is_pending(graph: &HeapGraph, promise: NodeIndex) -> bool {
    match graph.edge_target(promise, "reactions_or_result") {
        None => true,
        Some(v) => graph.name(v) == PROMISE_REACTION,
    }
}

/// V8's record of one continuation on a pending promise.
const PROMISE_REACTION: &str = "system / PromiseReaction";

/// Links of a chain of V8's records followed at most (a promise awaited by a million calls).
const MAX_RECORD_LINKS: usize = 1 << 20;

/// What a holder reaches directly, or through its storage where the slot is not a key.
/// Also through the embedder's nodes the baseline lacks (a Blink listener record between an
/// event target's listener vector and the function), which have no age of their own.
fn reached_from(graph: &HeapGraph, holder: NodeIndex, older: &[u32]) -> Vec<NodeIndex> {
    let ageless = |v: NodeIndex| graph.ids[v as usize].is_multiple_of(2) && older.binary_search(&graph.ids[v as usize]).is_err();
    let mut out = Vec::new();
    let mut through = vec![holder];
    let mut seen = std::collections::HashSet::new();
    // Bounded: an embedder's graph (a page's DOM) can be large.
    let mut budget = 4096usize;
    while let Some(from) = through.pop() {
        let mut found = Vec::new();
        for e in graph.edges(from) {
            let target = graph.edge_to[e];
            if graph.edge_kind(e) == EdgeKind::Weak || graph.edge_is_named(e, "map") || graph.edge_is_named(e, "__proto__") {
                continue;
            }
            if classes::is_storage(graph, target) {
                let keyed = graph.edge_is_named(e, "table") || graph.edge_is_named(e, "properties");
                // V8's records chained to records of their own kind (a promise's reactions, a
                // FinalizationRegistry's cells, each holding the next) are one list: what each
                // link holds is the holder's, every link counted.
                let mut records = vec![target];
                let mut links = 0usize;
                while let Some(record) = records.pop() {
                    // A promise reaction is one continuation, however many functions it holds
                    // (a race's resolve and reject, await's two closures): one entry, its first
                    // new function or promise; the rest are what that entry holds.
                    let mut one_entry = graph.name(record) == PROMISE_REACTION;
                    for s in graph.edges(record) {
                        let v = graph.edge_to[s];
                        if graph.edge_kind(s) == EdgeKind::Weak
                            || (keyed && record == target && crate::retainers::is_key_slot(graph, target, s))
                        {
                            continue;
                        }
                        if !classes::is_storage(graph, v) {
                            if one_entry {
                                if older.binary_search(&graph.ids[v as usize]).is_ok() {
                                    continue;
                                }
                                one_entry = false;
                                found.push(v);
                            } else if graph.name(record) != PROMISE_REACTION {
                                found.push(v);
                            }
                        } else if v != record
                            && graph.names[v as usize] == graph.names[record as usize]
                            && graph.kind(v) == NodeKind::Hidden
                            && links < MAX_RECORD_LINKS
                            && seen.insert(v)
                        {
                            links += 1;
                            records.push(v);
                        }
                    }
                }
            } else {
                found.push(target);
            }
        }
        for v in found {
            if ageless(v) && budget > 0 {
                if seen.insert(v) {
                    budget -= 1;
                    through.push(v);
                }
            } else {
                out.push(v);
            }
        }
    }
    out
}

/// A holder's entries in one snapshot: what it reaches directly or through its storage (a
/// Map's values, not its keys), what new collections among those hold too (a list replaced on
/// every call by a longer copy), and the lists that run from there (Node's timer list).
/// Compared between the two finals of a hunt, it tells growth (more entries) from churn (new
/// objects in place of old ones: a full ring buffer, an LRU cache at its size). Bounded, as a
/// holder can be large; `None` when the holder is not in this snapshot.
pub fn holder_entries(graph: &HeapGraph, holder_id: u32, older: &[u32]) -> Option<Vec<NodeIndex>> {
    const BUDGET: usize = 1 << 20;
    let holder = graph.find_id(holder_id)?;
    let is_older = |v: NodeIndex| older.binary_search(&graph.ids[v as usize]).is_ok();
    let mut seen: std::collections::HashSet<NodeIndex> = std::collections::HashSet::new();
    let mut stack = reached_from(graph, holder, older);
    let mut entries = Vec::new();
    while let Some(v) = stack.pop() {
        if seen.len() >= BUDGET || !seen.insert(v) || v == holder {
            continue;
        }
        // A new collection is an entry, and so is what it holds: a plain object literal pushed
        // per call is one entry more however little it holds (`{ id: 7 }`, Smis only, has no
        // edges), and a list replaced by a longer copy counts its contents.
        if classes::is_collection(graph, v) && !is_older(v) {
            stack.extend(reached_from(graph, v, older));
        }
        entries.push(v);
        stack.extend(list_links(graph, v));
    }
    Some(entries)
}

/// Whether an edge keeps its target alive as the program's doing: not a weak edge, and not an
/// object's hidden class (`map`), which every object of a shape shares.
fn holds_strongly(graph: &HeapGraph, e: usize) -> bool {
    graph.edge_kind(e) != EdgeKind::Weak && !graph.edge_is_named(e, "map")
}

/// Of a holder's entries at the start of a round (`before`, ids), how many are still alive at
/// its end (`graph`) yet no longer its entries, kept instead by the entries it gained (`after`):
/// the holder replaced each value by one that keeps the one before (`log += line`, a ConsString
/// whose first half is the old log). As many entries, but not churn: a chain that grows.
pub fn kept_by_successors(graph: &HeapGraph, before: &[u32], after: &[NodeIndex]) -> u64 {
    const BUDGET: usize = 1 << 18;
    let now: std::collections::HashSet<u32> = after.iter().map(|&v| graph.ids[v as usize]).collect();
    let demoted: std::collections::HashSet<NodeIndex> =
        before.iter().filter(|id| !now.contains(id)).filter_map(|&id| graph.find_id(id)).collect();
    if demoted.is_empty() {
        return 0;
    }
    let was: std::collections::HashSet<u32> = before.iter().copied().collect();
    let mut stack: Vec<NodeIndex> = after.iter().copied().filter(|&v| !was.contains(&graph.ids[v as usize])).collect();
    let mut seen: std::collections::HashSet<NodeIndex> = stack.iter().copied().collect();
    let mut kept = 0;
    while let Some(u) = stack.pop() {
        for e in graph.edges(u) {
            let v = graph.edge_to[e];
            if seen.len() >= BUDGET || !holds_strongly(graph, e) || !seen.insert(v) {
                continue;
            }
            kept += demoted.contains(&v) as u64;
            stack.push(v);
        }
    }
    kept
}

/// The next nodes of a list through `u`: nodes of its class and shape it holds by a property,
/// or, for a closure, by a variable of its scope.
fn list_links(graph: &HeapGraph, u: NodeIndex) -> Vec<NodeIndex> {
    let (class, form) = ((graph.types[u as usize], graph.names[u as usize]), shape(graph, u));
    let Some(form) = form else { return Vec::new() };
    let same = |v: NodeIndex| v != u && (graph.types[v as usize], graph.names[v as usize]) == class && shape(graph, v) == Some(form);
    let mut out = Vec::new();
    for e in graph.edges(u) {
        let target = graph.edge_to[e];
        match graph.edge_kind(e) {
            EdgeKind::Property if same(target) || links_a_list(graph, u, target, e) => out.push(target),
            EdgeKind::Internal if graph.kind(u) == NodeKind::Closure && graph.edge_is_named(e, "context") => {
                out.extend(
                    graph.edges(target).filter(|&c| graph.edge_kind(c) == EdgeKind::Context).map(|c| graph.edge_to[c]).filter(|&v| same(v)),
                );
            }
            _ => {}
        }
    }
    out
}

/// Members dominated by another member: already in that one's retained size. Each member's
/// dominators are walked up to the root, and what a walk learnt is kept, so every node is
/// visited once however many members share its chain: members are few next to the heap.
fn dominated_by_members(graph: &HeapGraph, doms: Option<&Dominators>, members: &[NodeIndex]) -> Vec<bool> {
    let mut covered = vec![false; graph.node_count()];
    let Some(doms) = doms else { return covered };
    let is_member: std::collections::HashSet<NodeIndex> = members.iter().copied().collect();
    // Whether a member dominates the node (strictly), for the nodes walked so far.
    let mut below_member: HashMap<NodeIndex, bool> = HashMap::new();
    let mut chain = Vec::new();
    for &v in members {
        let mut x = v;
        let mut answer = false;
        while x != ROOT {
            let d = doms.idom[x as usize];
            if let Some(&known) = below_member.get(&x) {
                answer = known;
                break;
            }
            chain.push(x);
            if is_member.contains(&d) {
                answer = true;
                break;
            }
            if d == x {
                break;
            }
            x = d;
        }
        // Every node walked is below the same answer's member, or below none.
        for y in chain.drain(..) {
            below_member.insert(y, answer);
        }
        covered[v as usize] = answer;
    }
    covered
}

/// One class of members, while they are counted.
struct ClassAcc {
    key: ClassKey,
    count: u64,
    /// Members that are entries of the holder (see `entries`), and of those the ones reached
    /// along a list.
    entries: u64,
    linked: u64,
    self_size: u64,
    retained: u64,
    /// The member nearest the holder: (steps below it, id, node).
    nearest: (u32, u32, NodeIndex),
    members: Vec<NodeIndex>,
    /// Ids of the members that are entries, and of entries placed under another holder.
    entry_ids: Vec<u32>,
}

/// The key members are counted under: closures a generator numbers are one family.
fn breakdown_key(graph: &HeapGraph, node: NodeIndex) -> ClassKey {
    let key = classes::class_key(graph, node);
    match (key.kind, classes::numbered_family(&key.name)) {
        ("closure", Some(family)) => ClassKey { name: family, location: None, ..key },
        _ => key,
    }
}

/// Objects and functions say what leaks; strings, numbers and V8's storage are their contents.
fn is_entry_kind(kind: &str) -> bool {
    matches!(kind, "object" | "closure" | "regexp" | "native")
}

/// Where a class is defined, 1-based: a closure's own position, or an object's constructor's.
fn class_location(graph: &HeapGraph, key: &ClassKey, sample: NodeIndex) -> Option<SourceLocation> {
    match key.location {
        Some((script_id, line, column)) => Some(SourceLocation {
            script_id,
            script_name: classes::closure_script_name(graph, classes::defining_closure(graph, sample)),
            line: line + 1,
            column: column + 1,
        }),
        None => classes::class_of(graph, sample).and_then(|ctor| classes::closure_location(graph, ctor)),
    }
}

#[allow(clippy::too_many_arguments)]
fn growth_point(
    graph: &HeapGraph,
    doms: Option<&Dominators>,
    tree: &RetainerTree,
    trace: Option<&AllocationTrace>,
    covered: &[bool],
    holder: NodeIndex,
    held: &[(NodeIndex, Placement)],
    all: &std::collections::HashSet<NodeIndex>,
    older: &[u32],
    options: &DiffOptions,
) -> GrowthPoint {
    let mut index: HashMap<ClassKey, usize> = HashMap::new();
    let mut classes_held: Vec<ClassAcc> = Vec::new();
    let mut sites: HashMap<u32, u64> = HashMap::new();
    let (mut self_size, mut retained) = (0, 0);
    let (is_entry, elsewhere) = entries(graph, holder, held, all, older, options.iterations);
    for (&(node, place), &entry) in held.iter().zip(&is_entry) {
        let key = breakdown_key(graph, node);
        let slot = *index.entry(key.clone()).or_insert_with(|| {
            classes_held.push(ClassAcc {
                key,
                count: 0,
                entries: 0,
                linked: 0,
                self_size: 0,
                retained: 0,
                nearest: (u32::MAX, u32::MAX, node),
                members: Vec::new(),
                entry_ids: Vec::new(),
            });
            classes_held.len() - 1
        });
        let acc = &mut classes_held[slot];
        let size = graph.self_size(node);
        let kept = if covered[node as usize] { 0 } else { doms.map_or(0, |d| d.retained[node as usize]) };
        acc.count += 1;
        acc.entries += (entry != Entry::Contents) as u64;
        acc.linked += (entry == Entry::Linked) as u64;
        acc.self_size += size;
        acc.retained += kept;
        acc.nearest = acc.nearest.min((place.depth, graph.ids[node as usize], node));
        acc.members.push(node);
        if entry != Entry::Contents {
            acc.entry_ids.push(graph.ids[node as usize]);
        }
        self_size += size;
        retained += kept;
        if let Some(site) = trace.and_then(|t| t.site_of(node)) {
            *sites.entry(site).or_insert(0) += 1;
        }
    }
    // Entries of this holder that the retainer tree placed under another holder (an object that
    // two older objects hold, reached first through the other): they count in this holder's
    // rate too, where a class of them already hangs from it.
    for (node, entry) in elsewhere {
        if let Some(&slot) = index.get(&breakdown_key(graph, node)) {
            classes_held[slot].entries += 1;
            classes_held[slot].linked += (entry == Entry::Linked) as u64;
            classes_held[slot].entry_ids.push(graph.ids[node as usize]);
        }
    }
    // Most numerous first; on a tie, the class nearer the holder (what a timer keeps before what
    // that keeps), then by class: never by ids, which differ from run to run, so that two runs
    // of one leak list it alike.
    classes_held.sort_by(|a, b| b.count.cmp(&a.count).then(a.nearest.0.cmp(&b.nearest.0)).then(a.key.cmp(&b.key)));
    // The leading class has the most entries (what the holder gained directly, not what
    // those hold); objects and functions before strings and numbers.
    let leading = classes_held
        .iter()
        .filter(|c| is_entry_kind(c.key.kind))
        .min_by(|a, b| b.entries.cmp(&a.entries).then(b.count.cmp(&a.count)).then(a.nearest.0.cmp(&b.nearest.0)).then(a.key.cmp(&b.key)))
        .unwrap_or(&classes_held[0]);
    let sample = leading.nearest.2;
    let location = class_location(graph, &leading.key, sample);
    let max_samples = if options.max_samples == 0 { 5 } else { options.max_samples };
    let mut sample_ids: Vec<u32> = leading.members.iter().map(|&v| graph.ids[v as usize]).collect();
    sample_ids.sort_unstable();
    sample_ids.truncate(max_samples);
    let internal = classes::is_internal(graph, sample) || !tree.is_held_by_program(sample);
    let is_root = holder == ROOT || tree.parent(holder).is_none() && !tree.is_reachable(holder);
    GrowthPoint {
        name: leading.key.name.clone(),
        kind: leading.key.kind.to_string(),
        holder: holder_of(graph, holder),
        shared_with: Vec::new(),
        holder_entries: None,
        settled_promises: (leading.key.name == "Promise")
            .then(|| leading.members.iter().filter(|&&p| !promise_is_pending(graph, p)).count() as u64),
        count: held.len() as u64,
        leading_count: leading.entries.max(1),
        linked_count: leading.linked,
        count_per_iteration: options.iterations.filter(|&i| i > 0).map(|i| leading.entries.max(1) as f64 / i as f64),
        self_size,
        retained_size: retained,
        retainer_path: if is_root { Vec::new() } else { tree.path(graph, holder) },
        sample_path: tree.path_below(graph, holder, sample),
        breakdown: classes_held
            .iter()
            .take(MAX_BREAKDOWN)
            .map(|c| HeldClass {
                name: c.key.name.clone(),
                kind: c.key.kind.to_string(),
                count: c.count,
                self_size: c.self_size,
                retained_size: c.retained,
                cleanup: classes::cleanup_method(graph, c.nearest.2).map(str::to_string),
                location: is_entry_kind(c.key.kind).then(|| class_location(graph, &c.key, c.nearest.2)).flatten(),
            })
            .collect(),
        sample_ids,
        member_ids: held.iter().map(|&(v, _)| graph.ids[v as usize]).collect(),
        // The leading class's entries (its members when none is an entry): what a holder that
        // still grows keeps. Round two asks whether these live on, not all the members, whose
        // contents may be replaced as they work (a re-armed timer, a fresh Date).
        entry_ids: if leading.entry_ids.is_empty() {
            leading.members.iter().map(|&v| graph.ids[v as usize]).collect()
        } else {
            leading.entry_ids.clone()
        },
        location,
        allocation_stacks: trace.map(|t| t.top_stacks(&sites, TOP_STACKS)).unwrap_or_default(),
        traced_count: sites.values().sum(),
        internal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::AnalyzedSnapshot;
    use crate::retainers::PathStep;
    use crate::test_support::{edge, graph_from_edges, graph_of, node};

    /// An id set as a parser makes it: sorted (a test's node order need not be).
    fn ids(list: &[u32]) -> IdSnapshot {
        let mut sorted = list.to_vec();
        sorted.sort_unstable();
        IdSnapshot {
            source: "t".into(),
            ids: sorted,
            fingerprints: Vec::new(),
            node_count: list.len() as u64,
            edge_count: 0,
            total_size: 0,
            bytes: 0,
            sites: Default::default(),
        }
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
    fn one_growth_point_gathers_what_its_holder_gained() {
        let s = heap();
        let baseline = ids(&[1, 3, 5, 7, 9]);
        let target = ids(&[1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 25]);
        let surviving = surviving_nodes(&s.graph, &baseline, &target);
        assert_eq!(surviving, vec![5, 6, 7, 8, 9, 10]);
        let options = DiffOptions { iterations: Some(3), ..DiffOptions::default() };
        let grouped =
            group(&s.graph, || Some(s.dominators()), s.retainers(), &surviving, &baseline.ids, &AllocationSites::default(), &options);
        assert_eq!(grouped.internal_count, 1);
        assert_eq!(grouped.groups.len(), 1, "the Map's entries and what they hold are one growth point");
        let point = &grouped.groups[0];
        assert_eq!((point.holder.name.as_str(), point.holder.id), ("Map", 5));
        assert_eq!((point.name.as_str(), point.count, point.leading_count), ("Entry", 5, 3));
        assert_eq!(point.count_per_iteration, Some(1.0));
        let breakdown: Vec<(&str, u64)> = point.breakdown.iter().map(|c| (c.name.as_str(), c.count)).collect();
        assert_eq!(breakdown, vec![("Entry", 3), ("Payload", 2)]);
        assert_eq!(point.self_size, 290);
        // Payloads are dominated by their Entry: counted once.
        assert_eq!(point.retained_size, 290);
        let names =
            |steps: &[PathStep]| steps.iter().map(|p| if p.edge.is_empty() { p.name.clone() } else { p.edge.clone() }).collect::<Vec<_>>();
        assert_eq!(names(&point.retainer_path), vec!["global", "cache"]);
        assert_eq!(names(&point.sample_path), vec!["[2]"]);
        assert_eq!(point.sample_ids, vec![11, 13, 15]);
        let with_internals = DiffOptions { include_internals: true, ..DiffOptions::default() };
        let all = group(
            &s.graph,
            || Some(s.dominators()),
            s.retainers(),
            &surviving,
            &baseline.ids,
            &AllocationSites::default(),
            &with_internals,
        );
        assert!(all.groups.iter().any(|g| g.internal && g.name == "system / Foo"));
        let ignoring = DiffOptions { ignore: vec!["Pay".into()], ..DiffOptions::default() };
        let ignored =
            group(&s.graph, || Some(s.dominators()), s.retainers(), &surviving, &baseline.ids, &AllocationSites::default(), &ignoring);
        assert_eq!(ignored.ignored_count, 2);
    }

    /// root -> global -> list (a timer list); three new Timeouts linked one after the other
    /// (each of one hidden class), each with a callback whose context holds a new Cache.
    fn timer_parts() -> (Vec<crate::test_support::TestNode>, Vec<crate::test_support::TestEdge>) {
        let mut nodes = vec![
            node("synthetic", "", 1, 0),
            node("object", "global", 3, 10),
            node("object", "TimersList", 5, 20),
            node("object shape", "system / Map", 7, 40),
        ];
        let mut edges = vec![edge(0, "shortcut", "global", 1), edge(1, "property", "timers", 2), edge(1, "internal", "shape", 3)];
        let mut previous = 2;
        for k in 0..3u32 {
            let t = nodes.len();
            nodes.push(node("object", "Timeout", 11 + 8 * k, 40));
            nodes.push(node("closure", "check", 13 + 8 * k, 32));
            nodes.push(node("object", "system / Context", 15 + 8 * k, 24));
            nodes.push(node("object", "Cache", 17 + 8 * k, 50));
            edges.push(edge(previous, "property", "_idleNext", t));
            edges.push(edge(t, "internal", "map", 3));
            edges.push(edge(t, "property", "_onTimeout", t + 1));
            edges.push(edge(t + 1, "internal", "context", t + 2));
            edges.push(edge(t + 2, "context", "self", t + 3));
            previous = t;
        }
        (nodes, edges)
    }

    fn timers() -> AnalyzedSnapshot {
        let (nodes, edges) = timer_parts();
        AnalyzedSnapshot::new(graph_of(&nodes, &edges))
    }

    #[test]
    fn a_linked_list_of_timers_is_one_growth_point_in_both_rounds() {
        let s = timers();
        let all: Vec<u32> = s.graph.ids.clone();
        let baseline = ids(&[1, 3, 5, 7]);
        let target = ids(&all);
        let surviving = surviving_nodes(&s.graph, &baseline, &target);
        let options = DiffOptions { iterations: Some(3), ..DiffOptions::default() };
        let first =
            group(&s.graph, || Some(s.dominators()), s.retainers(), &surviving, &baseline.ids, &AllocationSites::default(), &options);
        assert_eq!(first.groups.len(), 1);
        let point = &first.groups[0];
        assert_eq!(point.holder.name, "TimersList");
        // Timeout, check() and Cache tie at 3 (contexts are V8's): the class nearest the holder leads.
        assert_eq!((point.name.as_str(), point.leading_count, point.count), ("Timeout", 3, 9));
        // Round two: the first Timeout was already there, yet holders are still judged against
        // the first baseline, so the same holder gathers what came after it.
        let round_two_baseline = ids(&all[..8]);
        let newer = surviving_nodes(&s.graph, &round_two_baseline, &target);
        let second = group(&s.graph, || None, s.retainers(), &newer, &baseline.ids, &AllocationSites::default(), &options);
        assert_eq!(second.groups.len(), 1);
        assert_eq!((second.groups[0].holder.id, second.groups[0].leading_count), (5, 2));
    }

    /// The timers of `timers()`, whose handles the program also keeps in an Array (`handles`,
    /// a property of the global object) through its elements storage.
    fn timers_kept_in_an_array() -> AnalyzedSnapshot {
        let (mut nodes, mut edges) = timer_parts();
        let (array, elements) = (nodes.len(), nodes.len() + 1);
        nodes.push(node("object", "Array", 9, 16));
        nodes.push(node("array", "", 41, 40)); // new storage: V8 replaced it as it grew
        edges.push(edge(1, "property", "handles", array));
        edges.push(edge(array, "internal", "elements", elements));
        for (k, timer) in [4usize, 8, 12].into_iter().enumerate() {
            edges.push(edge(elements, "element", &k.to_string(), timer));
        }
        AnalyzedSnapshot::new(graph_of(&nodes, &edges))
    }

    #[test]
    fn timers_kept_in_the_programs_array_are_counted_once_under_it() {
        let s = timers_kept_in_an_array();
        let all: Vec<u32> = s.graph.ids.clone();
        let baseline = ids(&[1, 3, 5, 7, 9]);
        let surviving = surviving_nodes(&s.graph, &baseline, &ids(&all));
        let options = DiffOptions { iterations: Some(3), ..DiffOptions::default() };
        let grouped =
            group(&s.graph, || Some(s.dominators()), s.retainers(), &surviving, &baseline.ids, &AllocationSites::default(), &options);
        // Node's list holds the timers as a chain; the Array holds each of them: one growth
        // point, under the Array, at the full rate, whatever road the retainer tree took.
        assert_eq!(grouped.groups.len(), 1, "{:?}", grouped.groups.iter().map(|g| &g.holder.name).collect::<Vec<_>>());
        let point = &grouped.groups[0];
        assert_eq!((point.holder.name.as_str(), point.name.as_str(), point.leading_count), ("Array", "Timeout", 3));
        assert_eq!(point.count_per_iteration, Some(1.0));
    }

    #[test]
    fn a_holders_entries_count_what_it_holds_and_the_lists_from_there() {
        let s = timers_kept_in_an_array();
        let older = [1, 3, 5, 7, 9];
        // The Array: its three timers through the elements storage.
        assert_eq!(holder_entries(&s.graph, 9, &older).map(|e| e.len()), Some(3));
        // Node's list: the first timer, and the two linked after it.
        assert_eq!(holder_entries(&s.graph, 5, &older).map(|e| e.len()), Some(3));
        let heap = heap();
        // The Map of `heap()`: five entries, whatever their age.
        assert_eq!(holder_entries(&heap.graph, 5, &[1, 3, 5, 7, 9]).map(|e| e.len()), Some(5));
        assert_eq!(holder_entries(&heap.graph, 999, &[]), None, "not in this snapshot");
    }

    /// root -> global -> module scope (a Context) -> `log`, a ConsString whose first half is
    /// the log of the round's start (id 21), and -> `ring`, an Array whose slot 0 was replaced.
    #[test]
    fn an_old_entry_kept_by_its_successor_is_a_chain_not_churn() {
        let nodes = vec![
            node("synthetic", "", 1, 0),
            node("object", "global", 3, 10),
            node("object", "system / Context", 5, 20),
            node("concatenated string", "request 2", 31, 32),
            node("concatenated string", "request 1", 21, 32),
            node("string", "request 2", 33, 24),
            node("object", "Array", 7, 20),
            node("array", "", 9, 40),
            node("object", "Line", 35, 20),
        ];
        let edges = vec![
            edge(0, "shortcut", "global", 1),
            edge(1, "property", "scope", 2),
            edge(2, "context", "log", 3),
            edge(3, "internal", "first", 4),
            edge(3, "internal", "second", 5),
            edge(2, "context", "ring", 6),
            edge(6, "internal", "elements", 7),
            edge(7, "element", "0", 8),
        ];
        let s = AnalyzedSnapshot::new(graph_of(&nodes, &edges));
        let older = [1, 3, 5, 7, 9];
        let scope = holder_entries(&s.graph, 5, &older).unwrap();
        // The scope: `log` (the old log now its first half) and `ring`: as many as at the start.
        assert_eq!(scope.len(), 2);
        assert_eq!(kept_by_successors(&s.graph, &[21, 7], &scope), 1, "the old log, kept by the new one");
        // The ring's old line (23) is gone: churn.
        let ring = holder_entries(&s.graph, 7, &older).unwrap();
        assert_eq!(kept_by_successors(&s.graph, &[23], &ring), 0);
        // Alive but kept elsewhere, not by what replaced it: churn too.
        assert_eq!(kept_by_successors(&s.graph, &[33], &ring), 0);
    }

    #[test]
    fn snapshots_of_one_process_share_their_objects_and_two_processes_do_not() {
        // One process: most of the baseline is still there, and a shared id is the same object.
        assert_eq!(shared_share(&[1, 3, 5, 7], &[1, 3, 5, 9]), 0.75);
        assert_eq!(shared_share(&[2, 4], &[6]), 1.0, "native (even) ids do not count");
        let before = [(1, 10), (129, 20), (257, 30)];
        assert_eq!(same_objects(&before, &[(1, 10), (129, 20), (257, 30), (385, 5)]), (3, 3));
        // Two processes: the same ids, other objects.
        assert_eq!(same_objects(&before, &[(1, 10), (129, 21), (257, 31)]), (1, 3));
        assert_eq!(same_objects(&before, &[(513, 1)]), (0, 0));
    }

    /// root -> global -> cache (Map) -> its hash table: a key string and a value object per entry.
    #[test]
    fn a_map_entry_counts_once_by_its_value_and_the_key_goes_with_it() {
        let mut nodes =
            vec![node("synthetic", "", 1, 0), node("object", "global", 3, 10), node("object", "Map", 5, 20), node("array", "", 7, 64)];
        let mut edges = vec![edge(0, "shortcut", "global", 1), edge(1, "property", "cache", 2), edge(2, "internal", "table", 3)];
        for k in 0..4u32 {
            let key = nodes.len();
            nodes.push(node("string", &format!("/orders/{k}"), 11 + 4 * k, 24));
            nodes.push(node("object", "Response", 13 + 4 * k, 40));
            edges.push(edge(3, "internal", &(3 + 3 * k).to_string(), key));
            edges.push(edge(3, "internal", &(4 + 3 * k).to_string(), key + 1));
        }
        let s = AnalyzedSnapshot::new(graph_of(&nodes, &edges));
        let baseline = ids(&[1, 3, 5]);
        let target = ids(&s.graph.ids.clone());
        let surviving = surviving_nodes(&s.graph, &baseline, &target);
        let options = DiffOptions { iterations: Some(4), ..DiffOptions::default() };
        let grouped =
            group(&s.graph, || Some(s.dominators()), s.retainers(), &surviving, &baseline.ids, &AllocationSites::default(), &options);
        assert_eq!(grouped.groups.len(), 1);
        let point = &grouped.groups[0];
        assert_eq!((point.holder.name.as_str(), point.name.as_str(), point.leading_count, point.count), ("Map", "Response", 4, 8));
        let value_step = point.sample_path.last().unwrap();
        assert_eq!(value_step.key.as_deref(), Some("\"/orders/0\""), "the step into a value names its key");
    }

    /// root -> global -> first (an Object holding the newest Job) and -> jobs (an Array of all
    /// three): the search reaches the newest Job through `first`, yet it is an entry of `jobs`.
    #[test]
    fn an_entry_the_tree_placed_elsewhere_still_counts_in_its_holders_rate() {
        let nodes = vec![
            node("synthetic", "", 1, 0),
            node("object", "global", 3, 10),
            node("object", "Object", 5, 20),
            node("object", "Array", 7, 20),
            node("object", "Job", 11, 30),
            node("object", "Job", 13, 30),
            node("object", "Job", 15, 30),
        ];
        let edges = vec![
            edge(0, "shortcut", "global", 1),
            edge(1, "property", "first", 2),
            edge(1, "property", "jobs", 3),
            edge(2, "property", "job", 6),
            edge(3, "element", "0", 4),
            edge(3, "element", "1", 5),
            edge(3, "element", "2", 6),
        ];
        let s = AnalyzedSnapshot::new(graph_of(&nodes, &edges));
        let baseline = ids(&[1, 3, 5, 7]);
        let target = ids(&s.graph.ids.clone());
        let surviving = surviving_nodes(&s.graph, &baseline, &target);
        let options = DiffOptions { iterations: Some(3), ..DiffOptions::default() };
        let grouped =
            group(&s.graph, || Some(s.dominators()), s.retainers(), &surviving, &baseline.ids, &AllocationSites::default(), &options);
        let jobs = grouped.groups.iter().find(|g| g.holder.id == 7).expect("the array is a growth point");
        // The job `first` holds too hangs from the Array, which holds every job directly: one
        // growth point, all three counted once, the Object named beside it.
        assert_eq!((jobs.count, jobs.leading_count, jobs.count_per_iteration), (3, 3, Some(1.0)));
        assert_eq!(grouped.groups.len(), 1);
        assert!(jobs.shared_with.is_empty(), "the Object holds one job of three: not a holder of the same objects");
    }

    /// root -> global -> byId (a Map: key string, session per entry) and -> audit (an Array
    /// of the same sessions, older than the Map, so it owns them). The search reaches the key
    /// strings through the Map's table before the sessions that hold them as `id`: yet they
    /// are part of the sessions, kept by them whichever holder goes, so one growth point.
    /// Objects each made from the one before by `Object.create` (each a map of its own) are
    /// a list by their prototype links; a class's prototype (its own `constructor`) is not a
    /// link; objects with the same own properties under other maps (a field that widened)
    /// are one shape.
    #[test]
    fn objects_made_from_the_previous_one_are_links_of_a_list() {
        let graph = graph_of(
            &[
                node("synthetic", "", 1, 0),
                node("object", "Logger", 3, 32),
                node("object", "Logger", 5, 32),
                node("object", "Logger", 7, 32),
                node("object shape", "system / Map", 9, 40),
                node("object shape", "system / Map", 11, 40),
                node("object shape", "system / Map", 13, 40),
                node("closure", "Logger", 15, 32),
                node("object", "Object", 17, 32),
                node("object", "Object", 19, 32),
                node("object", "Object", 21, 32),
            ],
            &[
                edge(0, "element", "1", 1),
                edge(1, "property", "__proto__", 2),
                edge(1, "internal", "map", 4),
                edge(2, "property", "__proto__", 3),
                edge(2, "internal", "map", 5),
                edge(3, "property", "constructor", 7),
                edge(3, "internal", "map", 6),
                edge(8, "property", "history", 9),
                edge(8, "internal", "map", 4),
                edge(9, "property", "history", 10),
                edge(9, "internal", "map", 5),
                edge(10, "internal", "map", 6),
            ],
        );
        assert_eq!(list_links(&graph, 1), vec![2], "a child logger links to its parent");
        assert_eq!(list_links(&graph, 2), Vec::<NodeIndex>::new(), "not to the class's prototype");
        assert_eq!(list_links(&graph, 8), vec![9], "the same own properties, another map");
        assert_eq!(list_links(&graph, 9), Vec::<NodeIndex>::new(), "not an object with other properties");
    }

    /// Members one edge at most leads to take their holders from the retainer tree; the
    /// others, from a pass over the heap's edges (always, without a dominator tree). Both roads
    /// must place every member alike.
    #[test]
    fn direct_owners_from_the_tree_are_those_a_pass_over_the_edges_finds() {
        let single = AnalyzedSnapshot::new(graph_from_edges(6, &[(0, 1), (1, 2), (2, 3), (2, 4), (1, 5)], &[0, 10, 20, 30, 30, 30]));
        for (s, older) in [(timers_kept_in_an_array(), vec![1, 3, 5, 7, 9]), (heap(), vec![1, 3, 5, 7, 9]), (single, vec![1, 3, 5])] {
            let members: Vec<NodeIndex> =
                (0..s.graph.node_count() as NodeIndex).filter(|&v| older.binary_search(&s.graph.ids[v as usize]).is_err()).collect();
            let by_tree = direct_owners(&s.graph, s.retainers(), Some(s.dominators()), &older, &members);
            let by_pass = direct_owners(&s.graph, s.retainers(), None, &older, &members);
            let sorted = |o: &DirectOwners| {
                let mut all: Vec<_> = o.owners.iter().map(|(m, (owner, others))| (*m, *owner, others.clone())).collect();
                all.sort();
                all
            };
            assert_eq!(sorted(&by_tree), sorted(&by_pass));
        }
    }

    #[test]
    fn objects_another_leaks_objects_hold_are_part_of_that_leak() {
        let mut nodes = vec![
            node("synthetic", "", 1, 0),
            node("object", "global", 3, 10),
            node("object", "Map", 7, 20),
            node("array", "", 9, 64),
            node("object", "Array", 5, 20),
            node("array", "", 11, 64),
        ];
        let mut edges = vec![
            edge(0, "shortcut", "global", 1),
            edge(1, "property", "byId", 2),
            edge(1, "property", "audit", 4),
            edge(2, "internal", "table", 3),
            edge(4, "internal", "elements", 5),
        ];
        for k in 0..4u32 {
            let key = nodes.len();
            nodes.push(node("string", &format!("s{k}"), 13 + 4 * k, 24));
            nodes.push(node("object", "UserSession", 15 + 4 * k, 40));
            edges.push(edge(3, "internal", &(3 + 3 * k).to_string(), key));
            edges.push(edge(3, "internal", &(4 + 3 * k).to_string(), key + 1));
            edges.push(edge(5, "element", &k.to_string(), key + 1));
            edges.push(edge(key + 1, "property", "id", key));
        }
        // The last key is a ConsString (`user${n}@host`): its parts hang from it, not from a
        // session, and go with it.
        let cons = nodes.len() - 2;
        nodes[cons] = node("concatenated string", "s3@host", 25, 32);
        for (k, part) in ["s3", "@host"].into_iter().enumerate() {
            nodes.push(node("string", part, 41 + 2 * k as u32, 24));
            edges.push(edge(cons, "internal", if k == 0 { "first" } else { "second" }, nodes.len() - 1));
        }
        let s = AnalyzedSnapshot::new(graph_of(&nodes, &edges));
        let baseline = ids(&[1, 3, 5, 7]);
        let target = ids(&s.graph.ids.clone());
        let surviving = surviving_nodes(&s.graph, &baseline, &target);
        let options = DiffOptions { iterations: Some(4), ..DiffOptions::default() };
        let grouped =
            group(&s.graph, || Some(s.dominators()), s.retainers(), &surviving, &baseline.ids, &AllocationSites::default(), &options);
        let found: Vec<_> = grouped.groups.iter().map(|g| (g.holder.name.clone(), g.name.clone(), g.count)).collect();
        assert_eq!(grouped.groups.len(), 1, "{found:?}");
        let point = &grouped.groups[0];
        assert_eq!((point.holder.id, point.name.as_str(), point.leading_count), (5, "UserSession", 4));
        assert_eq!(point.count, 10, "four sessions, their four keys and a key's two parts, counted once");
        assert_eq!(point.shared_with.iter().map(|h| h.holder.id).collect::<Vec<_>>(), vec![7], "the Map is named beside it");
    }

    #[test]
    fn numbered_generated_functions_are_one_class() {
        assert_eq!(classes::numbered_family("validate20()").as_deref(), Some("validate<n>()"));
        assert_eq!(classes::numbered_family("validate()"), None);
        assert_eq!(classes::numbered_family("v8()").as_deref(), Some("v<n>()"));
        assert_eq!(classes::numbered_family("42()"), None);
    }
}
