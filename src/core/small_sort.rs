//! A stable sort for short or nearly sorted slices (a figure's few markers, a slice's samples, which
//! arrive in order): insertion sort, a few hundred bytes of wasm, where the standard library's stable
//! sort is about 6.5 KB per element type and comparison.

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

#[cfg(test)]
mod tests {
    use super::sort_small_by;
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
}
