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
}

export interface ReadOptions {
  /** Default 'full'. */
  mode?: 'full' | 'ids'
}

/** Parses a `.heapsnapshot` file (ours, Chrome DevTools', `v8.writeHeapSnapshot`'s) off the main thread. */
export declare function readSnapshot(path: string, options?: ReadOptions): Promise<HeapSnapshot>

export interface AnalyzeOptions {
  /** Also report V8 internals (hidden objects, code, maps, `system / …`). Default false. */
  includeInternals?: boolean
  /** How many times the suspect code ran between baseline and target; gives `countPerIteration`. */
  iterations?: number
  /** Leave out groups whose name contains any of these strings. */
  ignore?: string[]
  /** Sample ids per group. Default 5. */
  maxSamples?: number
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
}

export interface SourceLocation {
  scriptId: number
  /** 1-based. */
  line: number
  /** 1-based. */
  column: number
}

export interface LeakGroup {
  /** Constructor name ('LeakyThing', 'Map'), 'fn()' for closures, '(string)', … */
  name: string
  /** 'object' | 'closure' | 'string' | 'number' | 'regexp' | 'native' | 'symbol' | 'bigint' | … */
  kind: string
  count: number
  /** count / iterations, when iterations is known. */
  countPerIteration: number | null
  /** Bytes of the objects themselves. */
  selfSize: number
  /** Bytes freed if the group's objects were released (no byte counted in two groups). */
  retainedSize: number
  /** Shortest path from the GC roots to one of the group's objects, root first. */
  retainerPath: PathStep[]
  sampleIds: number[]
  /** Where a closure is defined. */
  location: SourceLocation | null
  /** A V8-internal class (only reported with includeInternals). */
  internal: boolean
}

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
  parseMs: number
  analysisMs: number
}

export interface LeakReport {
  /** Bumped when a field changes meaning or goes away. */
  schemaVersion: 1
  /** Sorted by retained size, largest first. */
  leaks: LeakGroup[]
  summary: ReportSummary
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

/** Every error leakhunt raises carries one of these codes. */
export type LeakhuntErrorCode =
  | 'ERR_LEAKHUNT_SNAPSHOT_TRUNCATED'
  | 'ERR_LEAKHUNT_SNAPSHOT_SYNTAX'
  | 'ERR_LEAKHUNT_SNAPSHOT_LAYOUT'
  | 'ERR_LEAKHUNT_SNAPSHOT_INVALID'
  | 'ERR_LEAKHUNT_USAGE'
  | 'ERR_LEAKHUNT_IO'
  | 'ERR_LEAKHUNT_INTERNAL'
