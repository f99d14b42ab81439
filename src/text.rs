//! The one message table: every string a person sees, in the page and in the figures, keyed by id.

/// A language of the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// Parses "en" or "zh" (with any region suffix); anything else is English.
    pub fn parse(code: &str) -> Lang {
        if code.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}

/// (id, English, Simplified Chinese). Templates name their values as `{name}`.
pub const MESSAGES: &[(&str, &str, &str)] = &[
    // Page
    ("app-title", "EM Lab", "EM 实验室"),
    ("app-subtitle", "The EM algorithm, one half-step at a time", "EM 算法，一次走半步"),
    ("btn-e-step", "E-step", "E 步"),
    ("btn-m-step", "M-step", "M 步"),
    ("btn-step", "Step (E+M)", "一步（E+M）"),
    ("btn-run", "Run", "运行"),
    ("btn-pause", "Pause", "暂停"),
    ("btn-reset", "Reset", "重置"),
    ("btn-undo", "Undo", "撤销"),
    ("label-preset", "Data", "数据"),
    ("label-k", "Components K", "分量数 K"),
    ("label-seed", "Seed", "随机种子"),
    ("label-bins", "Bins", "直方图箱数"),
    ("label-lang", "Language", "语言"),
    ("label-reg", "Variance floor (reg)", "方差下限（reg）"),
    ("label-iteration", "Iteration", "迭代"),
    ("label-phase", "Last step", "上一步"),
    ("label-loglik", "Log-likelihood ℓ(θ)", "对数似然 ℓ(θ)"),
    ("label-lower-bound", "Lower bound L(q, θ)", "下界 L(q, θ)"),
    ("label-gap", "Gap KL(q ‖ p(z|x,θ))", "差距 KL(q ‖ p(z|x,θ))"),
    ("label-converged", "Converged", "已收敛"),
    ("phase-init", "start (q uniform)", "初始（q 均匀）"),
    ("phase-e", "E-step", "E 步"),
    ("phase-m", "M-step", "M 步"),
    ("yes", "yes", "是"),
    ("no", "no", "否"),
    ("col-component", "Component", "分量"),
    ("col-weight", "Weight π", "权重 π"),
    ("col-mean", "Mean μ", "均值 μ"),
    ("col-variance", "Variance σ²", "方差 σ²"),
    ("col-sd", "Std. dev. σ", "标准差 σ"),
    ("keys-help", "Keys: E = E-step, M = M-step, Space = step, R = reset, U = undo, ← → = choose point", "按键：E = E 步，M = M 步，空格 = 一步，R = 重置，U = 撤销，← → = 选择数据点"),
    ("params-title", "Parameters θ", "参数 θ"),
    ("status-ready", "Ready. Click E-step.", "就绪。请点击 E 步。"),
    ("status-after-e", "E-step done: q is the posterior, so the bound touches ℓ (gap 0).", "E 步完成：q 等于后验，下界与 ℓ 相切（差距为 0）。"),
    ("status-after-m", "M-step done: θ maximises the bound, so ℓ rose.", "M 步完成：θ 使下界最大，ℓ 随之上升。"),
    ("status-converged", "Converged: ℓ changes by less than the tolerance.", "已收敛：ℓ 的变化小于容差。"),
    ("preset-heights", "Heights of men and women (cm)", "男女身高（厘米）"),
    ("preset-two-gaussians", "Two Gaussians (20 and 40)", "两个高斯（20 与 40）"),
    ("preset-three-gaussians", "Three Gaussians", "三个高斯"),
    // Figures
    ("fig-histogram", "Histogram and mixture", "直方图与混合分布"),
    ("axis-x", "x", "x"),
    ("axis-density", "density", "密度"),
    ("legend-mixture", "mixture p(x)", "混合 p(x)"),
    ("legend-component", "π{k} N(x | μ{k}, σ{k}²)", "π{k} N(x | μ{k}, σ{k}²)"),
    ("strip-label", "responsibilities q", "责任 q"),
    // Errors
    ("err-empty", "The data set is empty: give at least one number.", "数据集为空：请至少提供一个数。"),
    ("err-too-many", "Too many points: {got}; the page holds at most {max}.", "数据点太多：{got} 个；页面最多容纳 {max} 个。"),
    ("err-not-a-number", "Line {line}, column {column}: “{text}” is not a number.", "第 {line} 行第 {column} 列：“{text}” 不是数字。"),
    ("err-non-finite", "Line {line}, column {column}: “{text}” is not a finite number (NaN or infinity).", "第 {line} 行第 {column} 列：“{text}” 不是有限数（NaN 或无穷）。"),
    ("err-out-of-range", "Line {line}, column {column}: “{text}” is too large for a 64-bit number.", "第 {line} 行第 {column} 列：“{text}” 超出 64 位浮点数范围。"),
    ("err-field-count", "Line {line} has {got} fields; expected {expected}.", "第 {line} 行有 {got} 个字段，应为 {expected} 个。"),
    ("err-coin-line", "Line {line}, column {column}: “{text}” is not H, T, 1 or 0.", "第 {line} 行第 {column} 列：“{text}” 不是 H、T、1 或 0。"),
    ("err-coin-counts", "Line {line}: heads must be a whole number between 0 and tosses, and tosses at least 1.", "第 {line} 行：正面次数须为 0 到抛掷次数之间的整数，抛掷次数至少为 1。"),
    ("err-too-few-distinct", "Only {distinct} distinct values for K = {k} components: lower K or add data.", "只有 {distinct} 个不同的值，少于 K = {k} 个分量：请减小 K 或增加数据。"),
    ("err-k-range", "K = {k} is out of range: choose 1 to {max}.", "K = {k} 超出范围：请选择 1 到 {max}。"),
    ("err-wrong-length", "“{what}” has {got} entries; expected {expected}.", "“{what}” 有 {got} 个值，应为 {expected} 个。"),
    ("err-param-not-finite", "{what} of component {k} is not a finite number.", "分量 {k} 的 {what} 不是有限数。"),
    ("err-variance", "Variance of component {k} is {value}; it must be positive.", "分量 {k} 的方差为 {value}，必须为正。"),
    ("err-negative-weight", "Weight of component {k} is {value}; weights cannot be negative.", "分量 {k} 的权重为 {value}，权重不能为负。"),
    ("err-weights-sum", "The weights sum to {sum}; they must sum to 1.", "权重之和为 {sum}，必须为 1。"),
    ("err-probability", "Probability of component {k} is {value}; it must lie between 0 and 1.", "分量 {k} 的概率为 {value}，必须在 0 与 1 之间。"),
    ("err-not-symmetric", "Covariance of component {k} is not symmetric.", "分量 {k} 的协方差矩阵不对称。"),
    ("err-not-pd", "Covariance of component {k} is not positive definite.", "分量 {k} 的协方差矩阵不是正定的。"),
    ("err-option", "Option {name} = {value} is not allowed: it must be a finite number ≥ 0.", "选项 {name} = {value} 无效：必须是 ≥ 0 的有限数。"),
    ("err-unknown-preset", "There is no preset called “{name}”.", "没有名为 “{name}” 的预设数据。"),
    ("err-unknown-model", "There is no model called “{name}”.", "没有名为 “{name}” 的模型。"),
    ("err-shape", "The parameters are not in the expected form: {what}.", "参数格式不对：{what}。"),
    ("err-collapsed", "Component {k} collapsed onto data point {point} (variance {value}): the likelihood grows without bound.", "分量 {k} 塌缩到第 {point} 个数据点上（方差 {value}）：似然无上界地增长。"),
    ("err-no-such-point", "There is no data point {index}; the data set has {len}.", "没有第 {index} 个数据点；数据集共有 {len} 个。"),
    ("err-no-such-column", "There is no column {column}; the data has {columns}.", "没有第 {column} 列；数据共有 {columns} 列。"),
];

/// The message `id` in `lang`; an unknown id comes back as itself so a gap is visible, not silent.
pub fn get(lang: Lang, id: &str) -> &str {
    match MESSAGES.iter().find(|(key, _, _)| *key == id) {
        Some((_, en, zh)) => match lang {
            Lang::En => en,
            Lang::Zh => zh,
        },
        None => id,
    }
}

/// Replaces every `{name}` in `template` by its value.
pub fn fill(template: &str, args: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_both_languages_are_filled() {
        let mut ids: Vec<_> = MESSAGES.iter().map(|m| m.0).collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), before, "duplicate message id");
        for (id, en, zh) in MESSAGES {
            assert!(
                !en.is_empty() && !zh.is_empty(),
                "{id} is missing a language"
            );
        }
    }

    #[test]
    fn templates_use_the_same_names_in_both_languages() {
        let names = |s: &str| {
            let mut v: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
                .collect();
            v.sort();
            v
        };
        for (id, en, zh) in MESSAGES {
            assert_eq!(names(en), names(zh), "{id}");
        }
    }

    #[test]
    fn fill_replaces_every_name() {
        let s = fill(
            get(Lang::En, "err-field-count"),
            &[
                ("line", "3".into()),
                ("got", "2".into()),
                ("expected", "1".into()),
            ],
        );
        assert_eq!(s, "Line 3 has 2 fields; expected 1.");
        assert_eq!(get(Lang::Zh, "btn-e-step"), "E 步");
        assert_eq!(get(Lang::En, "no-such-id"), "no-such-id");
    }
}
