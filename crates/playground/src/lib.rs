//! The playground's state and everything it does that is not drawing:
//! the editable workspace, evaluation, share links, saved work and
//! reports. The Yew app in `web/` maps events to these functions and their
//! results to HTML; all of it is unit-tested natively here.

pub mod path;
pub mod report;
pub mod storage;
pub mod share;
pub mod workspace;

pub use path::{Ptr, Seg};
pub use workspace::{Evaluated, PolicySlot, Workspace, EXAMPLE, EXAMPLES};
