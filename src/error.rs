//! The errors of the core, one enum for the whole crate.
//! Each variant has a stable `code()` that the binding hands to JavaScript as `err.code`.

use thiserror::Error;

/// Where in the input a problem was found: the source (a file name or "stream") and the byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub source: String,
    pub offset: u64,
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at byte {}", self.source, self.offset)
    }
}

#[derive(Debug, Error)]
pub enum LeakhuntError {
    /// The input ended before the snapshot did.
    #[error("truncated heap snapshot: {at}: input ended inside {section} (expected {expected})")]
    Truncated { at: Position, section: String, expected: String },

    /// The bytes are not the JSON a heap snapshot is made of.
    #[error("malformed heap snapshot: {at}: in {section}: expected {expected}, found {found}")]
    Syntax { at: Position, section: String, expected: String, found: String },

    /// `snapshot.meta` lacks a field the analysis needs, or describes something we cannot read.
    #[error("unsupported heap snapshot layout in {source_name}: {detail}")]
    Layout { source_name: String, detail: String },

    /// Well-formed JSON whose values contradict each other (an edge past the node array, ...).
    #[error("inconsistent heap snapshot: {source_name}: {detail}")]
    Invalid { source_name: String, detail: String },

    /// Three snapshots that cannot be compared (e.g. the final one was parsed as ids only).
    #[error("cannot analyse these snapshots: {0}")]
    Usage(String),

    /// A parse stopped on purpose (its hunt ended or was aborted): no fault of the input.
    /// A baseline and a target that share almost no objects: not one process, or V8 numbered
    /// its objects anew in between.
    #[error("these snapshots are not of one process: {0}")]
    Unrelated(String),
    #[error("cancelled: {0}")]
    Cancelled(String),

    /// A remote target's inspector: cannot connect, a command it refused, a connection lost.
    #[error("{0}")]
    Inspector(String),

    /// A sampled heap profile that cannot be read (HeapProfiler.getSamplingProfile's JSON).
    #[error("not a sampled heap profile: {0}")]
    Profile(String),

    #[error("cannot read {path}: {error}")]
    Io { path: String, error: std::io::Error },

    /// A bug in leakhunt: a Rust panic, caught before it could take the host process down.
    #[error("internal error in leakhunt (please report it): {0}")]
    Internal(String),
}

impl LeakhuntError {
    /// The stable code JavaScript sees as `err.code`.
    pub fn code(&self) -> &'static str {
        match self {
            LeakhuntError::Truncated { .. } => "ERR_LEAKHUNT_SNAPSHOT_TRUNCATED",
            LeakhuntError::Syntax { .. } => "ERR_LEAKHUNT_SNAPSHOT_SYNTAX",
            LeakhuntError::Layout { .. } => "ERR_LEAKHUNT_SNAPSHOT_LAYOUT",
            LeakhuntError::Invalid { .. } => "ERR_LEAKHUNT_SNAPSHOT_INVALID",
            LeakhuntError::Usage(_) => "ERR_LEAKHUNT_USAGE",
            LeakhuntError::Unrelated(_) => "ERR_LEAKHUNT_UNRELATED_SNAPSHOTS",
            LeakhuntError::Cancelled(_) => "ERR_LEAKHUNT_CANCELLED",
            LeakhuntError::Io { .. } => "ERR_LEAKHUNT_IO",
            LeakhuntError::Inspector(_) => "ERR_LEAKHUNT_INSPECTOR",
            LeakhuntError::Profile(_) => "ERR_LEAKHUNT_PROFILE",
            LeakhuntError::Internal(_) => "ERR_LEAKHUNT_INTERNAL",
        }
    }

    pub fn invalid(source_name: &str, detail: impl Into<String>) -> Self {
        LeakhuntError::Invalid { source_name: source_name.to_string(), detail: detail.into() }
    }

    pub fn layout(source_name: &str, detail: impl Into<String>) -> Self {
        LeakhuntError::Layout { source_name: source_name.to_string(), detail: detail.into() }
    }
}

pub type Result<T> = std::result::Result<T, LeakhuntError>;

/// Runs `f`, turning a panic into `LeakhuntError::Internal`. Every entry point from JavaScript
/// goes through this: napi-rs does not catch panics inside `Task::compute`, and an uncaught
/// panic there would abort Node.
pub fn catch_panic<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    install_quiet_panic_hook();
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => {
            let recorded = LAST_PANIC.with(|p| p.borrow_mut().take());
            let message = recorded.unwrap_or_else(|| {
                payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".to_string())
            });
            Err(LeakhuntError::Internal(message))
        }
    }
}

thread_local! {
    static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// The default hook prints to the host's stderr (with a backtrace when RUST_BACKTRACE is
/// set); inside someone's test suite that is noise. Ours keeps message and location for the
/// error instead. It only sees this library's panics: the addon has its own copy of std.
fn install_quiet_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let text = info.to_string().replace('\n', " ");
            LAST_PANIC.with(|p| *p.borrow_mut() = Some(text));
        }));
    });
}
