//! [`Inventory`]: the whole bucket, listed once and sorted by owner into what
//! the layout (`store/keys.rs`) says each object is.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::store::{AlbumId, Kept, ObjectStore, Owner, PhotoId, StoreError, Variant};

/// An original as the listing shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub bytes: u64,
    /// In Glacier: its bytes cannot be read until it is restored.
    pub archived: bool,
}

/// What one owner has in the bucket.
#[derive(Debug)]
pub struct Holdings {
    pub owner: Owner,
    pub originals: BTreeMap<PhotoId, Held>,
    /// The previews' keys.
    pub previews: HashSet<String>,
    /// The photos whose record is kept.
    pub records: BTreeSet<PhotoId>,
    /// Each album's changes by name, in the order they were made.
    pub albums: BTreeMap<AlbumId, Vec<String>>,
}

impl Holdings {
    fn new(owner: Owner) -> Holdings {
        Holdings {
            owner,
            originals: BTreeMap::new(),
            previews: HashSet::new(),
            records: BTreeSet::new(),
            albums: BTreeMap::new(),
        }
    }
}

/// The bucket, by owner.
#[derive(Debug, Default)]
pub struct Inventory {
    /// By the owner's `sub`.
    pub owners: BTreeMap<String, Holdings>,
    pub objects: u64,
    pub bytes: u64,
    /// Keys under `u/` that are none of the layout's (reported, never touched).
    pub strangers: Vec<String>,
}

/// Lists every object under `u/`, a page at a time.
pub async fn take(objects: &dyn ObjectStore) -> Result<Inventory, StoreError> {
    let mut inventory = Inventory::default();
    let mut after: Option<String> = None;
    loop {
        let page = objects.list("u/", after.as_deref()).await?;
        for object in &page.objects {
            inventory.objects += 1;
            inventory.bytes += object.bytes;
            let Some(kept) = crate::store::ObjectKey::kept(&object.key) else {
                inventory.strangers.push(object.key.clone());
                continue;
            };
            let owner = match &kept {
                Kept::File(owner, ..)
                | Kept::Record(owner, _)
                | Kept::AlbumChange(owner, ..)
                | Kept::RestoreNote(owner, _)
                | Kept::PreviewsWanted(owner, _) => owner.clone(),
            };
            let holdings = inventory
                .owners
                .entry(owner.as_str().to_owned())
                .or_insert_with(|| Holdings::new(owner));
            match kept {
                Kept::File(_, id, Variant::Original) => {
                    holdings.originals.insert(
                        id,
                        Held {
                            bytes: object.bytes,
                            archived: object.archived,
                        },
                    );
                }
                Kept::File(_, _, Variant::Thumb | Variant::Web) => {
                    holdings.previews.insert(object.key.clone());
                }
                // Made again when a share link next plays the video; and
                // notes of work under way (a restore, previews to make).
                Kept::File(_, _, Variant::Shareable)
                | Kept::RestoreNote(..)
                | Kept::PreviewsWanted(..) => {}
                Kept::Record(_, id) => {
                    holdings.records.insert(id);
                }
                Kept::AlbumChange(_, album, name) => {
                    holdings.albums.entry(album).or_default().push(name);
                }
            }
        }
        match page.objects.last() {
            Some(last) if page.more => after = Some(last.key.clone()),
            _ => break,
        }
    }
    // Listed in key order already; sorted again so that no store's order is
    // trusted for the order changes are replayed in.
    for holdings in inventory.owners.values_mut() {
        for changes in holdings.albums.values_mut() {
            changes.sort();
        }
    }
    Ok(inventory)
}
