// Public types of leakhunt. Hand-written: the generated binding.d.ts types the native layer,
// this file types what `require('leakhunt')` gives you.

/** A parsed heap snapshot, held in native memory (not on the JS heap). */
export declare class HeapSnapshot {
  private constructor()
  /** Number of nodes (heap objects, including V8's own). */
  get nodeCount(): number
  get edgeCount(): number
  /** 'full': the whole graph; 'ids': only object ids, enough as a diff's baseline or target. */
  get mode(): 'full' | 'ids'
  /**
   * Top classes by count, self size and retained size (default: 20 each). The first call
   * computes dominators, off the main thread. Rejects with ERR_LEAKHUNT_USAGE for 'ids' snapshots.
   */
  summary(top?: number): Promise<SnapshotSummary>
  /**
   * Finds one object by a chain of edge names: the first must name exactly one edge in the
   * whole heap (a property key made for the purpose), each next one an edge of the node
   * reached. Resolves to the object and its retainer path, or null. 'full' snapshots only.
   * @example
   * globalThis.__probe = { 'probe-7f3a': new WeakRef(suspect) }
   * const found = await (await takeSnapshot()).locate(['probe-7f3a', 'target'])
   */
  locate(edgeNames: string[]): Promise<LocatedObject | null>
  /**
   * The realms (vm contexts: finished test files) that marker keys name (each key an edge to
   * a WeakRef whose target is the realm's global) and that are still alive, each with where
   * its retainer path crosses into it from outside. `runnerDirs`: where the test runner is
   * installed; what only its functions keep is its machinery (`keptByRunner`). What
   * `leakhunt jest` and `leakhunt vitest` ask; 'full' snapshots only.
   */
  keptRealms(keys: string[], runnerDirs?: string[]): Promise<KeptRealm[]>
}

/** A realm found alive by HeapSnapshot.keptRealms(). */
export interface KeptRealm {
  key: string
  /** False when the snapshot holds no such marker or its global. */
  found: boolean
  globalId: number
  /** What this realm alone keeps, in bytes. */
  ownSize: number
  heldByProgram: boolean
  retainerPath: PathStep[]
  entry: RealmEntry | null
  /** True when only the test runner's machinery keeps it. */
  keptByRunner: boolean
}

/** Where a realm's retainer path crosses from outside into a realm found alive. */
export interface RealmEntry {
  /** The key of the realm the path enters first, when not this one (a chain). */
  throughKey: string | null
  /** The object outside, as a program writes it: "require('fs').ReadStream", "process.cwd". */
  holder: string
  holderId: number
  holderName: string
  holderClass: string
  edge: string
  edgeType: string
  firstId: number
  firstName: string
  firstType: string
  /** The function of the realm nearest the crossing: the code that put the reference there. */
  madeBy: string | null
  madeAt: SourceLocation | null
  coreModule: string | null
  /** [class, method] of the nearest object outside that lets go with that method. */
  release: [string, string] | null
  /** That call as the test file writes it, where a variable of the file holds the object or one that owns it: `server.close()`. */
  releaseCall: string | null
}

/** One finished test file that stays alive (`leakhunt jest --json`, `SuiteReport.kept`). */
export interface KeptFile {
  /** Relative to the project's root. */
  file: string
  order: number
  /** What the file alone keeps, in bytes. */
  retainedSize: number
  holder: string
  holderId: number
  /** The kept file whose objects this file's path enters first (a chain), if any. */
  through: string | null
  reference: { name: string; type: string; edge: string } | null
  madeBy: string | null
  madeAt: SourceLocation | null
  coreModule: string | null
  holderClass: string | null
  release: { className: string; method: string } | null
  /** The call that lets go, as the test file writes it (`server.close()`, `app.close()`), when a variable of the file holds it. */
  releaseCall: string | null
  retainerPath: PathStep[]
}

/** Files kept by one holder: a chain, or each file's own object of one kind made by one line. */
export interface KeptFileGroup {
  holder: string
  holderClass: string | null
  coreModule: string | null
  reference: { name: string; type: string; edge: string } | null
  madeBy: string | null
  madeAt: SourceLocation | null
  release: { className: string; method: string } | null
  releaseCall: string | null
  /** True when files keep each other through this holder (each file's objects hold the one before's). */
  chain: boolean
  files: string[]
  /** Bytes the group's files keep in all, and on average. */
  retainedSize: number
  averageSize: number
  /** Finished test files checked in the run. */
  ofFiles: number
  /** What to do, in the words of the holder and the code that made the reference. */
  fix: string
}

/**
 * Which finished test files stay alive (`leakhunt jest --json FILE`, `leakhunt vitest --json
 * FILE`, the reporter `leakhunt/jest-reporter`'s outputFile).
 */
export interface SuiteReport {
  schemaVersion: 1
  /** Finished test files checked (files with failing tests and the one still finishing are not). */
  files: number
  kept: KeptFile[]
  groups: KeptFileGroup[]
  /** Files that had not finished their teardown when checked. */
  unfinished: string[]
  /** Files with failing tests: the runner keeps their errors, which keep the file. */
  failedNotChecked: string[]
  /** Files only the runner's own machinery keeps (not counted as kept). */
  keptByRunner: Array<{ file: string; retainedSize: number; holder: string | null; retainerPath: PathStep[] }>
  heapUsed: number
  snapshotMs: number
  analysisMs: number
  totalMs: number
  /** Set when the process had no room for a heap snapshot: the kept files are listed without holders. */
  noRoom?: string
  /** Set when Jest ran the files in workers: how many checked their own files (this report merges theirs). */
  workers?: number
  /** Set when a worker could not check its files: why. */
  workersNotChecked?: string[]
  /** Set when a check ran earlier, near the heap limit; its files are in this report. */
  early?: { files: number; heapUsed: number }
  /** Set by leakhunt jest / leakhunt vitest. */
  jest?: string
  vitest?: string
  runner?: 'vitest'
  pool?: string
  /** Set when the runner's pool runs no two files in one realm: why nothing was checked. */
  note?: string
  testsFailed?: boolean
}

export interface ReadOptions {
  /** Default 'full'. */
  mode?: 'full' | 'ids'
  /** Called every 100 ms while the file is read (on the thread pool), and once at the end. */
  onProgress?: (progress: AnalysisProgress) => void
}

/** Parses a `.heapsnapshot` file (ours, Chrome DevTools', `v8.writeHeapSnapshot`'s) off the main thread. */
export declare function readSnapshot(path: string, options?: ReadOptions): Promise<HeapSnapshot>

export interface AnalyzeOptions {
  /** Also report V8 internals (hidden objects, code, maps, `system / …`). Default false. */
  includeInternals?: boolean
  /** How many times the suspect code ran between baseline and target; gives `countPerIteration`. */
  iterations?: number
  /** Leave out objects whose class name contains any of these strings. */
  ignore?: string[]
  /** Sample ids per growth point. Default 5. */
  maxSamples?: number
  /** Show no string contents from the heap: strings become their kind, odd property keys their length. */
  redact?: boolean
  /**
   * A fourth snapshot of the same process, taken after twice as many calls again: a second
   * round, so that each growth point is judged as `hunt()` judges it.
   */
  confirm?: string | HeapSnapshot
  /**
   * Map positions through the source maps of the scripts, when the snapshots name scripts by
   * paths that exist here: a `sourceMappingURL` comment of the file on disk (a `.map` file or
   * an inline `data:` map), else `<script>.map` beside it. Default true.
   */
  sourceMaps?: boolean
  /**
   * Called every 100 ms while files are read and analysed (on the thread pool), and once at
   * the end. Only for file paths; snapshots already parsed report nothing.
   */
  onProgress?: (progress: AnalysisProgress) => void
}

export interface AnalysisProgress {
  phase: 'reading' | 'graph' | 'dominators' | 'retainer paths' | 'diff' | 'done'
  /** Bytes of snapshot text read so far, of `bytesTotal` (the files' sizes). */
  bytesDone: number
  bytesTotal: number
}

/**
 * The three-snapshot diff: objects absent from `baseline`, present in `target` and still alive
 * in `final`. Each argument is a file path or a `HeapSnapshot` (`final` must be 'full').
 * Runs off the main thread; with three paths, baseline and target are parsed (as ids only) in
 * parallel with the final snapshot.
 */
export declare function analyzeSnapshots(
  baseline: string | HeapSnapshot,
  target: string | HeapSnapshot,
  final: string | HeapSnapshot,
  options?: AnalyzeOptions,
): Promise<LeakReport>

export interface SnapshotParserOptions {
  /** Names the input in error messages. Default 'stream'. */
  source?: string
  mode?: 'full' | 'ids'
}

/**
 * Streams a snapshot into the native parser chunk by chunk (any size, split anywhere), so the
 * text never exists as one string.
 * @example
 * const parser = new SnapshotParser({ source: 'inspector' })
 * session.on('HeapProfiler.addHeapSnapshotChunk', (m) => parser.write(m.params.chunk))
 * // ... take the snapshot ...
 * const snapshot = await parser.end()
 */
export declare class SnapshotParser {
  constructor(options?: SnapshotParserOptions)
  /** Throws ERR_LEAKHUNT_SNAPSHOT_* at the first byte that cannot be part of a snapshot. */
  write(chunk: string | Uint8Array): void
  get bytesRead(): number
  /** Ends the input; the graph is built off the main thread. */
  end(): Promise<HeapSnapshot>
}

/** One step of a retainer path, root first. */
export interface PathStep {
  /** The edge from the previous step: a property name, `[index]`, or '' for the first step. */
  edge: string
  /** 'property' | 'element' | 'context' | 'internal' | 'hidden' | 'shortcut' | 'weak' */
  edgeType: string
  /** Class name, or the (truncated) text of a string. */
  name: string
  /** V8 node type: 'object', 'closure', 'string', 'array', 'synthetic', … */
  nodeType: string
  /** Heap snapshot node id. */
  id: number
  /** Present on a marker step that stands for this many steps left out of a long path. */
  elided?: number
  /**
   * On a step into the value of a Map entry: the entry's key (a string in quotes, cut at 40
   * characters, or the key's class). An EventTarget's listener list is keyed by its event.
   * On a step into the `value` of a `{ key, value }` record: the record's key.
   */
  key?: string
  /** On a step into a CommonJS `Module`: its file. */
  moduleFile?: string
  /**
   * On a step into an object a library's closure captured as `this`: a variable of the
   * program's own code that holds it too (what its user calls it: `io`).
   */
  variable?: string
}

export interface SourceLocation {
  scriptId: number
  /**
   * The file name or URL of the source: the one the user wrote when a source map maps the
   * position (`/app/src/orders.ts`), else the script V8 ran, when the heap links it.
   */
  scriptName: string | null
  /** 1-based. */
  line: number
  /** 1-based. */
  column: number
  /** Where a source map moved the position from: the code V8 ran (see `sourceMaps`). */
  generated?: GeneratedPosition
}

/** A position in the code V8 ran (tsc's output, a bundle, Jest's transformed module). */
export interface GeneratedPosition {
  scriptName: string | null
  /** 1-based. */
  line: number
  /** 1-based. */
  column: number
}

/** What the source maps did for a report's positions (`summary.sourceMaps`). */
export interface SourceMapUse {
  /** Positions moved into the user's source. */
  mapped: number
  /** Source maps read and used. */
  maps: number
  /** Maps that were found but ignored, and why (unreadable, not JSON, not a version 3 map, not a file). */
  notes: string[]
}

/** One frame of an allocation stack. V8 records functions: the position is where it starts. */
export interface StackFrame {
  functionName: string
  scriptName: string | null
  scriptId: number
  /** 1-based; 0 when V8 did not know. */
  line: number
  /** 1-based; 0 when V8 did not know. */
  column: number
  /** Where a source map moved the position from: the code V8 ran. */
  generated?: GeneratedPosition
}

/** A JS stack that allocated `count` of a growth point's objects, innermost frame first. */
export interface AllocationStack {
  count: number
  frames: StackFrame[]
}

export interface LeakCause {
  pattern:
    | 'event-listener'
    | 'async-local-storage'
    | 'timer'
    | 'pending-promise'
    | 'chained-value'
    | 'class-static'
    | 'global-variable'
    | 'open-resource'
    | 'module-cache'
    | 'symbol-registry'
    | 'subscriber-list'
    | 'finalization-registry'
    | 'collection-cache'
    | 'module-variable'
    | 'grows-in-bytes'
    | 'unknown'
  /** e.g. 'Listener on a long-lived emitter' */
  title: string
  /** What the path shows, with the names from the heap. */
  detail: string
  /** One line on how to fix it; null for 'unknown'. */
  hint: string | null
  /** The names the rule found (emitter and event, variable, class and property, …). */
  holder: Record<string, string | null>
}

/** The object that grows: it existed before the baseline and holds the new objects. */
export interface Holder {
  /** Its heap snapshot id (the same in every snapshot of the process). */
  id: number
  /** Its class ('Map', 'Array', 'Object', 'TimersList', …). */
  name: string
  /** V8 node type. */
  nodeType: string
  /**
   * How its user would write it: 'store.sessions', 'createThing.instances', 'globalThis.cache',
   * 'memoized.cache.__data__.string.__data__', 'timers armed per call (600000 ms)'. Dictionary
   * and Map keys that are data read '[…]' and 'get(…)'. Set by the diagnosis.
   */
  label?: string
}

/** One class of the objects that hang from a growth point. */
export interface HeldClass {
  name: string
  kind: string
  count: number
  selfSize: number
  retainedSize: number
  /** A method on the class's prototype chain that ends an object's life ('close', 'destroy', …). */
  cleanup?: string
  /** Where the class's constructor (or the closure) is defined, through source maps. */
  location?: SourceLocation
}

/**
 * One report entry: a growth point. A holder older than the baseline (a Map, an Array, a plain
 * object used as a dictionary, an emitter's listener list, Node's timer list, a closure's
 * scope, …) gained new objects that survived; everything new that hangs from it belongs to it.
 */
export interface GrowthPoint {
  /** The leading class of what hangs from the holder: constructor name, 'fn()' for closures, '(string)', … */
  name: string
  /** 'object' | 'closure' | 'string' | 'number' | 'regexp' | 'native' | 'symbol' | 'bigint' | … */
  kind: string
  holder: Holder
  /** Every new surviving object that hangs from the holder. */
  count: number
  /**
   * Entries of the leading class: what the holder gained directly (through V8's storage, or a
   * chain of their own kind such as Node's timer list), not what those hold, nor Map keys.
   */
  leadingCount: number
  /**
   * Of those, the entries reached along a list (each holding the next) rather than from the
   * holder itself: Node's timer list, or a value wrapped again on every call.
   */
  linkedCount: number
  /** leadingCount / iterations, when iterations is known: the growth per call. */
  countPerIteration: number | null
  /** Bytes of the objects themselves. */
  selfSize: number
  /** Bytes freed if the growth point's objects were released (no byte counted twice). */
  retainedSize: number
  /** Shortest path from the GC roots to the holder, root first (ends at the holder). */
  retainerPath: PathStep[]
  /** From the holder (excluded) on to one object of the leading class. */
  samplePath: PathStep[]
  /** What hangs from the holder, by class, most numerous first (up to 24). */
  breakdown: HeldClass[]
  sampleIds: number[]
  /** Where the leading class is defined (a closure), or its class / constructor function. */
  location: SourceLocation | null
  /**
   * The stacks that allocated most of the objects (up to three, most first), when the final
   * snapshot carries V8's allocation trace (`trackAllocations`); empty otherwise.
   */
  allocationStacks: AllocationStack[]
  /** How many of the objects the allocation tracker saw. */
  tracedCount: number
  /** The leak pattern the holder shows, with a fix hint (see `diagnose`). */
  cause: LeakCause
  /** A V8-internal class (only reported with includeInternals). */
  internal: boolean
  /**
   * Other holders that are properties of the same object and grow at the same rate, judged
   * leaks too (a library's options object whose registries each gain one entry per call):
   * one leak, listed here instead of as entries of their own. Never gathered: a scope's
   * variables, the global object's properties, a module's exports.
   */
  alongside?: SiblingGrowth[]
  /**
   * Other older objects that hold at least half of the same objects directly (an object kept
   * in a Map and in an audit Array): the same leak, counted once, under the holder that holds
   * the most of them directly (then the oldest).
   */
  sharedWith: SharedHolder[]
  /**
   * In round two's growth points only: the holder's entries (what it holds directly, through
   * its storage, in new collections it holds, and along lists from there) when the round began
   * and when it ended. A holder that gains new objects but not entries is churn.
   */
  holderEntries: { before: number; after: number; keptBySuccessors: number } | null
  /** When the leading class is Promise: how many of them have settled (a cache of results, not waiters). */
  settledPromises: number | null
  /**
   * With verdict 'grows-in-bytes': the value that grew in bytes while no count of objects did
   * (a Buffer replaced by a bigger copy, an Array of numbers), and by how much.
   */
  bytesGrowth?: BytesGrowth
}

/**
 * A value a holder keeps in one slot, measured at round one's final snapshot, halfway through
 * round two and at its end. A Buffer or typed array is measured by its length (its bytes may
 * be a slice of Node's shared pool), an Array of numbers by its length at 8 bytes a number.
 */
export interface BytesGrowth {
  /** Bytes gained per call over round two. */
  perCall: number
  /**
   * 'string'; 'view': a Buffer, typed array or DataView with its ArrayBuffer; 'arrayBuffer';
   * 'numbers': an Array whose store holds numbers only.
   */
  form: 'string' | 'view' | 'arrayBuffer' | 'numbers'
  /** The value's class: 'Buffer', 'Float64Array', '(string)', 'Array'. */
  value: string
  /**
   * The variable or property that holds it ('elements' for an Array's own store), or a Map's
   * key (`get("acme")`).
   */
  slot: string
  /** Its bytes at round one's final snapshot, halfway through round two, and at its end. */
  bytes: { start: number; middle: number; end: number }
  /** Calls in each half of round two. */
  callsPerHalf: number
}

/** Another holder of a growth point's objects. */
export interface SharedHolder {
  holder: Holder
  /** Shortest path from the GC roots to it, root first. */
  retainerPath: PathStep[]
}

/** A holder gathered into a growth point: a property of the same object, growing at the same rate. */
export interface SiblingGrowth {
  holder: Holder
  name: string
  kind: string
  count: number
  leadingCount: number
  countPerIteration: number | null
  selfSize: number
  retainedSize: number
  retainerPath: PathStep[]
}

/** @deprecated schema 1's name; an entry is a growth point since schema 2. */
export type LeakGroup = GrowthPoint

export interface SnapshotStats {
  source: string
  nodeCount: number
  edgeCount: number
  /** Sum of self sizes. */
  totalSize: number
  /** Size of the snapshot text. */
  bytes: number
}

export interface ReportSummary {
  baseline: SnapshotStats
  target: SnapshotStats
  final: SnapshotStats
  iterations: number | null
  /** New in target and alive in final, internals included. */
  survivingObjectCount: number
  leakedObjectCount: number
  leakedSelfSize: number
  leakedRetainedSize: number
  /** Surviving V8 internals left out (see includeInternals). */
  internalObjectCount: number
  /** Surviving objects left out by `ignore`. */
  ignoredObjectCount: number
  /** Whether the final snapshot carried V8's allocation trace. */
  allocationTracking: boolean
  /** Set unless `sourceMaps: false`: how many positions source maps moved into the user's source. */
  sourceMaps?: SourceMapUse
  parseMs: number
  analysisMs: number
}

export interface LeakReport {
  /** Bumped when a field changes meaning or goes away. 2: one entry per growth point. */
  schemaVersion: 2
  /** Judged leaks, sorted by retained size, largest first. */
  leaks: JudgedGroup[]
  /** Growth points judged not leaks ('single', or with `confirm` any reason of a hunt). */
  retained: JudgedGroup[]
  summary: ReportSummary & { confirmed: boolean; redacted?: boolean }
}

export interface ClassStat {
  name: string
  kind: string
  count: number
  selfSize: number
  retainedSize: number
}

export interface SnapshotSummary {
  nodeCount: number
  edgeCount: number
  totalSize: number
  topByCount: ClassStat[]
  topBySelfSize: ClassStat[]
  topByRetainedSize: ClassStat[]
}

export interface HuntProgress {
  /**
   * 'warmup' | 'track' | 'walk:baseline' | 'iterations' | 'walk:target' | 'settle' | 'snapshot:final' | 'analysis' | 'confirm' | 'snapshot:middle' | 'snapshot:confirm';
   * 'snapshot:baseline' instead of 'walk:baseline' with `confirm: false`, for asynchronous calls
   * that wait on the event loop (a timer, I/O) on Node 18 and 20, and over `attach`; 'snapshot:target' instead of 'walk:target' too with
   * keepSnapshots or without an inspector.
   */
  phase: string
  /** For call phases: which call (1-based) of how many. */
  iteration?: number
  of?: number
}

export interface HuntOptions {
  /** Calls of `fn` between the baseline and the target snapshot. Default 20. */
  iterations?: number
  /** Calls before the baseline, so one-time objects (caches, connections, compiled code) exist. Default 3. */
  warmup?: number
  /** Wait between the target and the final snapshot, for timers and I/O of the last calls. Default 100. */
  settleMs?: number
  /**
   * Run a second round of `2 × iterations` calls when something survived, to tell leaks (grow
   * with the number of calls) from one-time and bounded growth and from activity beside the
   * calls. Default true; false reports every survivor.
   */
  confirm?: boolean
  /** Stops the hunt; it rejects with code 'ABORT_ERR' and the signal's reason as `cause`. */
  signal?: AbortSignal
  onProgress?: (progress: HuntProgress) => void
  /** Also write the snapshots, private to the user (0600 in a 0700 directory), into this directory. */
  keepSnapshots?: string
  includeInternals?: boolean
  /**
   * Record the JS stack that allocates each object (V8's allocation tracker, from after the
   * warm-up to the end of the hunt), so each growth point gets `allocationStacks`. The calls run
   * several times slower. Default false.
   */
  trackAllocations?: boolean
  /**
   * Show no string contents from the heap (reports already cut them at 40 characters): strings
   * in retainer paths become '"…" (string, redacted)', property keys that are not plain
   * identifiers (dictionary keys such as tokens) become their length. Default false.
   */
  redact?: boolean
  /**
   * Show positions in the source the user wrote (TypeScript, code before babel-jest or a
   * bundler) through each script's source map: Node's own (with --enable-source-maps), the
   * `sourceMappingURL` of the code V8 ran (inline `data:` maps, as Jest and tsx write them),
   * or a `.map` file beside the script. The generated position stays as `generated`. Read after
   * the last snapshot; never fetched from the network. Default true.
   */
  sourceMaps?: boolean
  /** Leave out objects whose class name contains any of these strings. */
  ignore?: string[]
  /**
   * Accept growth points whose path passes through a holder or edge whose name contains one
   * of these strings (e.g. a test runner's bookkeeping): they move to `retained`, 'filtered'.
   */
  ignoreHeldBy?: string[]
  /** Return false to accept a growth point: it moves from `leaks` to `retained` with reason 'filtered'. */
  leakFilter?: (point: JudgedGroup) => boolean
}

export interface Verdict {
  leak: boolean
  /**
   * 'grows-with-calls': kept through round two, which (with twice the calls) added about twice
   * as many (a leak); 'survived': confirm was off or nothing to confirm;
   * 'one-time': did not grow in round two; 'released': freed during round two;
   * 'not-with-calls': round two added no more than round one (activity beside the calls);
   * 'filtered': accepted by leakFilter or ignoreHeldBy;
   * 'single': no second round, and the holder gained one object over four calls or more;
   * 'unconfirmed': no second round, and the holder gained fewer than one object per four calls:
   * growth three snapshots cannot tell from a queue that drains later;
   * 'bounded': held by one of Node's buffers with a fixed cap (see `bound`);
   * 'churn': round two gave the holder new objects but not more entries (a full ring buffer,
   * an LRU cache at its size: each new object replaced an old one; see `entries`);
   * 'grows-in-bytes': a value the holder keeps grew by about as many bytes in each half of
   * round two (see `bytesGrowth`), however many objects it has (a leak).
   * Each growth point is judged on its own: round two's growth points are matched by holder id.
   */
  reason: 'grows-with-calls' | 'grows-in-bytes' | 'survived' | 'one-time' | 'released' | 'not-with-calls' | 'filtered' | 'single' | 'unconfirmed' | 'bounded' | 'churn'
  /** With 'churn': the holder's entries when round two began and when it ended. */
  entries?: { before: number; after: number }
  /** With 'bounded': the buffer and its cap (Node's resource-timing buffer: 250 entries unless changed). */
  bound?: { holder: string; cap: number }
  /** Entries of the leading class (what the holder gained directly) still alive after round two (null without a second round). */
  persisted: number | null
  /** New objects of the leading class that the same holder gained in round two (null without a second round). */
  grew: number | null
}

export interface JudgedGroup extends GrowthPoint {
  verdict: Verdict
}

export interface HuntSummary extends ReportSummary {
  iterations: number
  warmup: number
  settleMs: number
  /** Whether the second round ran. */
  confirmed: boolean
  /** Whether the hunt tracked allocations (the option). */
  trackAllocations: boolean
  /** process.memoryUsage().heapUsed right after each snapshot (V8 collects garbage before it takes one). */
  heapUsed: Record<'baseline' | 'target' | 'final' | 'confirm', number>
  /**
   * Nodes per snapshot. The baseline and the target are usually heap walks, not snapshots
   * (`summary.baseline.source` says "a heap walk up to object id N"): their count is of the heap
   * objects the walk saw (0 when it could not count them: over `attach` with trackAllocations,
   * or past 16384 walks in one hunt), and they have no snapshot bytes (0).
   */
  nodeCount: Record<'baseline' | 'target' | 'final' | 'confirm', number>
  snapshotBytes: Record<'baseline' | 'target' | 'final' | 'confirm', number>
  /** Milliseconds per phase. */
  phasesMs: Record<string, number>
  /** Files written with keepSnapshots. */
  snapshotFiles: string[]
  /**
   * Heap used over the hunt: a point before each call (thinned evenly past 2048 points), after
   * the settle GC and after each snapshot; `t` in ms since the hunt began; `snapshotAt` when
   * each snapshot was taken. The HTML report draws it.
   */
  timeline: { t: number[]; heapUsed: number[]; snapshotAt: Partial<Record<'baseline' | 'target' | 'final' | 'confirm', number>> }
  /** With `attach()`: the process hunted and the action run per call. */
  attached?: AttachedTarget
}

/** The process an `attach()` hunt ran on. */
export interface AttachedTarget {
  /** The inspector WebSocket it used. */
  url: string
  /** 'node' for a Node process, 'page' for a browser page or other JS target. */
  kind: 'node' | 'page'
  /** 'request GET http://…', 'eval …', 'command …' or 'wait 20000 ms'. */
  action: string
  /**
   * The check before each snapshot that the target's memory can hold one: 'passed', 'off'
   * (ignoreMemoryCheck), or 'unknown' (neither the target nor this machine could tell its
   * free memory: a remote page, or a remote Node older than 20.13; snapshots were taken).
   */
  memoryCheck: 'passed' | 'off' | 'unknown'
  /**
   * The last snapshot's estimated cost: `objects` (counted by a heap walk when `counted`) at
   * ~1.5 KB each, against `roomBytes` (null when unknown). Null with ignoreMemoryCheck.
   */
  snapshotEstimate: { bytes: number; objects: number; counted: boolean; roomBytes: number | null } | null
}

/** An emitter whose listener count for one event grows with the calls. */
export interface ListenerGrowth {
  /** The emitter's class: 'EventEmitter', 'Server', 'Socket', … */
  emitter: string
  emitterId: number
  event: string
  /** Listeners at the start and at the end of the round that measured the growth. */
  before: number
  after: number
  perCall: number
  /** How the program reaches the emitter, root first. */
  retainerPath: PathStep[]
}

export interface HuntReport {
  schemaVersion: 2
  /** Judged leaks, largest retained size first. */
  leaks: JudgedGroup[]
  /** Everything else that survived, with the reason it is not a leak. */
  retained: JudgedGroup[]
  /**
   * Emitters whose listeners for one event grew by at least half the calls (in both rounds
   * when the second ran), even when no new object shows it (one function added again and
   * again). `assertNoLeaks` counts each such listener as a leaked object unless a growth point
   * with an 'event-listener' cause for that event already shows it.
   */
  listenerGrowth: ListenerGrowth[]
  summary: HuntSummary
}

/**
 * Hunts for leaks in `fn` in this process (or worker): warm-up, baseline snapshot, `iterations`
 * calls, target snapshot, settle, final snapshot, and a second round when something survived.
 * Rejects with code ERR_LEAKHUNT_FN_THREW (the error as `cause`) if `fn` throws, ABORT_ERR on
 * abort, ERR_LEAKHUNT_BUSY if another hunt runs in this thread, ERR_LEAKHUNT_IDS_RESET if
 * another inspector session closed mid-hunt (V8 then forgets the object ids a diff needs),
 * ERR_LEAKHUNT_NO_ROOM when this process's memory could not hold a snapshot (~1.5 KB per heap
 * object while V8 builds it). Leaves no inspector session, listener or file behind.
 * @example
 * const report = await hunt(async () => { await fetch('http://127.0.0.1:3000/orders') }, { iterations: 20 })
 * console.log(formatReport(report))
 */
export declare function hunt(fn: (iteration: number) => unknown | Promise<unknown>, options?: HuntOptions): Promise<HuntReport>

/** An HTTP request made once per call by `attach()`, awaited to the end of its response. */
export interface AttachRequest {
  url: string
  /** Default 'GET'. */
  method?: string
  headers?: Record<string, string>
  body?: string
}

/** Where to attach and what to do per call (one action), for a hunt and for a profile alike. */
export interface AttachAction {
  /** With a DevTools endpoint listing several targets: the one whose URL or title contains this. */
  target?: string
  /**
   * A Node process started without --inspect: SIGUSR1 opens its inspector on 127.0.0.1:9229
   * (as `node inspect -p` does), closed again when the hunt ends. Refused for a process that
   * is not Node or does not handle SIGUSR1 (the signal would end it).
   */
  pid?: number
  /** Action: an HTTP request per call; a non-2xx answer or a connection error rejects the hunt. */
  request?: string | AttachRequest
  /** Action: an expression evaluated in the target per call, a returned promise awaited. */
  eval?: string
  /** Action: a shell command per call; a non-zero exit rejects the hunt. */
  command?: string
  /**
   * No action: the target's own traffic for this many milliseconds (>= 1000), one call per
   * second, so counts per call are counts per second.
   */
  wait?: number
}

export interface AttachOptions extends Omit<HuntOptions, 'keepSnapshots'>, AttachAction {
  /**
   * Take snapshots even when their estimated cost is more than 80 % of the memory the target
   * can still get. A snapshot costs about 1.5 KB per heap object while V8 builds it (counted
   * by a heap walk first; a heap too big to count safely is refused too). Default false:
   * refused with ERR_LEAKHUNT_NO_ROOM, whose message points to `profile`.
   */
  ignoreMemoryCheck?: boolean
}

/**
 * `attach(target, { profile: ms, … })`: no snapshot. The target's sampling heap profiler runs
 * for `profile` milliseconds while the action repeats (or, with `wait`, its own traffic runs),
 * and the report is the allocation sites whose live memory grows.
 */
export interface AttachProfileOptions extends AttachAction {
  /** How long to profile, in milliseconds (>= 2000). 12 profiles are taken over it. */
  profile: number
  /** One sample per this many bytes allocated (>= 1024). Default 131072 (128 KiB; V8's own default, 32 KiB, costs the target more). */
  samplingInterval?: number
  /** Also write what each allocation stack gained as a speedscope file (private, 0600). */
  speedscope?: string
  signal?: AbortSignal
  onProgress?: (progress: HuntProgress) => void
}

/** A frame of an allocation stack, 1-based. V8's sampling profiler records functions: where each starts. */
export interface ProfileFrame {
  functionName: string
  scriptName: string
  line: number
  column: number
}

/** An allocation site whose live sampled memory grows. */
export interface ProfileSite {
  /** The innermost frame of the program's own code (not Node's `node:` internals). */
  location: ProfileFrame
  /** The allocating stack, innermost first (the stack holding the most of the site's memory). */
  stack: ProfileFrame[]
  /** Theil–Sen slope of the site's live bytes. */
  bytesPerMinute: number
  /** Live bytes at the last profile: an estimate from `samples` (relative error about 1/sqrt(samples)). */
  liveBytes: number
  firstLiveBytes: number
  samples: number
  /** One-sided Mann–Kendall confidence that the series climbs (>= 0.99 for a site to be listed). */
  confidence: number
}

export interface ProfileReport {
  schemaVersion: 1
  kind: 'profile'
  /** The growing sites, largest growth first; empty when nothing grows. */
  sites: ProfileSite[]
  summary: {
    growing: number
    profiles: number
    durationMs: number
    samplingInterval: number
    /** Allocation sites with live samples in any profile. */
    sitesSeen: number
    liveBytes: { first: number; last: number }
    /** Actions completed while profiling; null with `wait`. */
    calls: number | null
    /** Always false: a profile takes no heap snapshot. */
    snapshot: false
    attached: { url: string; kind: 'node' | 'page'; action: string }
    speedscope?: string
  }
}

/**
 * Hunts a leak in a process that is already running, through its inspector: the method of
 * `hunt()` (warm-up, baseline, calls, target, settle, final, second round, verdicts, causes),
 * with the action given in `options` as the call. `target`: `'127.0.0.1:9229'` (a Node process
 * started with --inspect), a `ws://` URL, or a DevTools endpoint (`'http://127.0.0.1:9222'`);
 * omit it with `options.pid`. One inspector session for the whole hunt; the snapshots stream
 * from the target's WebSocket into the native parser and never become JS strings. Leaves no
 * tracking, console storage or session behind; the target keeps running. Rejects with
 * ERR_LEAKHUNT_INSPECTOR (cannot connect, connection lost), ERR_LEAKHUNT_NO_TARGET,
 * ERR_LEAKHUNT_NOT_NODE, ERR_LEAKHUNT_NO_PROCESS, ERR_LEAKHUNT_PERMISSION,
 * ERR_LEAKHUNT_INSPECTOR_PORT_TAKEN, ERR_LEAKHUNT_NO_ROOM, ERR_LEAKHUNT_FN_THREW (the action
 * failed), ABORT_ERR.
 * @example
 * const report = await attach('127.0.0.1:9229', { request: 'http://127.0.0.1:3000/orders', iterations: 20 })
 * if (report.leaks.length) console.log(formatReport(report))
 */
export declare function attach(target: string | undefined, options: AttachOptions): Promise<HuntReport>
/**
 * With `profile`: no snapshot, the growing allocation sites (see AttachProfileOptions).
 * @example
 * const report = await attach(undefined, { pid: 4242, profile: 60_000, request: 'http://127.0.0.1:3000/login' })
 * for (const site of report.sites) console.log(site.location, site.bytesPerMinute)
 */
export declare function attach(target: string | undefined, options: AttachProfileOptions): Promise<ProfileReport>
/** The text of a profile report, as `leakhunt attach --profile` prints it. */
export declare function formatProfileReport(report: ProfileReport): string

export interface AssertNoLeaksOptions extends HuntOptions {
  /**
   * Leaked objects (summed over the growth points judged leaks) that are still accepted.
   * Default 0. A value that grows in bytes (`bytesGrowth`) counts one per call.
   */
  maxLeakedObjects?: number
  /** Bytes retained by the leaks that are still accepted. Default Infinity (only the count decides). */
  maxRetainedBytes?: number
}

/** The error of a failed leak assertion: its message is the formatted report. */
export interface LeakAssertionError extends Error {
  code: 'ERR_LEAKHUNT_LEAK'
  report: HuntReport
  leakedObjects: number
  retainedBytes: number
}

/**
 * Hunts `fn` and resolves to the report when nothing leaks beyond the thresholds; otherwise
 * rejects with an AssertionError (`LeakAssertionError`, code ERR_LEAKHUNT_LEAK) whose message
 * is the report. Works in any test runner.
 * @example
 * await assertNoLeaks(() => handler(request), { iterations: 20, ignore: ['TLSSocket'] })
 */
export declare function assertNoLeaks(fn: (iteration: number) => unknown | Promise<unknown>, options?: AssertNoLeaksOptions): Promise<HuntReport>

/** One object found in a snapshot, with what keeps it alive. */
export interface LocatedObject {
  id: number
  name: string
  nodeType: string
  selfSize: number
  retainedSize: number
  /** False when only weak references, V8's own roots or nothing reach it. */
  heldByProgram: boolean
  /** Root first; empty when nothing reaches it from the GC roots. */
  retainerPath: PathStep[]
}

/**
 * Tracks `object` weakly under `label` (default: generated) and returns it.
 * @example
 * const ctx = track(createContext(req), 'request context')
 */
export declare function track<T extends object>(object: T, label?: string): T

/**
 * Forces GCs until the tracked object is collected: true, or false after `timeoutMs`
 * (default 2000). Pass the label; passing the object works only if nothing else (not even a
 * variable of yours) still holds it.
 */
export declare function collected(objectOrLabel: string | object, options?: { timeoutMs?: number }): Promise<boolean>

/**
 * Resolves once the tracked object is collected; otherwise rejects with an AssertionError (code
 * ERR_LEAKHUNT_NOT_COLLECTED) naming what holds it: its retainer path from one heap snapshot,
 * also in `err.retainers`.
 */
export declare function expectCollected(objectOrLabel: string | object, options?: { timeoutMs?: number }): Promise<void>

/** Forgets every tracked object. */
export declare function untrackAll(): void

/** A report as text for people: one block per leak, its path root first, one step a line. */
export declare function formatReport(report: HuntReport | LeakReport, options?: { color?: boolean }): string

/**
 * The report as one self-contained HTML page (no network, no external assets): summary, the
 * memory chart (for a hunt, heap used over the run with the snapshots marked), a sortable
 * table of growth points, one card each (what hangs from it, cause, path, allocation site).
 */
export declare function renderHtml(report: HuntReport | LeakReport, options?: { title?: string; generatedAt?: string }): string
/** A suite check's report (`leakhunt jest --html`, the Jest reporter's `htmlFile`) as one self-contained HTML page. */
export declare function renderSuiteHtml(report: SuiteReport, options?: { title?: string; generatedAt?: string }): string

/**
 * Forces a garbage collection without --expose-gc. 'major' (default) is a full Mark-Compact on
 * every supported Node; 'minor' is a scavenge.
 */
export declare function gc(options?: { type?: 'major' | 'minor' }): Promise<void>

/** Takes a heap snapshot of this thread's heap, parsed as it streams (never one JS string). */
export declare function takeSnapshot(options?: { path?: string; mode?: 'full' | 'ids' }): Promise<HeapSnapshot>

/** Every error leakhunt raises carries one of these codes. */
export type LeakhuntErrorCode =
  | 'ERR_LEAKHUNT_SNAPSHOT_TRUNCATED'
  | 'ERR_LEAKHUNT_SNAPSHOT_SYNTAX'
  | 'ERR_LEAKHUNT_SNAPSHOT_LAYOUT'
  | 'ERR_LEAKHUNT_SNAPSHOT_INVALID'
  | 'ERR_LEAKHUNT_USAGE'
  | 'ERR_LEAKHUNT_IO'
  | 'ERR_LEAKHUNT_INTERNAL'
  | 'ERR_LEAKHUNT_FN_THREW'
  | 'ERR_LEAKHUNT_BUSY'
  | 'ERR_LEAKHUNT_IDS_RESET'
  | 'ERR_LEAKHUNT_NO_GC'
  | 'ERR_LEAKHUNT_LEAK'
  | 'ERR_LEAKHUNT_NOT_COLLECTED'
  | 'ERR_LEAKHUNT_NOT_TRACKED'
  | 'ERR_LEAKHUNT_CANCELLED'
  | 'ERR_LEAKHUNT_UNFINISHED'
  | 'ERR_LEAKHUNT_SNAPSHOT_STALLED'
  | 'ERR_LEAKHUNT_NO_BINARY'
  | 'ERR_LEAKHUNT_BINARY_LOAD'
  | 'ERR_LEAKHUNT_WASI_UNSUPPORTED'
  | 'ERR_LEAKHUNT_NODE_VERSION'
  | 'ERR_LEAKHUNT_MONITOR_NEVER_FIRES'
  | 'ERR_LEAKHUNT_NO_INSPECTOR'
  | 'ERR_LEAKHUNT_NO_ROOM'
  | 'ERR_LEAKHUNT_PROFILE'
  | 'ERR_LEAKHUNT_NO_RUNNER'
  | 'ERR_LEAKHUNT_RUNNER_USAGE'
  | 'ERR_LEAKHUNT_NOT_CHECKED'

export interface MonitorOptions {
  /** The sliding window the trend is fitted over. Default 600000 (10 minutes). */
  windowMs?: number
  /**
   * Post-major-GC samples needed in the window before a leak can be said. Default 10; a climb
   * of `fastGrowthBytesPerMinute` or more needs 5 (or this, if fewer).
   */
  minSamples?: number
  /** Samples kept at most (the oldest go first). Default 500. */
  maxSamples?: number
  /** The growth (Theil–Sen slope of heap used after major GCs) that counts as a leak. Default 1 MiB a minute. */
  growthBytesPerMinute?: number
  /** Mann–Kendall confidence that the floor rises, in (0.5, 1). Default 0.99. */
  minConfidence?: number
  /** How often the old generation is read between major GCs (no GC, an unref'd timer). Default 5000. */
  sampleIntervalMs?: number
  /**
   * A climb of the old generation at least this fast since the last floor, with no major GC
   * for `sampleIntervalMs`, makes the monitor run one (see `forceGc`); and a floor climbing
   * this fast is judged from 5 samples. Default 32 MiB a minute.
   */
  fastGrowthBytesPerMinute?: number
  /** Let the monitor run a major GC itself during a fast climb (at most one per interval). Default true. */
  forceGc?: boolean
  /**
   * While a leak is suspected, write heap snapshots (private files, `v8.writeHeapSnapshot`)
   * for `leakhunt analyze`: at most `maxSnapshots` (default 3), at least `minIntervalMs`
   * apart (default 300000).
   */
  snapshotOnLeak?: { dir: string; maxSnapshots?: number; minIntervalMs?: number }
  /**
   * Run V8's sampling heap profiler beside the trend (through node:inspector), one profile per
   * `sampleIntervalMs` (V8 collects garbage before each: a major GC per interval), so that
   * 'leak' and stats() carry `sites`, the allocation sites whose live memory grows. With it,
   * 'leak' waits up to 12 profiles for a site to be named. Default false.
   */
  profile?: boolean | { samplingInterval?: number }
}

export interface MemorySample {
  /** Date.now() of the sample, taken when V8 reported a major GC. */
  time: number
  heapUsed: number
  rss: number
  external: number
  arrayBuffers: number
}

export interface LeakEvidence {
  slopeBytesPerMinute: number
  /** Mann–Kendall confidence that the floor rises. */
  confidence: number
  /** Time between the window's first and last samples. */
  windowMs: number
  samples: Array<Pick<MemorySample, 'time' | 'heapUsed'>>
  heapUsed: number
  /** With `profile`: the growing allocation sites, largest growth first (at most 10). */
  sites?: ProfileSite[]
}

export interface MonitorStats {
  heapUsed: number
  heapTotal: number
  rss: number
  external: number
  arrayBuffers: number
  /** Heap used at the last major GC, or null before the first. */
  heapUsedAfterMajorGc: number | null
  /** GC counts and total milliseconds by kind: minor, major, incremental, weakcb. */
  gc: Record<string, { count: number; totalMs: number }>
  trend: {
    slopeBytesPerMinute: number
    laterSlopeBytesPerMinute?: number
    confidence: number
    samples: number
    /** Samples this trend needs before it can be a leak (5 for a fast climb, else minSamples). */
    samplesNeeded?: number
    spanMs: number
    suspected: boolean
  }
  /** What stands between the samples so far and a 'leak' event, in words; null while a leak is suspected. */
  waitingFor: string | null
  /** How fast the old generation grew since the last floor, at the last timer tick. */
  oldGenerationBytesPerMinute: number
  /** Major GCs the monitor ran itself during fast climbs. */
  forcedGcs: number
  /** Files written by snapshotOnLeak. */
  snapshots: string[]
  /** With `profile`: the allocation sites growing now. */
  sites?: ProfileSite[]
}

export interface Monitor {
  on(event: 'sample', listener: (sample: MemorySample) => void): this
  on(event: 'leak', listener: (evidence: LeakEvidence) => void): this
  on(event: 'snapshot', listener: (info: { file: string; index: number; of: number }) => void): this
  on(event: 'error', listener: (err: Error) => void): this
  off(event: string, listener: (...args: any[]) => void): this
  once(event: string, listener: (...args: any[]) => void): this
  stats(): MonitorStats
  /** Disconnects the GC observer and clears the timer; nothing is left behind. */
  stop(): void
}

/**
 * Watches this process's heap right after each major GC and emits 'leak' when that floor
 * climbs steadily (robust trend over a sliding window). Between GCs it reads the old
 * generation every `sampleIntervalMs` (unref'd) and runs a major GC itself only during a fast
 * climb. Throws ERR_LEAKHUNT_MONITOR_NEVER_FIRES for options under which 'leak' could never be
 * emitted, ERR_INVALID_ARG_VALUE for an unknown option.
 */
export declare function monitor(options?: MonitorOptions): Monitor

/** The leak pattern a growth point's holder shows; reports already carry it as `cause`. */
export declare function diagnose(point: Pick<GrowthPoint, 'name' | 'kind' | 'retainerPath' | 'samplePath' | 'breakdown' | 'leadingCount' | 'countPerIteration'>): LeakCause
