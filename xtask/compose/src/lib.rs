//! Nothing but its test, `tests/one_session.rs`.
