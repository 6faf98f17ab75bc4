//! Grading a spoken-style interview answer: which key points it names.

use crate::goal::matches;
use crate::item::{Interview, KeyPoint};

/// The key points an answer named and the ones it missed.
#[derive(Debug, Clone)]
pub struct Grade<'a> {
    pub named: Vec<&'a KeyPoint>,
    pub missed: Vec<&'a KeyPoint>,
}

impl Grade<'_> {
    /// "3 of 4 key points".
    pub fn summary(&self) -> String {
        format!("{} of {} key points", self.named.len(), self.named.len() + self.missed.len())
    }
}

pub fn grade<'a>(interview: &'a Interview, answer: &str) -> Grade<'a> {
    let (named, missed) = interview.key_points.iter().partition(|point| point.phrases.iter().any(|phrase| matches(phrase, answer)));
    Grade { named, missed }
}
