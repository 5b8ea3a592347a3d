//! [`Selection`]: the photos picked on the timeline (to download or delete
//! together). Clicking a tile's check mark, long-pressing a tile on a touch
//! screen, or shift-clicking starts it; while anything is selected, a click on a
//! tile toggles it instead of opening it; shift-click selects everything between
//! the last photo picked and this one; a day's heading selects the whole day.

use std::collections::HashSet;

use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Selection {
    ids: RwSignal<HashSet<String>>,
    /// The last photo picked: one end of a shift-click range.
    anchor: StoredValue<Option<String>>,
}

impl Default for Selection {
    fn default() -> Self {
        Self::new()
    }
}

impl Selection {
    pub fn new() -> Selection {
        Selection {
            ids: RwSignal::new(HashSet::new()),
            anchor: StoredValue::new(None),
        }
    }

    pub fn is_active(&self) -> bool {
        self.ids.with(|ids| !ids.is_empty())
    }

    pub fn count(&self) -> usize {
        self.ids.with(HashSet::len)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.ids.with(|ids| ids.contains(id))
    }

    pub fn ids(&self) -> Vec<String> {
        self.ids.with_untracked(|ids| ids.iter().cloned().collect())
    }

    pub fn toggle(&self, id: &str) {
        self.ids.update(|ids| {
            if !ids.remove(id) {
                ids.insert(id.to_owned());
            }
        });
        self.anchor.set_value(Some(id.to_owned()));
    }

    /// Selects every photo from the anchor to `id` in `order` (the timeline's
    /// photos, newest first), both ends included; just `id` without an anchor.
    pub fn extend_to(&self, id: &str, order: &[String]) {
        let anchor = self.anchor.get_value();
        let range = anchor
            .as_deref()
            .and_then(|anchor| range(order, anchor, id))
            .unwrap_or_else(|| vec![id.to_owned()]);
        self.ids.update(|ids| ids.extend(range));
        self.anchor.set_value(Some(id.to_owned()));
    }

    /// Selects all of `day`'s photos, or clears them if all already are.
    pub fn toggle_all(&self, day: &[String]) {
        self.ids.update(|ids| {
            if day.iter().all(|id| ids.contains(id)) {
                for id in day {
                    ids.remove(id);
                }
            } else {
                ids.extend(day.iter().cloned());
            }
        });
    }

    pub fn all_of(&self, day: &[String]) -> bool {
        !day.is_empty() && self.ids.with(|ids| day.iter().all(|id| ids.contains(id)))
    }

    pub fn remove(&self, id: &str) {
        self.ids.update(|ids| {
            ids.remove(id);
        });
    }

    pub fn clear(&self) {
        self.ids.update(HashSet::clear);
        self.anchor.set_value(None);
    }
}

/// The ids from `a` to `b` in `order`, whichever comes first.
fn range(order: &[String], a: &str, b: &str) -> Option<Vec<String>> {
    let first = order.iter().position(|id| id == a)?;
    let second = order.iter().position(|id| id == b)?;
    let (from, to) = (first.min(second), first.max(second));
    Some(order[from..=to].to_vec())
}

#[cfg(test)]
mod tests {
    use super::range;

    #[test]
    fn a_range_runs_either_way_and_includes_both_ends() {
        let order: Vec<String> = ["a", "b", "c", "d", "e"].map(String::from).to_vec();
        assert_eq!(
            range(&order, "b", "d"),
            Some(vec!["b".into(), "c".into(), "d".into()])
        );
        assert_eq!(
            range(&order, "d", "b"),
            Some(vec!["b".into(), "c".into(), "d".into()])
        );
        assert_eq!(range(&order, "c", "c"), Some(vec!["c".into()]));
        assert_eq!(range(&order, "x", "c"), None);
    }
}
