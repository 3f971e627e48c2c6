//! The N-API edge: converts between JavaScript and the core, and nothing else. Every entry
//! point runs under `catch_panic`; every error leaves as a JS Error whose message starts with
//! its `ERR_LEAKHUNT_*` code, which `index.js` moves into `err.code`.

use crate::analysis::{self, AnalyzedSnapshot, Snapshot, Watermark};
use crate::background::ChunkSink;
use crate::diff::DiffOptions;
use crate::error::{catch_panic, LeakhuntError};
use crate::inspector::Inspector;
use crate::progress::Progress as CoreProgress;
use crate::sampling::{GrowthOptions, ProfileSeries as CoreProfiles};
use crate::session::{Analyzer, HuntSession as CoreSession, SnapshotMode};
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
            Snapshot::Watermark(_) => "watermark".into(),
        }
    }

    /// One object found by a chain of edge names (see `AnalyzedSnapshot::locate`), with its
    /// retainer path; null when there is no such object. Computes paths on the thread pool.
    #[napi(ts_return_type = "Promise<LocatedObject | null>")]
    pub fn locate(&self, edge_names: Vec<String>) -> AsyncTask<QueryTask> {
        QueryTask::new(&self.inner, move |s| s.locate(&edge_names))
    }

    /// The realms (vm contexts: finished test files' sandboxes) that marker keys name and
    /// that are still alive, each with what keeps it from outside; `runner_dirs`: where the
    /// test runner is installed (its functions are its machinery). On the thread pool.
    #[napi(ts_return_type = "Promise<KeptRealm[]>")]
    pub fn kept_realms(&self, keys: Vec<String>, runner_dirs: Option<Vec<String>>) -> AsyncTask<QueryTask> {
        let dirs = runner_dirs.unwrap_or_default();
        QueryTask::new(&self.inner, move |s| s.kept_realms(&keys, &dirs))
    }

    /// Top classes by count, self size and retained size. Computes dominators on first call,
    /// on the thread pool.
    #[napi(ts_return_type = "Promise<SnapshotSummary>")]
    pub fn summary(&self, top: Option<u32>) -> AsyncTask<QueryTask> {
        let top = top.unwrap_or(20) as usize;
        QueryTask::new(&self.inner, move |s| s.summary(top))
    }
}

/// A question about one snapshot parsed in full, answered as plain data.
type Question = Box<dyn Fn(&AnalyzedSnapshot) -> napi::Result<Json> + Send>;

/// A `Question` answered on the thread pool.
pub struct QueryTask {
    snapshot: Arc<Snapshot>,
    ask: Question,
}

impl QueryTask {
    fn new<T: serde::Serialize>(snapshot: &Arc<Snapshot>, ask: impl Fn(&AnalyzedSnapshot) -> T + Send + 'static) -> AsyncTask<QueryTask> {
        AsyncTask::new(QueryTask { snapshot: snapshot.clone(), ask: Box::new(move |s| to_value(&ask(s))) })
    }
}

impl Task for QueryTask {
    type Output = Json;
    type JsValue = Json;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        guarded(|| Ok((self.ask)(self.snapshot.full("this snapshot")?)))?
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
    /// What only running code holds is the caller's own (a hunt's snapshots).
    pub own_stack: Option<bool>,
}

fn diff_options(options: Option<AnalyzeOptions>) -> DiffOptions {
    let o = options.unwrap_or(AnalyzeOptions {
        include_internals: None,
        iterations: None,
        ignore: None,
        max_samples: None,
        counts_only: None,
        own_stack: None,
    });
    DiffOptions {
        include_internals: o.include_internals.unwrap_or(false),
        iterations: o.iterations,
        ignore: o.ignore.unwrap_or_default(),
        max_samples: o.max_samples.unwrap_or(5) as usize,
        counts_only: o.counts_only.unwrap_or(false),
        own_stack: o.own_stack.unwrap_or(false),
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
            Sources::Parsed([b, t, f]) => analysis::analyze(b, t, f, None, &self.options, &self.progress),
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

/// Two rounds offline: four snapshots parsed already (the last two in full).
pub struct TwoRoundsTask {
    snapshots: [Arc<Snapshot>; 4],
    options: DiffOptions,
}

impl Task for TwoRoundsTask {
    type Output = Json;
    type JsValue = Json;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let [b, t, f, c] = &self.snapshots;
        to_value(&guarded(|| analysis::analyze_two_rounds([b, t, f, c], &self.options, &Default::default()))?)
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(output)
    }
}

/// Round one of the baseline, target and final snapshots, and round two from the final to the
/// `confirm` snapshot: `{ first, grown, persisted }`, for the same verdict a hunt gives.
#[napi(ts_return_type = "Promise<{ first: LeakReport; grown: LeakReport; persisted: number[] }>")]
pub fn analyze_rounds(
    baseline: &HeapSnapshot,
    target: &HeapSnapshot,
    final_: &HeapSnapshot,
    confirm: &HeapSnapshot,
    options: Option<AnalyzeOptions>,
) -> AsyncTask<TwoRoundsTask> {
    let snapshots = [baseline.inner.clone(), target.inner.clone(), final_.inner.clone(), confirm.inner.clone()];
    AsyncTask::new(TwoRoundsTask { snapshots, options: diff_options(options) })
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

/// One `hunt()`'s snapshots and reports (`session::HuntSession`); this only converts.
#[napi]
pub struct HuntSession {
    inner: CoreSession,
}

#[napi]
impl HuntSession {
    #[napi(constructor)]
    pub fn new() -> HuntSession {
        HuntSession { inner: CoreSession::new() }
    }

    /// `mode`: 'full', 'ids', or 'census' (ids plus each emitter's listener counts).
    #[napi]
    pub fn begin_snapshot(&mut self, name: String, mode: String) -> napi::Result<()> {
        guarded(|| self.inner.begin_snapshot(&name, SnapshotMode::from_name(&mode)?))
    }

    #[napi]
    pub fn write(&mut self, chunk: Uint8Array) -> napi::Result<()> {
        guarded(|| self.inner.write(&chunk))
    }

    /// Ends the input of the snapshot begun last; its parse finishes in the background.
    #[napi]
    pub fn end_snapshot(&mut self) -> napi::Result<()> {
        guarded(|| self.inner.end_snapshot())
    }

    /// Keeps an object-id watermark under `name`, to stand for a baseline or target in
    /// `analyze`: V8's `lastSeenObjectId` after a heap walk, and the objects and bytes the walk
    /// counted.
    #[napi]
    pub fn watermark(&mut self, name: String, last_seen_object_id: u32, object_count: f64, total_size: f64) -> napi::Result<()> {
        guarded(|| {
            self.inner
                .watermark(&name, Watermark { last_seen_object_id, object_count: object_count as u64, total_size: total_size as u64 });
            Ok(())
        })
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
        holders_from: Option<String>,
    ) -> napi::Result<AsyncTask<StoreReportTask>> {
        let analyzer = guarded(|| self.inner.analyzer(&[&baseline, &target, &final_]))?;
        let (names, options) = ([baseline, target, final_], diff_options(options));
        Ok(AsyncTask::new(StoreReportTask { analyzer, result, names, holders_from, options }))
    }

    /// The node count of a snapshot that `analyze` has waited for.
    #[napi]
    pub fn node_count(&self, snapshot: String) -> napi::Result<f64> {
        guarded(|| Ok(self.inner.node_count(&snapshot)? as f64))
    }

    /// For each group of a kept report, how many of its members are alive in a kept snapshot.
    #[napi]
    pub fn still_alive(&self, report: String, snapshot: String) -> napi::Result<Vec<f64>> {
        guarded(|| Ok(self.inner.still_alive(&report, &snapshot)?.into_iter().map(|c| c as f64).collect()))
    }

    /// Emitters whose listener count for one event grew by `min_growth` or more between two
    /// kept snapshots parsed in full (call this only once the snapshots are all taken).
    #[napi(ts_return_type = "Array<ListenerGrowth>")]
    pub fn listener_growth(&self, earlier: String, later: String, min_growth: u32) -> napi::Result<Json> {
        to_value(&guarded(|| self.inner.listener_growth(&earlier, &later, min_growth))?)
    }

    /// How many emitter/event pairs `listener_growth` would list: a number, so that asking
    /// between snapshots puts nothing on the JS heap being measured.
    #[napi]
    pub fn listener_growth_count(&self, earlier: String, later: String, min_growth: u32) -> napi::Result<u32> {
        guarded(|| Ok(self.inner.listener_growth(&earlier, &later, min_growth)?.len() as u32))
    }

    /// How many emitter/event lists of `later` may have gained `min_growth` listeners or more
    /// since the watermark `mark` (no census of that time exists): a number, as above.
    #[napi]
    pub fn listeners_that_may_have_grown(&self, mark: String, later: String, min_growth: u32) -> napi::Result<u32> {
        guarded(|| self.inner.listeners_that_may_have_grown(&mark, &later, min_growth))
    }

    /// How many values of a kept report may grow in bytes: a number, as above.
    #[napi]
    pub fn growing_value_count(&self, report: String) -> napi::Result<u32> {
        guarded(|| self.inner.growing_value_count(&report))
    }

    /// A kept report's values that may grow in bytes (call this only once the snapshots are all
    /// taken).
    #[napi(ts_return_type = "Array<GrowingValue>")]
    pub fn growing_values(&self, report: String) -> napi::Result<Json> {
        to_value(&guarded(|| self.inner.growing_values(&report))?)
    }

    /// Each growing value of a kept report as a later snapshot holds it (null where it is
    /// gone). Waits (on the thread pool) for that snapshot's parse.
    #[napi(ts_return_type = "Promise<Array<ValueSize | null>>")]
    pub fn measure_values(&self, report: String, snapshot: String) -> napi::Result<AsyncTask<MeasureValuesTask>> {
        let analyzer = guarded(|| self.inner.analyzer(&[&snapshot, &snapshot, &snapshot]))?;
        Ok(AsyncTask::new(MeasureValuesTask { analyzer, report, snapshot }))
    }

    /// A kept report, as plain data (call this only once the snapshots are all taken).
    #[napi(ts_return_type = "LeakReport")]
    pub fn report(&self, name: String) -> napi::Result<Json> {
        guarded(|| self.inner.with_report(&name, to_value))?
    }

    /// Frees every snapshot and report; parses still running are cancelled.
    #[napi]
    pub fn clear(&mut self) {
        self.inner.clear();
    }
}

pub struct MeasureValuesTask {
    analyzer: Analyzer,
    report: String,
    snapshot: String,
}

impl Task for MeasureValuesTask {
    type Output = Json;
    type JsValue = Json;

    fn compute(&mut self) -> napi::Result<Json> {
        to_value(&guarded(|| self.analyzer.measure_values(&self.report, &self.snapshot))?)
    }

    fn resolve(&mut self, _env: Env, output: Json) -> napi::Result<Json> {
        Ok(output)
    }
}

pub struct StoreReportTask {
    analyzer: Analyzer,
    result: String,
    names: [String; 3],
    holders_from: Option<String>,
    options: DiffOptions,
}

impl Task for StoreReportTask {
    type Output = u32;
    type JsValue = u32;

    fn compute(&mut self) -> napi::Result<u32> {
        guarded(|| self.analyzer.analyze(&self.result, &self.names, self.holders_from.as_deref(), &self.options))
    }

    fn resolve(&mut self, _env: Env, output: u32) -> napi::Result<u32> {
        Ok(output)
    }
}

/// A remote target's inspector (`inspector::Inspector`), used from the thread pool: each
/// command is a task, and one task at a time holds the connection.
#[napi]
pub struct RemoteInspector {
    inner: Arc<std::sync::Mutex<Option<Inspector>>>,
}

fn with_inspector<T>(
    inner: &Arc<std::sync::Mutex<Option<Inspector>>>,
    f: impl FnOnce(&mut Inspector) -> crate::error::Result<T>,
) -> crate::error::Result<T> {
    let mut guard = inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let inspector = guard.as_mut().ok_or_else(|| LeakhuntError::Inspector("the inspector connection is closed".into()))?;
    f(inspector)
}

pub enum InspectorWork {
    Connect(String),
    Call(String, String),
    Snapshot(ChunkSink),
    HeapWalk(bool),
    StopTracking(ChunkSink),
    Close,
}

pub struct InspectorTask {
    inner: Arc<std::sync::Mutex<Option<Inspector>>>,
    work: Option<InspectorWork>,
}

impl Task for InspectorTask {
    type Output = String;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let inner = self.inner.clone();
        let work = self.work.take();
        guarded(move || match work {
            Some(InspectorWork::Connect(url)) => {
                let inspector = Inspector::connect(&url)?;
                *inner.lock().unwrap_or_else(|p| p.into_inner()) = Some(inspector);
                Ok(String::new())
            }
            Some(InspectorWork::Call(method, params)) => {
                let params: serde_json::Value = serde_json::from_str(&params)
                    .map_err(|e| LeakhuntError::Usage(format!("the parameters of {method} are not JSON: {e}")))?;
                with_inspector(&inner, |i| i.call(&method, params)).map(|v| v.to_string())
            }
            Some(InspectorWork::Snapshot(sink)) => with_inspector(&inner, |i| {
                i.take_snapshot(&mut |chunk| {
                    sink.write(chunk);
                    Ok(())
                })
            })
            .map(|bytes| bytes.to_string()),
            Some(InspectorWork::HeapWalk(fresh)) => with_inspector(&inner, |i| i.heap_walk(fresh))
                .and_then(|walk| serde_json::to_string(&walk).map_err(|e| LeakhuntError::Internal(e.to_string()))),
            Some(InspectorWork::StopTracking(sink)) => with_inspector(&inner, |i| {
                i.stop_tracking_into(&mut |chunk| {
                    sink.write(chunk);
                    Ok(())
                })
            })
            .map(|bytes| bytes.to_string()),
            Some(InspectorWork::Close) => {
                if let Some(mut inspector) = inner.lock().unwrap_or_else(|p| p.into_inner()).take() {
                    inspector.close();
                }
                Ok(String::new())
            }
            None => Err(LeakhuntError::Internal("an inspector task ran twice".into())),
        })
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(output)
    }
}

#[napi]
impl RemoteInspector {
    #[napi(constructor)]
    pub fn new() -> RemoteInspector {
        RemoteInspector { inner: Arc::new(std::sync::Mutex::new(None)) }
    }

    fn task(&self, work: InspectorWork) -> AsyncTask<InspectorTask> {
        AsyncTask::new(InspectorTask { inner: self.inner.clone(), work: Some(work) })
    }

    /// Connects to `ws://…`.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn connect(&self, url: String) -> AsyncTask<InspectorTask> {
        self.task(InspectorWork::Connect(url))
    }

    /// Sends a command (params as JSON); resolves to its result as JSON.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn call(&self, method: String, params_json: String) -> AsyncTask<InspectorTask> {
        self.task(InspectorWork::Call(method, params_json))
    }

    /// Takes a heap snapshot into the snapshot `session` has begun; resolves to its size in
    /// bytes (as a string). The chunks never reach JavaScript.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn snapshot_into(&self, session: &HuntSession) -> napi::Result<AsyncTask<InspectorTask>> {
        let sink = guarded(|| session.inner.chunk_sink())?;
        Ok(self.task(InspectorWork::Snapshot(sink)))
    }

    /// Waits for the target's next heap walk (starting V8's tracking of heap objects when
    /// `fresh`); resolves to `{ lastSeenObjectId, objectCount, totalSize }` as JSON.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn heap_walk(&self, fresh: bool) -> AsyncTask<InspectorTask> {
        self.task(InspectorWork::HeapWalk(fresh))
    }

    /// Stops the tracking, and so takes the snapshot V8 sends as it stops, into the snapshot
    /// `session` has begun; resolves to its size in bytes (as a string).
    #[napi(ts_return_type = "Promise<string>")]
    pub fn stop_tracking_into(&self, session: &HuntSession) -> napi::Result<AsyncTask<InspectorTask>> {
        let sink = guarded(|| session.inner.chunk_sink())?;
        Ok(self.task(InspectorWork::StopTracking(sink)))
    }

    #[napi(ts_return_type = "Promise<string>")]
    pub fn close(&self) -> AsyncTask<InspectorTask> {
        self.task(InspectorWork::Close)
    }
}

/// Sampled heap profiles taken over time (`sampling::ProfileSeries`); this only converts.
#[napi]
pub struct ProfileSeries {
    inner: CoreProfiles,
}

#[napi]
impl ProfileSeries {
    #[napi(constructor)]
    pub fn new() -> ProfileSeries {
        ProfileSeries { inner: CoreProfiles::new() }
    }

    /// Adds a profile (the JSON of `HeapProfiler.getSamplingProfile`'s `profile`) taken at `timeMs`.
    #[napi]
    pub fn add(&mut self, time_ms: f64, profile: Either<String, Uint8Array>) -> napi::Result<()> {
        guarded(|| match &profile {
            Either::A(text) => self.inner.add(time_ms, text.as_bytes()),
            Either::B(bytes) => self.inner.add(time_ms, bytes),
        })
    }

    #[napi(getter)]
    pub fn length(&self) -> u32 {
        self.inner.len() as u32
    }

    /// Forgets the profiles taken before `timeMs`.
    #[napi]
    pub fn forget_before(&mut self, time_ms: f64) {
        self.inner.forget_before(time_ms)
    }

    /// What each stack gained from the first profile to the last, largest first.
    #[napi(ts_return_type = "Array<{ stack: ProfileFrame[]; bytes: number }>")]
    pub fn difference(&self) -> napi::Result<Json> {
        guarded(|| Ok(self.inner.difference())).and_then(|d| to_value(&d))
    }

    /// The sites whose live sampled bytes grow, largest growth first.
    #[napi(ts_return_type = "ProfileGrowth")]
    pub fn growth(&self, min_bytes_per_minute: f64, min_confidence: f64, min_points: u32) -> napi::Result<Json> {
        let options = GrowthOptions { min_bytes_per_minute, min_confidence, min_points: min_points as usize, ..Default::default() };
        guarded(|| Ok(self.inner.growth(&options))).and_then(|g| to_value(&g))
    }
}
