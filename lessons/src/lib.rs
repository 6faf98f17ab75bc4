//! Lessons, triage drills and interview items as data, and the checker that tests goals against
//! engine state. The walking skeleton ships none yet; the curriculum lands here.

pub use engine::Engine;
