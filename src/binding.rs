//! The N-API edge: converts between JavaScript and the core, and nothing else. Every entry
//! point runs under `catch_panic`; every error leaves as a JS Error whose message starts with
//! its `ERR_LEAKHUNT_*` code, which `index.js` moves into `err.code`.

use crate::analysis::{self, Snapshot, SnapshotInProgress};
use crate::diff::DiffOptions;
use crate::error::{catch_panic, LeakhuntError};
use crate::progress::Progress as CoreProgress;
use crate::snapshot::{ParseMode, SnapshotParser as CoreParser};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use std::sync::Arc;

fn to_js(err: LeakhuntError) -> napi::Error {
    napi::Error::new(Status::GenericFailure, format!("{}: {}", err.code(), err))
}

fn guarded<T>(f: impl FnOnce() -> crate::error::Result<T>) -> napi::Result<T> {
    catch_panic(f).map_err(to_js)
}

fn to_value<T: serde::Serialize>(value: &T) -> napi::Result<Json> {
    serde_json::to_value(value).map(Json).map_err(|e| to_js(LeakhuntError::Internal(e.to_string())))
}

/// A report on its way to JavaScript: plain data, converted by napi's serde support.
/// (`serde_json::Value` itself lacks the `TypeName` a `Task` result needs.)
pub struct Json(serde_json::Value);

impl TypeName for Json {
    fn type_name() -> &'static str {
        "Object"
    }
    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl ToNapiValue for Json {
    unsafe fn to_napi_value(env: napi::sys::napi_env, val: Self) -> napi::Result<napi::sys::napi_value> {
        serde_json::Value::to_napi_value(env, val.0)
    }
}

fn parse_mode(mode: Option<String>) -> napi::Result<ParseMode> {
    match mode.as_deref() {
        None | Some("full") => Ok(ParseMode::Full),
        Some("ids") => Ok(ParseMode::Ids),
        Some(other) => Err(to_js(LeakhuntError::Usage(format!("mode must be 'full' or 'ids', not {other:?}")))),
    }
}

/// A parsed heap snapshot held in native memory.
#[napi]
pub struct HeapSnapshot {
    inner: Arc<Snapshot>,
}

#[napi]
impl HeapSnapshot {
    #[napi(getter)]
    pub fn node_count(&self) -> f64 {
        self.inner.node_count() as f64
    }

    #[napi(getter)]
    pub fn edge_count(&self) -> f64 {
        self.inner.edge_count() as f64
    }

    /// "full" or "ids".
    #[napi(getter)]
    pub fn mode(&self) -> String {
        match *self.inner {
            Snapshot::Full(_) => "full".into(),
            Snapshot::Ids(..) => "ids".into(),
        }
    }

    /// One object found by a chain of edge names (see `AnalyzedSnapshot::locate`), with its
    /// retainer path; null when there is no such object. Computes paths on the thread pool.
    #[napi(ts_return_type = "Promise<LocatedObject | null>")]
    pub fn locate(&self, edge_names: Vec<String>) -> AsyncTask<LocateTask> {
        AsyncTask::new(LocateTask { snapshot: self.inner.clone(), edge_names })
    }

    /// Top classes by count, self size and retained size. Computes dominators on first call,
    /// on the thread pool.
    #[napi(ts_return_type = "Promise<SnapshotSummary>")]
    pub fn summary(&self, top: Option<u32>) -> AsyncTask<SummaryTask> {
        AsyncTask::new(SummaryTask { snapshot: self.inner.clone(), top: top.unwrap_or(20) as usize })
    }
}

pub struct LocateTask {
    snapshot: Arc<Snapshot>,
    edge_names: Vec<String>,
}

impl Task for LocateTask {
    type Output = Json;
    type JsValue = Json;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let found = guarded(|| Ok(self.snapshot.full("this snapshot")?.locate(&self.edge_names)))?;
        to_value(&found)
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(output)
    }
}

pub struct SummaryTask {
    snapshot: Arc<Snapshot>,
    top: usize,
}

impl Task for SummaryTask {
    type Output = Json;
    type JsValue = Json;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let summary = guarded(|| Ok(self.snapshot.full("this snapshot")?.summary(self.top)))?;
        to_value(&summary)
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(output)
    }
}

pub struct ReadTask {
    path: String,
    mode: ParseMode,
    progress: Arc<CoreProgress>,
}

impl Task for ReadTask {
    type Output = Snapshot;
    type JsValue = HeapSnapshot;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        guarded(|| {
            self.progress.expect_bytes(std::fs::metadata(&self.path).map(|m| m.len()).unwrap_or(0));
            Snapshot::read(&self.path, self.mode, &self.progress)
        })
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(HeapSnapshot { inner: Arc::new(output) })
    }
}

/// Parses a `.heapsnapshot` file on the thread pool.
#[napi(ts_return_type = "Promise<HeapSnapshot>")]
pub fn read_snapshot(path: String, mode: Option<String>, progress: Option<&Progress>) -> napi::Result<AsyncTask<ReadTask>> {
    Ok(AsyncTask::new(ReadTask { path, mode: parse_mode(mode)?, progress: watched(progress) }))
}

/// How far a `readSnapshot` or `analyzeFiles` has got, polled from JavaScript while the work
/// runs on the thread pool (the CLI's progress bar).
#[napi]
pub struct Progress {
    inner: Arc<CoreProgress>,
}

#[napi]
impl Progress {
    #[napi(constructor)]
    pub fn new() -> Progress {
        Progress { inner: Arc::new(CoreProgress::default()) }
    }

    #[napi(getter)]
    pub fn bytes_done(&self) -> f64 {
        self.inner.bytes_done() as f64
    }

    #[napi(getter)]
    pub fn bytes_total(&self) -> f64 {
        self.inner.bytes_total() as f64
    }

    /// 'reading' | 'graph' | 'dominators' | 'retainer paths' | 'diff' | 'done'
    #[napi(getter)]
    pub fn phase(&self) -> String {
        self.inner.phase().label().to_string()
    }
}

fn watched(progress: Option<&Progress>) -> Arc<CoreProgress> {
    progress.map(|p| p.inner.clone()).unwrap_or_default()
}

#[napi(object)]
pub struct AnalyzeOptions {
    pub include_internals: Option<bool>,
    pub iterations: Option<u32>,
    pub ignore: Option<Vec<String>>,
    pub max_samples: Option<u32>,
    /// Counts only (no retained sizes): the hunt's second round.
    pub counts_only: Option<bool>,
}

fn diff_options(options: Option<AnalyzeOptions>) -> DiffOptions {
    let o =
        options.unwrap_or(AnalyzeOptions { include_internals: None, iterations: None, ignore: None, max_samples: None, counts_only: None });
    DiffOptions {
        include_internals: o.include_internals.unwrap_or(false),
        iterations: o.iterations,
        ignore: o.ignore.unwrap_or_default(),
        max_samples: o.max_samples.unwrap_or(5) as usize,
        counts_only: o.counts_only.unwrap_or(false),
    }
}

pub enum Sources {
    Files([String; 3]),
    Parsed([Arc<Snapshot>; 3]),
}

pub struct AnalyzeTask {
    sources: Sources,
    options: DiffOptions,
    progress: Arc<CoreProgress>,
}

impl Task for AnalyzeTask {
    type Output = Json;
    type JsValue = Json;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let report = guarded(|| match &self.sources {
            Sources::Files([b, t, f]) => analysis::analyze_files(b, t, f, &self.options, &self.progress),
            Sources::Parsed([b, t, f]) => analysis::analyze(b, t, f, &self.options, &self.progress),
        })?;
        to_value(&report)
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(output)
    }
}

/// The three-snapshot diff of three files, parsed and analysed on the thread pool.
#[napi(ts_return_type = "Promise<LeakReport>")]
pub fn analyze_files(
    baseline: String,
    target: String,
    final_: String,
    options: Option<AnalyzeOptions>,
    progress: Option<&Progress>,
) -> AsyncTask<AnalyzeTask> {
    AsyncTask::new(AnalyzeTask {
        sources: Sources::Files([baseline, target, final_]),
        options: diff_options(options),
        progress: watched(progress),
    })
}

/// The three-snapshot diff of snapshots already parsed (the final one in full).
#[napi(ts_return_type = "Promise<LeakReport>")]
pub fn analyze_parsed(
    baseline: &HeapSnapshot,
    target: &HeapSnapshot,
    final_: &HeapSnapshot,
    options: Option<AnalyzeOptions>,
) -> AsyncTask<AnalyzeTask> {
    AsyncTask::new(AnalyzeTask {
        sources: Sources::Parsed([baseline.inner.clone(), target.inner.clone(), final_.inner.clone()]),
        options: diff_options(options),
        progress: Arc::default(),
    })
}

/// Takes a snapshot's text in chunks (strings from the inspector, Buffers from a file or
/// `v8.getHeapSnapshot()`), so the whole text never exists in JavaScript.
#[napi]
pub struct SnapshotParser {
    parser: Option<CoreParser>,
    mode: ParseMode,
}

#[napi]
impl SnapshotParser {
    #[napi(constructor)]
    pub fn new(source: Option<String>, mode: Option<String>) -> napi::Result<SnapshotParser> {
        let mode = parse_mode(mode)?;
        let source = source.unwrap_or_else(|| "stream".to_string());
        Ok(SnapshotParser { parser: Some(CoreParser::new(&source, mode, None)), mode })
    }

    fn live(&mut self) -> napi::Result<&mut CoreParser> {
        self.parser.as_mut().ok_or_else(|| to_js(LeakhuntError::Usage("the parser was already ended".into())))
    }

    #[napi(ts_args_type = "chunk: string | Uint8Array")]
    pub fn write(&mut self, chunk: Either<String, Uint8Array>) -> napi::Result<()> {
        let parser = self.live()?;
        guarded(|| match &chunk {
            Either::A(s) => parser.write(s.as_bytes()),
            Either::B(b) => parser.write(b),
        })
    }

    #[napi(getter)]
    pub fn bytes_read(&self) -> f64 {
        self.parser.as_ref().map_or(0.0, |p| p.bytes_read() as f64)
    }

    /// Ends the input; the graph is built on the thread pool.
    #[napi(ts_return_type = "Promise<HeapSnapshot>")]
    pub fn end(&mut self) -> napi::Result<AsyncTask<FinishTask>> {
        let parser = self.parser.take().ok_or_else(|| to_js(LeakhuntError::Usage("the parser was already ended".into())))?;
        Ok(AsyncTask::new(FinishTask { parser: Some(parser), mode: self.mode }))
    }
}

pub struct FinishTask {
    parser: Option<CoreParser>,
    mode: ParseMode,
}

impl Task for FinishTask {
    type Output = Snapshot;
    type JsValue = HeapSnapshot;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let parser = self.parser.take();
        let mode = self.mode;
        guarded(move || {
            let parser = parser.ok_or_else(|| LeakhuntError::Usage("the parser was already ended".into()))?;
            Snapshot::from_parsed(parser.finish()?, mode)
        })
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(HeapSnapshot { inner: Arc::new(output) })
    }
}

/// Test-only (not exported by index.js): panics inside Rust, synchronously or on the thread
/// pool, so a test can prove that a panic becomes an error and never aborts Node.
#[napi(js_name = "__panicForTest")]
pub fn __panic_for_test(in_task: bool) -> napi::Result<Option<AsyncTask<PanicTask>>> {
    if in_task {
        return Ok(Some(AsyncTask::new(PanicTask)));
    }
    guarded(|| -> crate::error::Result<()> { panic!("deliberate test panic (sync)") })?;
    Ok(None)
}

pub struct PanicTask;

impl Task for PanicTask {
    type Output = ();
    type JsValue = ();
    fn compute(&mut self) -> napi::Result<()> {
        guarded(|| -> crate::error::Result<()> { panic!("deliberate test panic (thread pool)") })
    }
    fn resolve(&mut self, _env: Env, _output: ()) -> napi::Result<()> {
        Ok(())
    }
}

type Shared<T> = Arc<std::sync::Mutex<std::collections::HashMap<String, T>>>;

fn lock<T>(map: &Shared<T>) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, T>> {
    // A panic while holding the lock was already turned into an error; the data is still valid.
    map.lock().unwrap_or_else(|p| p.into_inner())
}

/// The native side of one `hunt()`: it owns the snapshots and the intermediate reports, so
/// that nothing of ours is created on the JS heap between the snapshots being compared. Each
/// snapshot is parsed on a thread of its own while the hunt goes on; `analyze` waits for the
/// ones it needs, off the main thread.
#[napi]
pub struct HuntSession {
    writing: Option<(String, SnapshotInProgress)>,
    parsing: Shared<SnapshotInProgress>,
    snapshots: Shared<Arc<Snapshot>>,
    reports: Shared<crate::report::LeakReport>,
}

#[napi]
impl HuntSession {
    #[napi(constructor)]
    pub fn new() -> HuntSession {
        HuntSession { writing: None, parsing: Default::default(), snapshots: Default::default(), reports: Default::default() }
    }

    #[napi]
    /// `mode`: 'full', 'ids', or 'census' (ids plus each emitter's listener counts).
    pub fn begin_snapshot(&mut self, name: String, mode: String) -> napi::Result<()> {
        let census = mode == "census";
        let mode = if census { ParseMode::Ids } else { parse_mode(Some(mode))? };
        let pending = guarded(|| SnapshotInProgress::start(&format!("in-process snapshot '{name}'"), mode, census))?;
        self.writing = Some((name, pending));
        Ok(())
    }

    #[napi]
    pub fn write(&mut self, chunk: Uint8Array) -> napi::Result<()> {
        let (_, pending) = self.writing.as_ref().ok_or_else(|| to_js(LeakhuntError::Usage("no snapshot begun".into())))?;
        guarded(|| {
            pending.write(&chunk);
            Ok(())
        })
    }

    /// Ends the input of the snapshot begun last; its parse finishes in the background.
    #[napi]
    pub fn end_snapshot(&mut self) -> napi::Result<()> {
        let (name, mut pending) = self.writing.take().ok_or_else(|| to_js(LeakhuntError::Usage("no snapshot begun".into())))?;
        pending.end_input();
        lock(&self.parsing).insert(name, pending);
        Ok(())
    }

    /// Diffs three snapshots into a report kept under `result`; resolves to its number of groups.
    /// Waits (on the thread pool) for their parses; a parse error rejects here.
    #[napi(ts_return_type = "Promise<number>")]
    pub fn analyze(
        &self,
        result: String,
        baseline: String,
        target: String,
        final_: String,
        options: Option<AnalyzeOptions>,
    ) -> napi::Result<AsyncTask<StoreReportTask>> {
        let names = [baseline, target, final_];
        {
            let parsing = lock(&self.parsing);
            let done = lock(&self.snapshots);
            if let Some(name) = names.iter().find(|n| !parsing.contains_key(*n) && !done.contains_key(*n)) {
                return Err(to_js(LeakhuntError::Usage(format!("no snapshot named {name:?}"))));
            }
        }
        Ok(AsyncTask::new(StoreReportTask {
            result,
            names,
            options: diff_options(options),
            parsing: self.parsing.clone(),
            snapshots: self.snapshots.clone(),
            reports: self.reports.clone(),
        }))
    }

    /// A snapshot whose parse `analyze` has waited for.
    fn parsed(&self, name: &str) -> napi::Result<Arc<Snapshot>> {
        let snapshots = lock(&self.snapshots);
        snapshots.get(name).cloned().ok_or_else(|| to_js(LeakhuntError::Usage(format!("no parsed snapshot named {name:?}"))))
    }

    /// The node count of a snapshot that `analyze` has waited for.
    #[napi]
    pub fn node_count(&self, snapshot: String) -> napi::Result<f64> {
        Ok(self.parsed(&snapshot)?.node_count() as f64)
    }

    /// For each group of a kept report, how many of its members are alive in a kept snapshot.
    #[napi]
    pub fn still_alive(&self, report: String, snapshot: String) -> napi::Result<Vec<f64>> {
        let s = self.parsed(&snapshot)?;
        let reports = lock(&self.reports);
        let r = reports.get(&report).ok_or_else(|| no_report(&report))?;
        guarded(|| Ok(crate::diff::still_alive(&r.leaks, &s.ids()).into_iter().map(|c| c as f64).collect()))
    }

    /// Emitters whose listener count for one event grew by `min_growth` or more between two
    /// kept snapshots parsed in full (call this only once the snapshots are all taken).
    #[napi(ts_return_type = "Array<ListenerGrowth>")]
    pub fn listener_growth(&self, earlier: String, later: String, min_growth: u32) -> napi::Result<Json> {
        to_value(&self.grown_listeners(&earlier, &later, min_growth)?)
    }

    /// How many emitter/event pairs `listener_growth` would list: a number, so that asking
    /// between snapshots puts nothing on the JS heap being measured.
    #[napi]
    pub fn listener_growth_count(&self, earlier: String, later: String, min_growth: u32) -> napi::Result<u32> {
        Ok(self.grown_listeners(&earlier, &later, min_growth)?.len() as u32)
    }

    fn grown_listeners(&self, earlier: &str, later: &str, min_growth: u32) -> napi::Result<Vec<crate::listeners::ListenerGrowth>> {
        let (a, b) = (self.parsed(earlier)?, self.parsed(later)?);
        guarded(|| {
            let before = a.listener_census().ok_or_else(|| LeakhuntError::Usage(format!("snapshot {earlier:?} has no listener census")))?;
            let b = b.full(&format!("snapshot {later:?}"))?;
            Ok(crate::listeners::growth(before, &b.graph, b.listener_census(), b.retainers(), min_growth.max(1)))
        })
    }

    /// A kept report, as plain data (call this only once the snapshots are all taken).
    #[napi(ts_return_type = "LeakReport")]
    pub fn report(&self, name: String) -> napi::Result<Json> {
        let reports = lock(&self.reports);
        let report = reports.get(&name).ok_or_else(|| no_report(&name))?;
        to_value(report)
    }

    /// Frees every snapshot and report; parses still running are cancelled.
    #[napi]
    pub fn clear(&mut self) {
        self.writing = None;
        lock(&self.parsing).clear();
        lock(&self.snapshots).clear();
        lock(&self.reports).clear();
    }
}

fn no_report(name: &str) -> napi::Error {
    to_js(LeakhuntError::Usage(format!("no report named {name:?}")))
}

pub struct StoreReportTask {
    result: String,
    names: [String; 3],
    options: DiffOptions,
    parsing: Shared<SnapshotInProgress>,
    snapshots: Shared<Arc<Snapshot>>,
    reports: Shared<crate::report::LeakReport>,
}

impl StoreReportTask {
    fn wait_for(&self, name: &str) -> crate::error::Result<Arc<Snapshot>> {
        let pending = lock(&self.parsing).remove(name);
        if let Some(pending) = pending {
            let snapshot = Arc::new(pending.finish()?);
            lock(&self.snapshots).insert(name.to_string(), snapshot);
        }
        lock(&self.snapshots).get(name).cloned().ok_or_else(|| LeakhuntError::Usage(format!("no snapshot named {name:?}")))
    }
}

impl Task for StoreReportTask {
    type Output = u32;
    type JsValue = u32;

    fn compute(&mut self) -> napi::Result<u32> {
        let report = guarded(|| {
            let [b, t, f] = &self.names;
            let (b, t, f) = (self.wait_for(b)?, self.wait_for(t)?, self.wait_for(f)?);
            analysis::analyze(&b, &t, &f, &self.options, &Default::default())
        })?;
        let groups = report.leaks.len() as u32;
        lock(&self.reports).insert(self.result.clone(), report);
        Ok(groups)
    }

    fn resolve(&mut self, _env: Env, output: u32) -> napi::Result<u32> {
        Ok(output)
    }
}
