//! A file an import brought in ([`crate::import`]): what the app it came from
//! knew of it, which the commit carries, and whom to tell when it ends.

use std::rc::Rc;

use api_types::photo::{Gps, Imported, PhotoDetails};

#[derive(Clone)]
pub struct ImportedFile {
    pub facts: Imported,
    /// Where it was taken, used when the file itself does not say.
    pub place: Option<Gps>,
    pub on_end: Rc<dyn Fn(Ended)>,
}

/// How an imported file's upload ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Ended {
    /// In the library under `id`: uploaded now (`new`), or already there.
    Stored {
        id: String,
        new: bool,
    },
    Failed(String),
}

impl ImportedFile {
    /// The commit's details with what the import knew added: the file's own
    /// metadata wins where it has the fact.
    pub fn apply(&self, details: &mut PhotoDetails) {
        if details.metadata.gps.is_none() {
            details.metadata.gps = self.place.clone();
        }
        details.imported = Some(self.facts.clone());
    }
}
