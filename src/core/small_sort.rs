//! The page's own sorts, each a few hundred bytes of wasm where the standard library's are kilobytes per
//! element type: a stable sort for short or nearly sorted slices (a figure's few markers, a slice's
//! samples, which arrive in order), insertion sort, where the standard library's stable sort is about
//! 6.5 KB; and a radix sort for many integers (the data's distinct values), where `sort_unstable` is about
//! 4.9 KB.

/// Sorts `v` stably by `less` (a strict weak order): the order `slice::sort_by` gives with the
/// comparison `less` stands for. O(n) on sorted input, O(n²) at worst: only for short slices.
pub fn sort_small_by<T>(v: &mut [T], mut less: impl FnMut(&T, &T) -> bool) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && less(&v[j], &v[j - 1]) {
            v.swap(j, j - 1);
            j -= 1;
        }
    }
}

/// Sorts `keys` in increasing order: least significant byte first, a counting pass per byte, skipping
/// the bytes every key shares. O(n) time and one buffer of n keys; the order `sort_unstable` gives.
pub fn sort_u64(keys: &mut Vec<u64>) {
    let (Some(&first), true) = (keys.first(), keys.len() > 1) else {
        return;
    };
    // The bits in which some key differs from the first: only their bytes need a pass.
    let differ = keys.iter().fold(0, |acc, &k| acc | (k ^ first));
    let mut buffer = vec![0u64; keys.len()];
    for shift in (0..64).step_by(8) {
        if (differ >> shift) & 0xff == 0 {
            continue;
        }
        let byte = |k: u64| ((k >> shift) & 0xff) as usize;
        let mut start = [0usize; 256];
        for &k in keys.iter() {
            start[byte(k)] += 1;
        }
        let mut at = 0;
        for slot in start.iter_mut() {
            (*slot, at) = (at, at + *slot);
        }
        for &k in keys.iter() {
            let b = byte(k);
            buffer[start[b]] = k;
            start[b] += 1;
        }
        std::mem::swap(keys, &mut buffer);
    }
}

#[cfg(test)]
mod tests {
    use super::{sort_small_by, sort_u64};
    use rand::RngExt;

    #[test]
    fn sorts_as_the_standard_stable_sort_does_ties_included() {
        let mut r = crate::core::sample::rng(7);
        for n in [0, 1, 2, 3, 10, 57] {
            for _ in 0..50 {
                // Keys with many ties, tagged with their position so a change of order among ties shows.
                let v: Vec<(u8, usize)> = (0..n).map(|i| (r.random_range(0..4u8), i)).collect();
                let mut ours = v.clone();
                sort_small_by(&mut ours, |a, b| a.0 < b.0);
                let mut std = v.clone();
                std.sort_by_key(|p| p.0);
                assert_eq!(ours, std, "{v:?}");
            }
        }
    }

    #[test]
    fn sorts_integers_as_sort_unstable_does() {
        let mut r = crate::core::sample::rng(11);
        for n in [0, 1, 2, 3, 10, 257, 5_000] {
            for spread in [1u64, 3, 300, 1 << 20, 1 << 40, u64::MAX] {
                let v: Vec<u64> = (0..n)
                    .map(|_| {
                        r.random_range(0..=spread)
                            .wrapping_mul(if spread == 1 << 40 { 1 << 20 } else { 1 })
                    })
                    .collect();
                let mut ours = v.clone();
                sort_u64(&mut ours);
                let mut std = v.clone();
                std.sort_unstable();
                assert_eq!(ours, std, "n {n}, spread {spread}");
            }
        }
    }
}
