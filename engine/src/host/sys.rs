//! (helper A fills this in)
