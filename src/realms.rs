//! Realms: each vm context (a Jest test file's sandbox, a Vitest vm pool's file) is a realm of
//! its own, with its own NativeContext, global object and builtins. A finished file's realm
//! can stay alive only through something outside it: an object of the outer realm or of the
//! process (a core module's function replaced by one of the file's, a prototype the file
//! extended, a timer, a hook). This module says which realm an object belongs to, and for
//! each realm still alive, where its shortest retainer path crosses into it from outside.
//!
//! An object's realm, as V8 links it: a function's `context` chain ends at its NativeContext;
//! a plain object's map leads back to the constructor that made it (`classes::constructor_of`),
//! whose realm is the object's; a global object or proxy names its `native_context`. Strings,
//! numbers, arrays of V8's storage and code belong to no realm and are passed over.

use crate::classes::{self, SourceLocation};
use crate::dominators::Dominators;
use crate::graph::{HeapGraph, NodeIndex, ROOT};
use crate::retainers::PathStep;
use crate::snapshot::{EdgeKind, NodeKind};
use serde::Serialize;
use std::collections::HashMap;

/// Context chains are short; the bound is for hostile input.
const MAX_CONTEXT_DEPTH: usize = 256;

/// A realm found alive: the one a marker key names (`key` -> WeakRef -> weak `target`: its
/// global), and what keeps it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeptRealm {
    pub key: String,
    /// False when the snapshot holds no such marker or its global (collected after all).
    pub found: bool,
    pub global_id: u32,
    /// What this realm alone keeps: the dominator subtree of its global's highest dominator
    /// that keeps no other realm found alive (a chain's later links are their own files').
    pub own_size: u64,
    /// False when only weak references or V8's own roots reach it.
    pub held_by_program: bool,
    pub retainer_path: Vec<PathStep>,
    pub entry: Option<RealmEntry>,
    /// True when only the test runner's machinery keeps it (see `Machinery`).
    pub kept_by_runner: bool,
}

/// Where a realm's retainer path crosses from outside into a realm found alive.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RealmEntry {
    /// The key of the realm the path enters first, when not this one: this realm is kept
    /// through that one's objects (a chain, where each file's objects hold the previous one's).
    pub through_key: Option<String>,
    /// The object outside, as a program would write it: `require('fs').ReadStream`,
    /// `globalThis.fetch`, `process`; else its class and the edge.
    pub holder: String,
    pub holder_id: u32,
    /// The class or function name of the object outside.
    pub holder_name: String,
    /// The edge from the object outside into the realm, and its type.
    pub edge: String,
    pub edge_type: String,
    /// The first object of the realm on the path.
    pub first_id: u32,
    pub first_name: String,
    pub first_type: String,
    /// The function of the realm nearest the crossing (the first itself when it is one; else
    /// the constructor of the first object): the code that put the reference there.
    pub made_by: Option<String>,
    pub made_at: Option<SourceLocation>,
    /// The core module whose object (or one hung on it) the path leaves, when it is one.
    pub core_module: Option<String>,
    /// The class of the object outside.
    pub holder_class: String,
    /// The nearest object outside on the path whose class has a method that lets go of what
    /// it holds (`close`, `destroy`, `disable`, …): its class and that method.
    pub release: Option<(String, String)>,
    /// The object `release` is a method of.
    #[serde(skip)]
    pub release_node: Option<NodeIndex>,
    /// That call as the test file writes it, where a variable of the file's own code holds the
    /// object or one that owns it: `server.close()`, `app.close()`.
    pub release_call: Option<String>,
}

/// Paths from the GC roots as the realm check reads them: the retainer search's edges, less
/// every edge by which an async resource holds the AsyncLocalStorage store that was active
/// when it was made (Node's `resource[kResourceStore]`; on Node 24 the frame of all of them,
/// `resource[kAsyncContextFrame]`). A test runner keeps its per-test
/// state in such a store (jest-circus: the describe block, its hooks), and whatever Node made
/// during a test carries it: a keep-alive socket's timer until it fires, the DNS channel made
/// on first use for the life of the process. Through them a finished file looks kept by the
/// runner's bookkeeping, which neither grows nor is the user's to fix. Roots where V8 or
/// running code holds things are left out, as the retainer search puts them last, and so is
/// Node's record of each vm context (below).
struct Paths {
    parent_node: Vec<NodeIndex>,
    parent_edge: Vec<u32>,
}

/// What the first search leaves out as the test runner's machinery: Node's records of ES
/// modules (`ModuleWrap`, which Node holds through global handles while a vm module lives:
/// the runner loaded the file's modules into the context), and the runner's own functions
/// (closures of scripts under `runner_dirs`, the directories the runner was installed in),
/// with all they alone reach. A realm only they keep is the runner's doing, not the file's.
#[derive(Clone, Copy)]
struct Machinery<'a> {
    skipped: bool,
    runner_dirs: &'a [String],
}

impl Machinery<'_> {
    fn skips(&self, graph: &HeapGraph, to: NodeIndex) -> bool {
        if !self.skipped {
            return false;
        }
        match graph.kind(to) {
            NodeKind::Object => graph.name(to) == "ModuleWrap",
            NodeKind::Closure if !self.runner_dirs.is_empty() => classes::closure_script_name(graph, to).is_some_and(|script| {
                let file = script.strip_prefix("file://").unwrap_or(&script);
                self.runner_dirs.iter().any(|dir| file.starts_with(dir.as_str()))
            }),
            _ => false,
        }
    }
}

const UNSEEN: u32 = u32::MAX;

impl Paths {
    fn compute(graph: &HeapGraph, machinery: Machinery) -> Paths {
        let n = graph.node_count();
        let mut parent_node = vec![UNSEEN; n];
        let mut parent_edge = vec![UNSEEN; n];
        let mut queue = std::collections::VecDeque::new();
        parent_node[ROOT as usize] = ROOT;
        queue.push_back(ROOT);
        while let Some(node) = queue.pop_front() {
            for e in graph.edges(node) {
                let to = graph.edge_to[e];
                if parent_node[to as usize] != UNSEEN || !Paths::follows(graph, node, e, to, machinery) {
                    continue;
                }
                parent_node[to as usize] = node;
                parent_edge[to as usize] = e as u32;
                queue.push_back(to);
            }
        }
        Paths { parent_node, parent_edge }
    }

    fn follows(graph: &HeapGraph, from: NodeIndex, edge: usize, to: NodeIndex, machinery: Machinery) -> bool {
        match graph.edge_kind(edge) {
            EdgeKind::Weak => return false,
            EdgeKind::Shortcut if from != ROOT => return false,
            EdgeKind::Internal | EdgeKind::Hidden
                if !graph.edge_kind(edge).name_is_index() || graph.edge_name(edge).contains("part of key") =>
            {
                let name = graph.edge_name(edge);
                // `properties`: V8's out-of-object property store, whose slots the object's own
                // named edges already give (with the names the check must see).
                // A WeakMap value is alive only while both its key and the WeakMap are; V8 writes
                // an edge from the key to it ("37 / part of key (…) -> value (…) pair in
                // WeakMap"), and the WeakMap's own edge is the one that explains it.
                if name == "map" || name == "feedback_cell" || name == "properties" || name.contains("part of key") {
                    return false;
                }
            }
            // Node 24 keeps the stores of all AsyncLocalStorage instances in one frame per
            // resource (`resource[kAsyncContextFrame]`, a Map of instance to store).
            EdgeKind::Property
                if graph.edge_is_named(edge, "<symbol kResourceStore>") || graph.edge_is_named(edge, "<symbol kAsyncContextFrame>") =>
            {
                return false
            }
            _ => {}
        }
        if graph.kind(to) == NodeKind::Synthetic {
            let name = graph.name(to);
            if crate::retainers::is_v8_held_root(name) || matches!(name, "(Stack roots)" | "(Handle scope)" | "(Strong roots)") {
                return false;
            }
        }
        // The frame itself, where an async resource keeps it in an internal field (Node 24:
        // a native handle's AsyncWrap, the DNS channel's).
        if graph.kind(to) == NodeKind::Object && graph.name(to) == "AsyncContextFrame" {
            return false;
        }
        if machinery.skips(graph, to) {
            return false;
        }
        // Node's own record of a vm context (ContextifyContext) links to the context for as
        // long as V8 has not collected it: the machinery of every realm, never what keeps one.
        if graph.kind(to) == NodeKind::Native && graph.name(to).ends_with("Node / ContextifyContext") {
            return false;
        }
        !matches!(graph.kind(to), NodeKind::Code | NodeKind::ObjectShape)
    }

    /// The nodes from the root (left out) down to `node`; None when unreachable.
    fn nodes(&self, node: NodeIndex) -> Option<Vec<NodeIndex>> {
        let mut chain = Vec::new();
        let mut x = node;
        while x != ROOT {
            chain.push(x);
            x = self.parent_node[x as usize];
            if x == UNSEEN || chain.len() > self.parent_node.len() {
                return None;
            }
        }
        chain.reverse();
        Some(chain)
    }

    fn parent_edge(&self, node: NodeIndex) -> Option<usize> {
        let e = self.parent_edge[node as usize];
        (e != UNSEEN).then_some(e as usize)
    }

    /// A path (`nodes`) as reports show it (cut in the middle when long, as retainer paths are).
    fn steps(&self, graph: &HeapGraph, chain: &[NodeIndex]) -> Vec<PathStep> {
        crate::retainers::cut_long(chain, |x| {
            PathStep::plain(graph, self.parent_node[x as usize], self.parent_edge[x as usize] as usize, x)
        })
    }
}

/// The NativeContext a node belongs to, if it belongs to one.
pub fn native_context_of(graph: &HeapGraph, node: NodeIndex) -> Option<NodeIndex> {
    match graph.kind(node) {
        // A bound function is of its target's realm (GetFunctionRealm follows the target).
        NodeKind::Closure => match graph.edge_target(node, "context") {
            Some(context) => context_chain_end(graph, context),
            None => native_context_of(graph, classes::bound_target(graph, node)?),
        },
        NodeKind::Object | NodeKind::Hidden => {
            let name = graph.name(node);
            if name == "system / NativeContext" {
                return Some(node);
            }
            if name.starts_with("system / Context") {
                return context_chain_end(graph, node);
            }
            if let Some(native) = graph.edge_target(node, "native_context") {
                return (graph.name(native) == "system / NativeContext").then_some(native);
            }
            let ctor = classes::constructor_of(graph, node)?;
            context_chain_end(graph, graph.edge_target(ctor, "context")?)
        }
        _ => None,
    }
}

fn context_chain_end(graph: &HeapGraph, mut context: NodeIndex) -> Option<NodeIndex> {
    for _ in 0..MAX_CONTEXT_DEPTH {
        if graph.name(context) == "system / NativeContext" {
            return Some(context);
        }
        context = graph.edge_target(context, "previous")?;
    }
    None
}

/// Names by which a program reaches objects of the process: each core module's exports
/// (`require('fs')`, from Node's `BuiltinModule` records), the functions and objects hung on
/// them, and their prototypes.
struct KnownNames {
    names: HashMap<NodeIndex, (String, Option<String>)>,
    exports: HashMap<String, NodeIndex>,
}

impl KnownNames {
    fn of(graph: &HeapGraph) -> KnownNames {
        let mut names: HashMap<NodeIndex, (String, Option<String>)> = HashMap::new();
        let mut modules: Vec<(String, NodeIndex)> = Vec::new();
        // Process objects: a worker's `process` module is no BuiltinModule's exports, and Jest
        // gives each file a copy (its getters the process's own).
        let mut processes: Vec<NodeIndex> = Vec::new();
        for v in 0..graph.node_count() as NodeIndex {
            if graph.kind(v) == NodeKind::Object && graph.name(v) == "process" {
                processes.push(v);
            }
            if graph.kind(v) != NodeKind::Object || graph.name(v) != "BuiltinModule" {
                continue;
            }
            let (Some(id), Some(exports)) = (graph.edge_target(v, "id"), graph.edge_target(v, "exports")) else { continue };
            if !graph.kind(id).is_string() || graph.name(id).starts_with("internal/") {
                continue;
            }
            modules.push((graph.name(id).to_string(), exports));
        }
        // Shorter ids first: `fs` names fs.ReadStream before `fs/promises` could.
        modules.sort_by(|a, b| a.0.len().cmp(&b.0.len()).then(a.0.cmp(&b.0)));
        for (id, exports) in &modules {
            // The process object is everywhere as `process`.
            let base = module_expression(id);
            names.entry(*exports).or_insert_with(|| (base.clone(), Some(id.clone())));
        }
        for (id, exports) in &modules {
            for e in graph.edges(*exports) {
                if graph.edge_kind(e) != EdgeKind::Property {
                    continue;
                }
                let name = graph.edge_name(e);
                if name == "__proto__" {
                    continue;
                }
                let value = graph.edge_to[e];
                if !matches!(graph.kind(value), NodeKind::Object | NodeKind::Closure) {
                    continue;
                }
                let text = format!("{}.{}", module_expression(id), property_text(&name));
                if let Some(proto) = graph.edge_target(value, "prototype").filter(|_| graph.kind(value) == NodeKind::Closure) {
                    names.entry(proto).or_insert_with(|| (format!("{text}.prototype"), Some(id.clone())));
                }
                names.entry(value).or_insert_with(|| (text, Some(id.clone())));
            }
        }
        for process in processes {
            for stream in ["stdout", "stderr", "stdin"] {
                if let Some(object) = stdio_stream(graph, process, stream) {
                    names.entry(object).or_insert_with(|| (format!("process.{stream}"), Some(String::from("process"))));
                }
            }
        }
        KnownNames { names, exports: modules.into_iter().collect() }
    }

    fn exports_of(&self, module: &str) -> Option<NodeIndex> {
        self.exports.get(module).copied()
    }
}

/// `process.stdout` (and its kin), which Node defines as a getter that makes the stream on
/// first use and keeps it in a variable of its own scope (a snapshot gives an accessor as a
/// `get stdout` edge to its getter): a worker keeps its streams in an object of that scope.
fn stdio_stream(graph: &HeapGraph, process: NodeIndex, stream: &str) -> Option<NodeIndex> {
    let getter = graph.edge_target(process, &format!("get {stream}")).filter(|&g| graph.kind(g) == NodeKind::Closure)?;
    let scope = graph.edge_target(getter, "context")?;
    let object = |v: NodeIndex| (graph.kind(v) == NodeKind::Object).then_some(v);
    let variables = || graph.edges(scope).filter(|&e| graph.edge_kind(e) == EdgeKind::Context);
    variables().find(|&e| graph.edge_is_named(e, stream)).and_then(|e| object(graph.edge_to[e])).or_else(|| {
        variables().find_map(|e| object(graph.edge_to[e]).and_then(|streams| graph.edge_target(streams, stream)).and_then(object))
    })
}

/// How a program reaches a core module: `require('fs')`; the process object as `process`.
fn module_expression(id: &str) -> String {
    if id == "process" {
        String::from("process")
    } else {
        format!("require('{id}')")
    }
}

fn property_text(name: &str) -> String {
    let plain = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if plain {
        name.to_string()
    } else if let Some(symbol) = name.strip_prefix("<symbol ").and_then(|s| s.strip_suffix('>')) {
        format!("[Symbol({symbol})]")
    } else {
        format!("[{name:?}]")
    }
}

/// How a step reads after the expression of the object it leaves.
fn step_text(graph: &HeapGraph, edge: usize) -> String {
    let name = graph.edge_name(edge);
    match graph.edge_kind(edge) {
        EdgeKind::Property => format!(".{}", property_text(&name)).replace(".[", "["),
        EdgeKind::Element => format!("[{name}]"),
        EdgeKind::Context => format!(" (its variable {name})"),
        _ => format!(" ({name})"),
    }
}

/// The realms the marker keys name, found alive in this snapshot, and what keeps each.
pub fn kept_realms(graph: &HeapGraph, doms: &Dominators, keys: &[String], runner_dirs: &[String]) -> Vec<KeptRealm> {
    let globals = marked_objects(graph, keys);
    let realm_of_key: HashMap<NodeIndex, usize> =
        globals.iter().enumerate().filter_map(|(k, g)| g.and_then(|g| native_context_of(graph, g)).map(|n| (n, k))).collect();
    let own = own_sizes(graph, doms, &realm_of_key, keys.len());
    let found = globals.iter().any(Option::is_some);
    let known = found.then(|| KnownNames::of(graph));
    // A realm that only the runner's machinery keeps is found by a second search through it.
    let paths = found.then(|| Paths::compute(graph, Machinery { skipped: true, runner_dirs }));
    let unreached = |g: &Option<NodeIndex>| g.is_some_and(|g| paths.as_ref().is_some_and(|p| p.nodes(g).is_none()));
    let through_machinery = globals.iter().any(unreached).then(|| Paths::compute(graph, Machinery { skipped: false, runner_dirs }));
    let mut realms: Vec<KeptRealm> = keys
        .iter()
        .zip(&globals)
        .enumerate()
        .map(|(k, (key, global))| {
            let Some(global) = *global else {
                return KeptRealm {
                    key: key.clone(),
                    found: false,
                    global_id: 0,
                    own_size: 0,
                    held_by_program: false,
                    retainer_path: Vec::new(),
                    entry: None,
                    kept_by_runner: false,
                };
            };
            let direct = paths.as_ref().expect("computed when a realm is found");
            // The path the realm is kept by: past the runner's machinery if there is one, else
            // through it; none when nothing of the program's keeps it.
            let (paths, chain, kept_by_runner) = match direct.nodes(global) {
                Some(chain) => (direct, Some(chain), false),
                None => match through_machinery.as_ref().and_then(|p| p.nodes(global).map(|chain| (p, chain))) {
                    Some((p, chain)) => (p, Some(chain), true),
                    None => (direct, None, false),
                },
            };
            let entry = chain
                .as_deref()
                .zip(known.as_ref())
                .and_then(|(chain, known)| entry_of(graph, paths, known, &realm_of_key, keys, k, chain));
            KeptRealm {
                key: key.clone(),
                found: true,
                global_id: graph.ids[global as usize],
                own_size: own[k],
                held_by_program: chain.is_some(),
                retainer_path: chain.as_deref().map(|chain| paths.steps(graph, chain)).unwrap_or_default(),
                entry,
                kept_by_runner,
            }
        })
        .collect();
    let owners = owners_in_package(graph, realms.iter().filter_map(|r| r.entry.as_ref()?.release_node));
    for entry in realms.iter_mut().filter_map(|r| r.entry.as_mut()) {
        if let Some(&owner) = entry.release_node.and_then(|r| owners.get(&r)) {
            entry.release = release_method(graph, owner).map(|m| (classes::class_name(graph, owner), m.to_string()));
            entry.release_node = Some(owner);
        }
    }
    release_calls(graph, &mut realms, &realm_of_key);
    realms
}

/// The call that lets go, in the words of the test file: a variable of the file's own scope
/// that holds the object that lets go (`server`, what `app.listen()` returned), or holds an
/// object that owns it by a property and has a cleanup of its own, even one set on the object
/// itself (`app`, a fastify instance whose `close` its plugin loader filled in; `io`). The
/// file wrote that name; a class named from inside a package may be one it never sees. A pass
/// over the objects, one over the scopes and one over the closures, only when an entry has an
/// object that lets go.
fn release_calls(graph: &HeapGraph, realms: &mut [KeptRealm], realm_of_key: &HashMap<NodeIndex, usize>) {
    let releases: HashMap<NodeIndex, &str> =
        realms.iter().filter_map(|r| r.entry.as_ref()).filter_map(|e| Some((e.release_node?, e.release.as_ref()?.1.as_str()))).collect();
    if releases.is_empty() {
        return;
    }
    let n = graph.node_count() as NodeIndex;
    // Owners: an object with a property to one that lets go, and a cleanup of its own.
    let mut owners: HashMap<NodeIndex, (NodeIndex, &'static str)> = HashMap::new();
    for x in (0..n).filter(|&x| graph.kind(x) == NodeKind::Object) {
        let Some(released) = graph
            .edges(x)
            .filter(|&e| graph.edge_kind(e) == EdgeKind::Property)
            .map(|e| graph.edge_to[e])
            .find(|t| *t != x && releases.contains_key(t))
        else {
            continue;
        };
        if let Some(m) = release_method(graph, x).or_else(|| classes::own_cleanup_method(graph, x)) {
            owners.insert(x, (released, m));
        }
    }
    // Variables that hold one: (scope, realm, the object itself rather than an owner, call).
    let mut held: Vec<(NodeIndex, usize, bool, String)> = Vec::new();
    for scope in (0..n).filter(|&u| graph.kind(u) == NodeKind::Object && graph.name(u) == "system / Context") {
        for e in graph.edges(scope).filter(|&e| graph.edge_kind(e) == EdgeKind::Context) {
            let target = graph.edge_to[e];
            let (released, method, direct) = match (releases.get(&target), owners.get(&target)) {
                (Some(m), _) => (target, *m, true),
                (None, Some(&(released, m))) => (released, m, false),
                (None, None) => continue,
            };
            let name = graph.edge_name(e);
            if name == "this" || name.starts_with('.') || name.starts_with('#') {
                continue;
            }
            let Some(&k) = native_context_of(graph, scope).and_then(|c| realm_of_key.get(&c)) else { continue };
            if realms[k].entry.as_ref().is_some_and(|entry| entry.release_node == Some(released)) {
                held.push((scope, k, direct, format!("{name}.{method}()")));
            }
        }
    }
    if held.is_empty() {
        return;
    }
    // The file's own code, not a package's: a package loaded into the file's sandbox runs in
    // its realm too (fastify keeps its server in a variable of its factory's scope).
    let program = classes::program_scopes(graph, &held.iter().map(|h| h.0).collect());
    let mut calls: HashMap<usize, (bool, String)> = HashMap::new();
    for (scope, k, direct, call) in held {
        if program.contains(&scope) && calls.get(&k).is_none_or(|(was_direct, _)| direct && !was_direct) {
            calls.insert(k, (direct, call));
        }
    }
    for (k, (_, call)) in calls {
        if let Some(entry) = realms[k].entry.as_mut() {
            entry.release_call = Some(call);
        }
    }
}

/// The object a user holds, for a package's object that lets go of a timer or a listener:
/// a package keeps what it starts in objects of its own (node-cron's `Scheduler`), owned by
/// the one it hands out (`ScheduledTask`, whose `stop()` stops the scheduler). So: the
/// object that holds it by a property, is of the same package and has a cleanup method of its
/// own, followed up twice. One pass over the edges per level, for every realm at once.
fn owners_in_package(graph: &HeapGraph, released: impl Iterator<Item = NodeIndex>) -> HashMap<NodeIndex, NodeIndex> {
    // By the prototype's constructor: a derived class's instances have the map of its base
    // (an EventEmitter's), and it is the class, not its base, whose package counts.
    let package = |v: NodeIndex| {
        let ctor = graph
            .edge_target(v, "__proto__")
            .and_then(|p| graph.edge_target(p, "constructor"))
            .filter(|&c| graph.kind(c) == NodeKind::Closure)
            .or_else(|| classes::constructor_of(graph, v))?;
        let script = classes::closure_script_name(graph, ctor)?;
        let at = script.rfind("node_modules/").or_else(|| script.rfind("node_modules\\"))?;
        let rest = &script[at + "node_modules/".len()..];
        let mut parts = rest.split(['/', '\\']);
        let first = parts.next()?;
        let name = if first.starts_with('@') { format!("{first}/{}", parts.next()?) } else { first.to_string() };
        Some(format!("{}{name}", &script[..at]))
    };
    let mut owner: HashMap<NodeIndex, NodeIndex> = HashMap::new();
    let mut frontier: HashMap<NodeIndex, (NodeIndex, String)> = HashMap::new();
    for r in released {
        if let Some(p) = package(r) {
            frontier.insert(r, (r, p));
        }
    }
    for _ in 0..2 {
        if frontier.is_empty() {
            break;
        }
        let mut next: HashMap<NodeIndex, (NodeIndex, String)> = HashMap::new();
        for v in 0..graph.node_count() as NodeIndex {
            if graph.kind(v) != NodeKind::Object {
                continue;
            }
            for e in graph.edges(v) {
                let Some((origin, pkg)) = frontier.get(&graph.edge_to[e]) else { continue };
                if graph.edge_kind(e) != EdgeKind::Property || graph.edge_to[e] == v || next.contains_key(&v) {
                    continue;
                }
                if release_method(graph, v).is_some() && package(v).as_deref() == Some(pkg.as_str()) {
                    owner.insert(*origin, v);
                    next.insert(v, (*origin, pkg.clone()));
                }
            }
        }
        frontier = next;
    }
    owner
}

/// The object each marker names: the only edge named `key`, to a WeakRef, whose `target` it
/// is. One pass over the strings and one over the edges, whatever the number of keys (a
/// suite's hundreds of files), comparing string indices.
fn marked_objects(graph: &HeapGraph, keys: &[String]) -> Vec<Option<NodeIndex>> {
    let wanted: HashMap<&str, usize> = keys.iter().enumerate().map(|(k, key)| (key.as_str(), k)).collect();
    let mut key_of_string: HashMap<u32, usize> = HashMap::new();
    for i in 0..graph.strings.len() as u32 {
        if let Some(&k) = wanted.get(graph.strings.get(i)) {
            key_of_string.insert(i, k);
        }
    }
    // The edge of each key; a key named by two edges is not a marker (u32::MAX).
    let mut edge_of = vec![None::<usize>; keys.len()];
    let mut ambiguous = vec![false; keys.len()];
    if !key_of_string.is_empty() {
        for e in 0..graph.edge_count() {
            if graph.edge_kind(e).name_is_index() {
                continue;
            }
            if let Some(&k) = key_of_string.get(&graph.edge_name_or_index(e)) {
                ambiguous[k] |= edge_of[k].is_some();
                edge_of[k] = Some(e);
            }
        }
    }
    edge_of
        .iter()
        .zip(&ambiguous)
        .map(|(e, &twice)| e.filter(|_| !twice).and_then(|e| graph.edge_target(graph.edge_to[e], "target")))
        .collect()
}

/// What each realm alone keeps (see `KeptRealm::own_size`): each object goes to the realm
/// of its nearest dominator (itself included) that belongs to a realm found alive, in one
/// pass down the dominator tree. A realm's objects are richly linked (every function reaches
/// its NativeContext), so no one object of it dominates the rest; what no outside path
/// reaches but through the realm's objects is its. A chain's earlier links, which the later
/// ones dominate, stay their own files'. Objects of the outer realm held only through a
/// realm (Jest's Runtime of that file, its module registry) are that realm's.
fn own_sizes(graph: &HeapGraph, doms: &Dominators, realm_of_key: &HashMap<NodeIndex, usize>, count: usize) -> Vec<u64> {
    let mut own = vec![0u64; count];
    if realm_of_key.is_empty() {
        return own;
    }
    const NO_REALM: u32 = u32::MAX;
    let mut owner = vec![NO_REALM; graph.node_count()];
    for &v in &doms.order {
        let tagged = match graph.kind(v) {
            NodeKind::Closure | NodeKind::Object | NodeKind::Hidden => native_context_of(graph, v).and_then(|n| realm_of_key.get(&n)),
            _ => None,
        };
        let o = match tagged {
            Some(&k) => k as u32,
            None if v == ROOT => NO_REALM,
            None => owner[doms.idom[v as usize] as usize],
        };
        owner[v as usize] = o;
        if o != NO_REALM {
            own[o as usize] += graph.self_size(v);
        }
    }
    own
}

fn entry_of(
    graph: &HeapGraph,
    tree: &Paths,
    known: &KnownNames,
    realm_of_key: &HashMap<NodeIndex, usize>,
    keys: &[String],
    k: usize,
    chain: &[NodeIndex],
) -> Option<RealmEntry> {
    let (crossing, entered) = chain
        .iter()
        .enumerate()
        .find_map(|(i, &v)| native_context_of(graph, v).and_then(|n| realm_of_key.get(&n)).map(|&realm| (i, realm)))?;
    let first = chain[crossing];
    let edge = tree.parent_edge(first)?;
    let outside = &chain[..crossing];
    let holder_node = *outside.last()?;
    let (holder, core_module) = holder_expression(graph, tree, known, outside, edge);
    let maker = chain[crossing..]
        .iter()
        .copied()
        .find(|&v| graph.kind(v) == NodeKind::Closure)
        .filter(|_| graph.kind(first) == NodeKind::Closure)
        .or_else(|| classes::constructor_of(graph, first))
        .or_else(|| chain[crossing..].iter().copied().find(|&v| graph.kind(v) == NodeKind::Closure));
    let maker = maker.map(|m| classes::defining_closure(graph, m));
    // Not past an object a core module names (process.stdout, http.globalAgent): it is every
    // file's, and closing it is no fix; taking back what the file gave it is.
    let outside_release = outside
        .iter()
        .rev()
        .take(8)
        .take_while(|v| !known.names.contains_key(v))
        .find_map(|&v| release_method(graph, v).map(|m| (v, classes::class_name(graph, v), m.to_string())));
    let release = match outside_release {
        Some((_, ref class, _)) if class != "Timeout" => outside_release,
        _ => maker.and_then(|m| release_in_scope(graph, chain[crossing], m)).or(outside_release),
    };
    Some(RealmEntry {
        through_key: (entered != k).then(|| keys[entered].clone()),
        holder,
        holder_id: graph.ids[holder_node as usize],
        holder_name: classes::display_name(graph, holder_node),
        edge: graph.edge_name(edge).into_owned(),
        edge_type: graph.layout.edge_type_names[graph.edge_type(edge) as usize].clone(),
        first_id: graph.ids[first as usize],
        first_name: classes::display_name(graph, first),
        first_type: graph.layout.node_type_names[graph.types[first as usize] as usize].clone(),
        made_by: maker.map(|m| graph.name(m).to_string()),
        made_at: maker.and_then(|m| classes::closure_location(graph, m)),
        core_module,
        holder_class: classes::class_name(graph, holder_node),
        release: release.as_ref().map(|(_, class, method)| (class.clone(), method.clone())),
        release_node: release.map(|(v, _, _)| v),
        release_call: None,
    })
}

/// What a callback the file handed out (a timer's, a listener) works on, when that has a
/// cleanup method: the `this` a bound function was bound to, or an object in the scope of the
/// function that made it (an arrow function's `this`, a variable). A timer's own `close()` is
/// no fix a user can write; the pool's `destroy()` that stops the timer is.
fn release_in_scope(graph: &HeapGraph, handed_out: NodeIndex, maker: NodeIndex) -> Option<(NodeIndex, String, String)> {
    let found = |v: NodeIndex| release_method(graph, v).map(|m| (v, classes::class_name(graph, v), m.to_string()));
    if let Some(this) = graph.edge_target(handed_out, "bound_this") {
        if let Some(r) = found(this) {
            return Some(r);
        }
    }
    let mut scope = graph.edge_target(maker, "context");
    for _ in 0..2 {
        let context = scope?;
        if let Some(r) = graph.edges(context).filter(|&e| graph.edge_kind(e) == EdgeKind::Context).find_map(|e| found(graph.edge_to[e])) {
            return Some(r);
        }
        scope = graph.edge_target(context, "previous");
    }
    None
}

/// The method that lets an object go of what it holds: a cleanup method, or `disable` where
/// the prototype pairs it with `enable` (an async hook, a diagnostics subscription's kin).
fn release_method(graph: &HeapGraph, object: NodeIndex) -> Option<&'static str> {
    if graph.kind(object) != NodeKind::Object {
        return None;
    }
    if let Some(m) = classes::cleanup_method(graph, object) {
        return Some(m);
    }
    let mut proto = graph.edge_target(object, "__proto__")?;
    for _ in 0..6 {
        let has = |m: &str| graph.edge_target(proto, m).is_some_and(|f| graph.kind(f) == NodeKind::Closure);
        if has("enable") && has("disable") {
            return Some("disable");
        }
        proto = graph.edge_target(proto, "__proto__")?;
    }
    None
}

/// The object outside as a program would write it: from the last object on the way that has
/// a name of its own (a core module's exports or what hangs on them), the steps after it;
/// else the object's class and the edge into the realm.
fn holder_expression(graph: &HeapGraph, tree: &Paths, known: &KnownNames, outside: &[NodeIndex], edge: usize) -> (String, Option<String>) {
    let named = outside.iter().rposition(|v| known.names.contains_key(v));
    // A variable of a core module's own scope that the module's exports set and get by that
    // name (lib/fs.js keeps `ReadStream` so: `fs.ReadStream = X` stores X there).
    if graph.edge_kind(edge) == EdgeKind::Context {
        let variable = graph.edge_name(edge);
        if let Some(module) = named.and_then(|at| known.names[&outside[at]].1.clone()) {
            let exported = known.exports_of(&module).is_some_and(|exports| graph.edges(exports).any(|e| graph.edge_is_named(e, &variable)));
            if exported {
                return (format!("{}.{}", module_expression(&module), property_text(&variable)), Some(module));
            }
        }
    }
    match named {
        Some(at) => {
            let (base, module) = &known.names[&outside[at]];
            let mut text = base.clone();
            for &v in &outside[at + 1..] {
                if let Some(e) = tree.parent_edge(v) {
                    text.push_str(&step_text(graph, e));
                }
            }
            text.push_str(&step_text(graph, edge));
            (text, module.clone())
        }
        None => {
            let holder = *outside.last().expect("a crossing has an object before it");
            let name = if holder == ROOT { String::from("(GC roots)") } else { classes::display_name(graph, holder) };
            // Outside every test file, an object of class `process` is the process itself
            // (a Jest file's own process object is of its realm, so inside).
            let core = (graph.kind(holder) == NodeKind::Object && name == "process").then(|| String::from("process"));
            (format!("{name}{}", step_text(graph, edge)), core)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{edge, graph_of, node};

    /// An outer object (`fs` as a package left it) holds a function of a finished test file's
    /// realm; the file's global is found through its marker's WeakRef.
    fn kept_file() -> HeapGraph {
        graph_of(
            &[
                node("synthetic", "", 1, 0),                        // 0
                node("object", "Object", 3, 40),                    // 1 the outer object
                node("closure", "wrapped", 5, 32),                  // 2 the file's function
                node("object", "system / Context", 7, 64),          // 3 its scope
                node("hidden", "system / NativeContext", 9, 1000),  // 4 the file's realm
                node("object", "global", 11, 100),                  // 5 the file's global
                node("object", "Object", 13, 24),                   // 6 the marker's holder
                node("object", "WeakRef", 15, 24),                  // 7
                node("object", "Array", 17, 5000),                  // 8 the file's data
                node("closure", "other", 19, 32),                   // 9 another file's function
                node("object", "system / Context", 21, 64),         // 10
                node("hidden", "system / NativeContext", 23, 1000), // 11 a realm not asked about
            ],
            &[
                edge(0, "element", "1", 1),
                edge(0, "element", "2", 6),
                edge(1, "property", "close", 2),
                edge(2, "internal", "context", 3),
                edge(3, "internal", "previous", 4),
                edge(3, "context", "rows", 8),
                edge(4, "internal", "global_proxy_object", 5),
                edge(5, "internal", "native_context", 4),
                edge(6, "property", "leakhunt:sandbox:1", 7),
                edge(7, "weak", "target", 5),
                edge(1, "property", "other", 9),
                edge(9, "internal", "context", 10),
                edge(10, "internal", "previous", 11),
            ],
        )
    }

    #[test]
    fn an_object_belongs_to_the_realm_its_functions_context_chain_ends_in() {
        let graph = kept_file();
        assert_eq!(native_context_of(&graph, 2), Some(4));
        assert_eq!(native_context_of(&graph, 3), Some(4));
        assert_eq!(native_context_of(&graph, 5), Some(4));
        assert_eq!(native_context_of(&graph, 9), Some(11));
        assert_eq!(native_context_of(&graph, 8), None, "V8's storage belongs to no realm");
    }

    #[test]
    fn says_where_the_path_crosses_into_a_kept_realm_and_what_the_realm_alone_keeps() {
        let graph = kept_file();
        let doms = crate::dominators::compute(&graph);
        let keys = vec!["leakhunt:sandbox:1".to_string(), "leakhunt:sandbox:2".to_string()];
        let kept = kept_realms(&graph, &doms, &keys, &[]);
        assert!(kept[0].found && kept[0].held_by_program);
        assert!(!kept[1].found, "a key the snapshot does not hold");
        let entry = kept[0].entry.as_ref().expect("a crossing");
        assert_eq!(entry.holder, "Object.close");
        assert_eq!((entry.first_name.as_str(), entry.made_by.as_deref()), ("wrapped()", Some("wrapped")));
        assert_eq!(entry.through_key, None);
        // The function, its scope, the realm, its global and the data the scope holds.
        assert_eq!(kept[0].own_size, 32 + 64 + 1000 + 100 + 5000);
    }
}
