//! Keeping a listing current within the service's read quota, for the inbox's worker and
//! `pcinbox watch` alike: `refresh` decides what to ask and merges the answers.

pub mod refresh;
