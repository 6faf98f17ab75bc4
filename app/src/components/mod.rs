//! The page's views. They render `crate::state` and keep no app state of their own: the only
//! thing held in the DOM is the line being typed, until Enter hands it to the terminal.

pub mod terminal;
pub mod editor;
pub mod layout;
pub mod lesson_panel;
pub mod viz;
