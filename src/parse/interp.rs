//! placeholder, see issue
