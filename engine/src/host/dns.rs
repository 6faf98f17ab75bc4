//! (helper B fills this in)
