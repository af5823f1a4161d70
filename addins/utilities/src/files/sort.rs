//! The seven sort orders of a folder listing. Every order but
//! [`Order::Unsorted`] puts folders before files; ties are broken by name
//! so the order is always the same.

use core::cmp::Ordering;

use super::tree::Entry;

/// How a listing is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// As the OS lists them.
    Unsorted,
    /// Name, A to Z (without case).
    NameAscending,
    /// Name, Z to A.
    NameDescending,
    /// Extension, A to Z, then name.
    TypeAscending,
    /// Extension, Z to A, then name.
    TypeDescending,
    /// Size, smallest first, then name.
    SizeAscending,
    /// Size, largest first, then name.
    SizeDescending,
}

impl Order {
    /// Every order, in the menu's order.
    pub const ALL: [Order; 7] = [
        Order::Unsorted,
        Order::NameAscending,
        Order::NameDescending,
        Order::TypeAscending,
        Order::TypeDescending,
        Order::SizeAscending,
        Order::SizeDescending,
    ];

    /// The menu label.
    pub fn label(self) -> &'static str {
        match self {
            Order::Unsorted => "None",
            Order::NameAscending => "Name (A-Z)",
            Order::NameDescending => "Name (Z-A)",
            Order::TypeAscending => "Type (A-Z)",
            Order::TypeDescending => "Type (Z-A)",
            Order::SizeAscending => "Size (small first)",
            Order::SizeDescending => "Size (big first)",
        }
    }
}

/// The extension after the last dot ("" without one).
pub fn extension(name: &str) -> &str {
    match name.rfind('.') {
        Some(dot) if dot > 0 => &name[dot + 1..],
        _ => "",
    }
}

fn by_name(left: &Entry, right: &Entry) -> Ordering {
    let folded = |entry: &Entry| {
        entry
            .name
            .bytes()
            .map(|byte| byte.to_ascii_lowercase())
            .collect::<heapless::Vec<u8, 256>>()
    };
    folded(left).cmp(&folded(right)).then_with(|| left.name.cmp(&right.name))
}

fn by_type(left: &Entry, right: &Entry) -> Ordering {
    let folded = |entry: &Entry| {
        extension(&entry.name)
            .bytes()
            .map(|byte| byte.to_ascii_lowercase())
            .collect::<heapless::Vec<u8, 256>>()
    };
    folded(left).cmp(&folded(right))
}

/// Sorts `entries` in `order` (stable).
pub fn sort(entries: &mut [Entry], order: Order) {
    if order == Order::Unsorted {
        return;
    }
    entries.sort_by(|left, right| {
        let folders_first = right.is_dir.cmp(&left.is_dir);
        let key = match order {
            Order::Unsorted => Ordering::Equal,
            Order::NameAscending => by_name(left, right),
            Order::NameDescending => by_name(right, left),
            Order::TypeAscending => by_type(left, right).then_with(|| by_name(left, right)),
            Order::TypeDescending => by_type(right, left).then_with(|| by_name(left, right)),
            Order::SizeAscending => left.size.cmp(&right.size).then_with(|| by_name(left, right)),
            Order::SizeDescending => right.size.cmp(&left.size).then_with(|| by_name(left, right)),
        };
        folders_first.then(key)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, is_dir: bool, size: u32) -> Entry {
        Entry { name: name.into(), is_dir, size }
    }

    fn names(entries: &[Entry]) -> Vec<&str> {
        entries.iter().map(|e| e.name.as_str()).collect()
    }

    fn sample() -> Vec<Entry> {
        vec![
            entry("b.txt", false, 300),
            entry("Zeta", true, 0),
            entry("a.G3A", false, 100),
            entry("c.bmp", false, 200),
            entry("alpha", true, 0),
            entry("README", false, 200),
        ]
    }

    #[test]
    fn seven_orders() {
        let expected: [(Order, [&str; 6]); 7] = [
            (Order::Unsorted, ["b.txt", "Zeta", "a.G3A", "c.bmp", "alpha", "README"]),
            (Order::NameAscending, ["alpha", "Zeta", "a.G3A", "b.txt", "c.bmp", "README"]),
            (Order::NameDescending, ["Zeta", "alpha", "README", "c.bmp", "b.txt", "a.G3A"]),
            (Order::TypeAscending, ["alpha", "Zeta", "README", "c.bmp", "a.G3A", "b.txt"]),
            (Order::TypeDescending, ["alpha", "Zeta", "b.txt", "a.G3A", "c.bmp", "README"]),
            (Order::SizeAscending, ["alpha", "Zeta", "a.G3A", "c.bmp", "README", "b.txt"]),
            (Order::SizeDescending, ["alpha", "Zeta", "b.txt", "c.bmp", "README", "a.G3A"]),
        ];
        assert_eq!(Order::ALL.len(), 7);
        for (order, want) in expected {
            let mut entries = sample();
            sort(&mut entries, order);
            assert_eq!(names(&entries), want, "{}", order.label());
        }
    }

    #[test]
    fn extensions() {
        assert_eq!(extension("a.b.txt"), "txt");
        assert_eq!(extension(".hidden"), "");
        assert_eq!(extension("noext"), "");
    }
}
