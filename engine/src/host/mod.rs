//! The real kernel, on Linux: namespaces, cgroups, overlayfs and veth bridges made for real.
//!
//! This is the ONLY part of the engine with I/O (feature `host`, Linux only). Every demo here
//! drives the kernel through a narrow trait with a real implementation and a recording fake, so
//! the flags and the order of the calls are unit-tested without root; the root-only tests that
//! run the demos for real are `cli/tests/native_demos.rs`.

pub mod census;
pub mod cgroup;
pub mod container;
pub mod dns;
pub mod namespaces;
pub mod network;
pub mod overlay;
pub mod privilege;
pub mod sys;
