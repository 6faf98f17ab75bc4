//! The page's views. They render `crate::state` and keep no app state of their own: the only
//! thing held in the DOM is the line being typed, until Enter hands it to the terminal.

pub mod terminal;
