//! (lead fills this in)
