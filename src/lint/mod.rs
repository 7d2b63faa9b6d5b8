//! The lint layer: app detection, bindings of settings to concepts, the
//! evaluation of conditions, the check functions, and the filters that run
//! after them (inline ignores, configured severities, baseline).

pub mod bind;
pub mod checks;
pub mod config;
pub mod detect;
pub mod engine;
pub mod filter;
pub mod pipeline;
pub mod secrets;
