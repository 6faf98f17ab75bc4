//! Root-only tests of the real-kernel demos (being written).
