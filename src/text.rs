//! The one message table: every string a person sees, in the page and in the figures, keyed by id.

/// A language of the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// "en" or "zh", any case, alone or with a region ("zh-CN", "en_US"); `None` for any other code.
    pub fn known(code: &str) -> Option<Lang> {
        let code = code.to_ascii_lowercase();
        let base = code.split(['-', '_']).next().unwrap_or("");
        match base {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// Writes the message table as one text, each message `id␁English␁Chinese␀`: a list of 357 × 3 string
/// references would be 8.6 KB more of the wasm's data.
macro_rules! message_table {
    ($(($id:literal, $en:literal, $zh:literal)),* $(,)?) => {
        concat!($($id, "\u{1}", $en, "\u{1}", $zh, "\u{0}"),*)
    };
}

/// (id, English, Simplified Chinese). Templates name their values as `{name}`. `\u{2060}` (a word joiner)
/// keeps a formula such as |Δℓ|/N on one line: a browser may break a line after "|" or "/"; a no-break
/// space (`\u{a0}`) keeps "L(q, θ)" or "(q uniform)" whole where a readout breaks its line.
const TABLE: &str = message_table![
    // Page
    ("app-title", "EM Lab", "EM 实验室"),
    ("app-subtitle", "The EM algorithm, one half-step at a time", "期望最大化（EM）算法，一次走半步"),
    ("btn-e-step", "E-step", "E 步"),
    ("btn-m-step", "M-step", "M 步"),
    ("btn-step", "Step (E+M)", "一步（E+M）"),
    ("btn-run", "Run", "运行"),
    ("btn-pause", "Pause", "暂停"),
    ("btn-reset", "Reset", "重置"),
    ("btn-undo", "Undo", "撤销"),
    ("btn-redo", "Redo", "重做"),
    ("label-timeline", "Half-steps", "半步进度"),
    ("timeline-value", "half-step {i} of {n}", "第 {i} 个半步，共 {n} 个"),
    ("label-preset", "Data", "数据"),
    ("label-k", "Components K", "分量数 K"),
    ("label-seed", "Seed", "随机种子"),
    ("label-bins", "Bins", "直方图箱数"),
    ("label-lang", "Language", "语言"),
    ("label-reg", "Variance floor (reg)", "方差下限（reg）"),
    ("label-iteration", "Iteration", "迭代"),
    ("label-phase", "Last step", "上一步"),
    ("label-loglik", "Log-likelihood ℓ(θ)", "对数似然 ℓ(θ)"),
    ("label-lower-bound", "Lower bound L(q,\u{a0}θ)", "下界 L(q,\u{a0}θ)"),
    ("label-gap", "Gap KL(q\u{a0}‖\u{a0}p(z|x,θ))", "差距 KL(q\u{a0}‖\u{a0}p(z|x,θ))"),
    ("label-gap-short", "Gap KL", "差距 KL"),
    ("label-converged", "Converged", "已收敛"),
    ("phase-init", "start (q\u{a0}uniform)", "初始（q\u{a0}均匀）"),
    ("phase-init-hard", "start (no\u{a0}assignment\u{a0}yet)", "初始（尚未分配）"),
    ("phase-e", "E-step", "E 步"),
    ("phase-m", "M-step", "M 步"),
    ("phase-collapsed", "M-step refused (a collapse)", "M 步被拒（塌缩）"),
    ("phase-e-hard", "E-step (assign)", "E 步（分配）"),
    ("phase-m-hard", "M-step (update)", "M 步（更新）"),
    ("yes", "yes", "是"),
    ("no", "no", "否"),
    ("col-component", "k", "k"),
    ("col-weight", "Weight π", "权重 π"),
    ("col-mean", "Mean μ", "均值 μ"),
    ("col-variance", "Variance σ²", "方差 σ²"),
    ("col-sd", "Std. dev. σ", "标准差 σ"),
    ("keys-help", "Keys: E = E-step, M = M-step, Space = step, R = reset, U = undo, Y = redo, ← → = choose point, P = presentation, ? = all keys", "按键：E 步 = E，M 步 = M，空格 = 一步，R = 重置，U = 撤销，Y = 重做，← → = 选择数据点，P = 演示模式，? = 全部按键"),
    ("btn-present", "Present", "演示"),
    ("btn-present-exit", "Leave (Esc)", "退出（Esc）"),
    ("keys-title", "Keyboard shortcuts", "键盘快捷键"),
    ("keys-note", "They act whenever the cursor is not in a text field; Esc leaves a field.", "光标不在文本框中时即可使用；Esc 离开文本框。"),
    ("key-jensen", "choose the point of the Jensen figure", "选择 Jensen 图中的数据点"),
    ("key-present", "presentation mode: only the figures and the step buttons", "演示模式：只显示图和步骤按钮"),
    ("key-figures", "in presentation mode: one figure large (1 for the first shown, 2 for the second, …) or all (0)", "演示模式中：放大一张图（1 为第一张，2 为第二张，…）或显示全部（0）"),
    ("key-help", "show or hide this list", "显示或隐藏此列表"),
    ("key-escape", "leave presentation mode, this list or a field", "退出演示模式、此列表或文本框"),
    ("btn-close", "Close", "关闭"),
    ("key-space", "Space", "空格"),
    ("section-steps", "EM steps and data", "EM 步骤与数据"),
    ("section-readouts", "Readouts", "读数"),
    ("section-floor", "Variance floor and collapse", "方差下限与塌缩"),
    ("params-title", "Parameters θ", "参数 θ"),
    ("status-ready", "Ready. Click E-step.", "就绪。请点击 E 步。"),
    ("status-collapsed", "M-step refused: EM stops here until component {k} is re-initialised or a step is undone.", "M 步被拒：在重新初始化分量 {k} 或撤销一步之前，EM 停在这里。"),
    ("status-after-e", "E-step done: q is the posterior, so the bound touches ℓ (gap 0).", "E 步完成：q 等于隐变量的后验概率，下界与 ℓ 相切（差距为 0）。"),
    ("status-after-m", "M-step done: θ maximises the bound, so ℓ rose.", "M 步完成：θ 使下界最大，ℓ 随之上升。"),
    ("status-floor-changed", "The variance floor is now reg = {reg}: a new M-step adds it to every variance.", "方差下限现为 reg = {reg}：新的 M 步会把它加到每个方差上。"),
    ("status-after-m-fell", "M-step done: θ maximises the bound, but the variance floor added to every variance moved it off that maximum, and ℓ fell.", "M 步完成：θ 使下界最大，但加在每个方差上的方差下限使它偏离了该最大值，ℓ 下降了。"),
    ("status-ready-hard", "Ready. Click E-step to assign each point to its nearest centre.", "就绪。请点击 E 步，把每个点分配给最近的中心。"),
    ("status-after-e-hard", "Assignment step done: each point to its nearest centre; J cannot rise.", "分配步完成：每个点归属最近的中心，J 不会上升。"),
    ("status-after-m-hard", "Update step done: each centre is the mean of its points, so J fell.", "更新步完成：每个中心移到其所属点的均值处，J 随之下降。"),
    ("preset-heights", "Heights of men and women (cm)", "男女身高（厘米）"),
    ("preset-two-gaussians", "Two Gaussians (20 and 40)", "两个高斯分布（20 与 40）"),
    ("preset-three-gaussians", "Three Gaussians", "三个高斯分布"),
    // Figures
    ("fig-histogram", "Histogram and mixture", "直方图与混合分布"),
    ("axis-x", "x", "x"),
    ("axis-density", "density", "密度"),
    ("legend-mixture", "mixture p(x)", "混合分布 p(x)"),
    ("legend-mixture-short", "p(x)", "p(x)"),
    ("legend-component", "π{k} N(x | μ{k}, σ{k}²)", "π{k} N(x | μ{k}, σ{k}²)"),
    ("strip-label", "responsibilities q", "响应度 q"),
    ("fig-slice", "Lower bound along a line in θ", "沿 θ 空间一条直线的下界"),
    ("axis-slice-t", "t, where θ(t) = θ_old + t (θ_new − θ_old)", "t，θ(t) = θ_old + t (θ_new − θ_old)"),
    ("axis-value", "log-likelihood (nats)", "对数似然（奈特）"),
    ("axis-value-short", "ℓ, L (nats)", "ℓ、L（奈特）"),
    ("axis-relative", "value − ℓ(θ_old)", "数值 − ℓ(θ_old)"),
    ("legend-loglik", "ℓ(θ) log-likelihood", "ℓ(θ) 对数似然"),
    ("legend-bound", "L(q, θ) lower bound", "L(q, θ) 下界"),
    ("mark-old", "θ_old", "θ_old"),
    ("mark-new", "θ_new", "θ_new"),
    ("mark-kl", "KL = {value}", "KL = {value}"),
    ("mark-kl-zero", "KL = 0: the bound touches ℓ here", "KL = 0：下界在此与 ℓ 相切"),
    ("mark-kl-rounded", "KL under 10⁻¹²·|ℓ|: shown as 0", "KL 小于 10⁻¹²·|ℓ|，记为 0"),
    ("axis-kl", "KL", "KL"),
    ("axis-relative-new", "value − ℓ(θ_new)", "数值 − ℓ(θ_new)"),
    ("slice-flat", "ℓ and the bound agree along this line: EM has nothing left to climb", "沿这条直线 ℓ 与下界一致：EM 已无处可爬"),
    ("slice-flat-short", "ℓ = L along this line: nothing left to climb", "沿此直线 ℓ = L：已无处可爬"),
    ("fig-jensen", "Jensen's inequality for one point", "单个数据点上的 Jensen 不等式"),
    ("fig-jensen-short", "Jensen's inequality", "Jensen 不等式"),
    ("axis-r", "r = p(x, k | θ) / q_k", "r = p(x, k | θ) / q_k"),
    ("axis-ln-r", "ln r", "ln r"),
    ("legend-ln", "y = ln r (concave)", "y = ln r，凹函数（上凸）"),
    ("legend-chord", "Σ q_k ln r_k (this point's share of L)", "Σ q_k ln r_k（该点对 L 的贡献）"),
    ("legend-curve", "ln p(x | θ) (this point's share of ℓ)", "ln p(x | θ)（该点对 ℓ 的贡献）"),
    ("legend-gap", "gap KL = {value}", "差距 KL = {value}"),
    ("jensen-window", "{axis}, zoomed: {r0} … {r1}", "{axis}，放大显示：{r0} … {r1}"),
    ("jensen-magnified", "the gap ×{factor}", "差距 ×{factor}"),
    ("trace-magnified", "the last {n} iterations ×{factor}", "最近 {n} 次迭代 ×{factor}"),
    ("jensen-meet", "q = posterior: the points meet, the gap is 0", "q = 后验：各点重合，差距为 0"),
    ("jensen-meet-rounded", "the whole gap is under 10⁻¹²·|ℓ|: shown as 0", "总差距小于 10⁻¹²·|ℓ|，记为 0"),
    ("jensen-meet-point", "this point's gap is within rounding of 0", "该点的差距在舍入误差之内，记为 0"),
    ("jensen-unseen", "The gap comes from component {k}: q = {q}, too small for a marker, with r ≈ 0", "差距来自分量 {k}：q = {q}，小到无法画出，且 r ≈ 0"),
    ("fig-split", "ℓ = L + KL", "ℓ = L + KL"),
    ("legend-split-bound", "L(q, θ) lower bound", "L(q, θ) 下界"),
    ("legend-split-gap", "KL gap", "KL 差距"),
    ("legend-split-gap-widened", "KL gap (bar widened)", "KL 差距（条已加宽）"),
    ("fig-trace", "Log-likelihood and bound trace", "对数似然与下界的轨迹"),
    ("axis-iteration", "iteration (E-steps at ½)", "迭代（E 步在 ½ 处）"),
    ("axis-iteration-hard", "iteration (assignments at ½)", "迭代（分配在 ½ 处）"),
    ("mark-converged", "converged", "已收敛"),
    ("label-covariance", "Covariance", "协方差类型"),
    ("cov-full", "full", "完全"),
    ("cov-diag", "diagonal", "对角"),
    ("cov-spherical", "spherical", "球形"),
    ("label-start", "Start", "初值"),
    ("label-fix-weights", "Fix the weights π (Do & Batzoglou)", "固定权重 π（Do 与 Batzoglou）"),
    ("label-compare", "Side by side: k-means and soft EM from the same start", "并排比较：同一初值的 k 均值与软 EM"),
    ("label-objective", "Objective J", "目标函数 J"),
    ("fig-twin", "The other model, from the same start", "同一初值的另一模型"),
    ("fig-twin-trace", "The other model's trace", "另一模型的轨迹"),
    ("fig-path", "Path of θ over the iterations", "θ 的迭代路径"),
    ("fig-coins", "Which coin tossed each set?", "每组是哪枚硬币抛的？"),
    ("col-covariance", "Covariance Σ", "协方差 Σ"),
    ("col-centre", "Centre", "中心"),
    ("col-heads", "Heads prob. θ", "正面概率 θ"),
    ("group-gmm1d", "1-D Gaussian mixtures", "一维高斯混合模型"),
    ("group-gmm2d", "2-D Gaussian mixtures", "二维高斯混合模型"),
    ("group-kmeans", "k-means (hard EM)", "k 均值（硬 EM）"),
    ("group-coins", "Coins", "抛硬币"),
    ("preset-old-faithful", "Old Faithful (standardised)", "老忠实泉喷发（标准化）"),
    ("preset-three-blobs", "Three round clusters", "三个圆形簇"),
    ("preset-two-elongated", "Two overlapping long clusters", "两个细长且重叠的簇"),
    ("preset-three-coins", "Three coins (Li Hang, 9.1)", "三硬币模型（李航 例 9.1）"),
    ("preset-five-sets", "Two coins (Do & Batzoglou)", "两枚硬币（Do 与 Batzoglou）"),
    ("start-n", "Start {n}: {values}", "初值 {n}：{values}"),
    ("slice-unbounded", "θ_new would put a component on one point: ℓ(θ_new) = +∞", "θ_new 会让一个分量落在单个点上：ℓ(θ_new) = +∞"),
    ("mark-collapse", "component {k}: σ² → 0, density → ∞", "分量 {k}：σ² → 0，密度 → ∞"),
    ("status-empty", "Component {k} has no points: its centre stays where it was.", "分量 {k} 没有数据点：其中心保持不变。"),
    ("label-hard", "Colour by hard assignment (argmax q)", "按硬分配（argmax q）着色"),
    ("fig-trace-hard", "k-means objective trace", "k 均值目标函数的轨迹"),
    ("axis-objective", "J: sum of squared distances", "J（簇内平方和）"),
    ("axis-objective-short", "objective J", "目标 J"),
    ("legend-objective", "J (never increases)", "J（从不增加）"),
    ("label-slice", "Slice along", "切片方向"),
    ("slice-em", "the EM direction (θ_old → θ_new)", "EM 方向（θ_old → θ_new）"),
    ("formulas-title", "The formulas, with this step's numbers", "公式与本步的数值"),
    ("formula-e-next", "Next E-step, for the chosen point (from the current θ)", "下一次 E 步：所选数据点（由当前 θ）"),
    ("formula-e-done", "The E-step just done, for the chosen point", "刚完成的 E 步：所选数据点"),
    ("formula-m-next", "Next M-step, from the current q", "下一次 M 步（由当前 q）"),
    ("formula-m-done", "The M-step just done, from the current q", "刚完成的 M 步（由当前 q）"),
    // Data panel: your data, storage, shared links, the collapse lesson
    ("preset-collapse", "Collapse: 12 points + outlier", "塌缩：12 个点加一个离群点"),
    ("seed-note", "This lesson starts from its own θ at K = {k}: the seed picks the random start at other K.", "本课在 K = {k} 时从自带的 θ 开始：种子只用于其他 K 的随机起点。"),
    ("preset-custom", "Your data", "你的数据"),
    ("data-title", "Your data", "你的数据"),
    ("data-summary", "{n} points", "{n} 个数据点"),
    ("data-summary-one", "{n} point", "{n} 个数据点"),
    ("data-paste-label", "Paste or type numbers (CSV or TSV, one value per line or several columns):", "粘贴或输入数字（CSV 或 TSV，每行一个值或多列）："),
    ("data-file", "Open a file (or drop it on the page)", "打开文件（或拖放到页面上）"),
    ("data-file-button", "Choose a file…", "选择文件…"),
    ("data-column", "Column", "列"),
    ("data-column-n", "column {n}", "第 {n} 列"),
    ("btn-data-use", "Use this data", "使用这些数据"),
    ("btn-data-clear", "Clear", "清空"),
    ("btn-start-over", "Start over", "从头开始"),
    ("click-mode", "Clicking on the histogram:", "点击直方图："),
    ("mode-add", "adds a point", "添加数据点"),
    ("mode-remove", "removes the nearest", "删除最近的点"),
    ("click-hint", "In add mode, Shift-click removes the nearest point.", "在添加模式下，Shift+点击删除最近的点。"),
    ("confirm-clear", "Remove all data points and empty the text box? Undo cannot bring them back.", "删除所有数据点并清空文本框？撤销无法恢复它们。"),
    ("confirm-start-over", "Start over? Your data and session will be deleted from this browser.", "从头开始？你的数据和进度将从此浏览器中删除。"),
    ("data-used", "Using your data: {n} points.", "正在使用你的数据：{n} 个数据点。"),
    ("data-used-one", "Using your data: {n} point.", "正在使用你的数据：{n} 个数据点。"),
    ("data-added", "Added x = {x}; EM starts again from the current θ.", "已添加 x = {x}；EM 从当前 θ 重新开始。"),
    ("data-added-means", "Added x = {x}; the current θ is no start for the new data, so EM starts again from its means with equal weights and the data's variance.", "已添加 x = {x}；当前 θ 不能作为新数据的起点，EM 从其均值以相等权重和数据方差重新开始。"),
    ("data-removed", "Removed x = {x}; EM starts again from the current θ.", "已删除 x = {x}；EM 从当前 θ 重新开始。"),
    ("data-removed-means", "Removed x = {x}; the current θ is no start for the data left, so EM starts again from its means with equal weights and the data's variance.", "已删除 x = {x}；当前 θ 不能作为剩余数据的起点，EM 从其均值以相等权重和数据方差重新开始。"),
    ("data-click-here", "Click here to add a point", "点击此处添加数据点"),
    ("data-build-other-kind", "Points clicked in after Clear are for the figure on the page. To build data for a model of another kind, choose one of its lessons first, then Clear.", "清空后点击添加的数据点属于当前页面上的图形。要为另一类模型构建数据，请先选择它的一个课程，再清空。"),
    ("data-empty-state", "No data: click on the figure while “adds a point” is on, type or paste numbers under “Your data”, or open a file.", "没有数据：在“添加数据点”开启时点击图形，或在“你的数据”中输入或粘贴数字，或打开文件。"),
    ("data-k-reduced", "Distinct values so far: {distinct}. Using K = {used} until there are {k}.", "目前只有 {distinct} 个不同的值：在达到 {k} 个之前暂用 K = {used}。"),
    ("data-restored", "Restored your last session from this browser.", "已从此浏览器恢复上次的进度。"),
    ("err-file-too-large", "The file is {size} MB; the page opens files up to {max} MB.", "文件大小为 {size} MB；页面最多打开 {max} MB 的文件。"),
    ("err-file-read", "The file could not be read as text.", "无法以文本方式读取该文件。"),
    ("err-reg-input", "Variance floor: enter a number from 0 to {max}, for example 1e-6 or 0.", "方差下限：请输入 0 到 {max} 之间的数，例如 1e-6 或 0。"),
    ("storage-unavailable", "This browser does not allow saving here: the page works, but a reload will lose your data.", "此浏览器不允许在此保存：页面照常工作，但刷新后数据会丢失。"),
    ("storage-full", "Browser storage is full: your data ({n} points) is not saved, so a reload would lose it. The page keeps working.", "浏览器存储已满：你的数据（{n} 个点）未能保存，刷新后会丢失。页面仍可继续使用。"),
    ("url-too-long", "The link was ignored: it is {len} characters long; at most {max} are accepted.", "已忽略该链接：长度为 {len} 个字符，最多接受 {max} 个。"),
    ("url-bad-key", "The link was ignored: “{key}” is not a setting EM Lab knows.", "已忽略该链接：EM 实验室没有名为 “{key}” 的设置。"),
    ("url-bad-value", "The link was ignored: {key} = “{text}” is not a usable value.", "已忽略该链接：{key} = “{text}” 不是可用的值。"),
    ("url-bad-params", "The link was ignored: params must be weight,mean,variance for each component, separated by “;”.", "已忽略该链接：params 须为每个分量的 权重,均值,方差，分量之间用 “;” 分隔。"),
    ("url-bad-preset", "The link was ignored: it names a data set that does not exist.", "已忽略该链接：其中的数据集不存在。"),
    ("url-repeated-key", "The link was ignored: it gives “{key}” twice.", "已忽略该链接：其中 “{key}” 出现了两次。"),
    ("url-params-1d", "The link was ignored: params (weight,mean,variance for each component) is for the 1-D lessons only.", "已忽略该链接：params（每个分量的 权重,均值,方差）只适用于一维课程。"),
    ("url-rejected", "The link's parameters were not used: {reason}", "未使用链接中的参数：{reason}"),
    ("collapse-title", "The M-step would collapse a component", "M 步会让一个分量塌缩"),
    ("collapse-explain", "The M-step would put component {k} on the single point x = {x} alone (σ² = {value}): a Gaussian on one point has density 1/√(2πσ²) there, which grows without bound as σ → 0. So ℓ(θ) has no maximum and EM stopped before that step; re-initialise the component or set reg above 0.", "M 步会让分量 {k} 只落在单个数据点 x = {x} 上（σ² = {value}）：落在一个点上的高斯分布在该点的密度为 1/√(2πσ²)，当 σ → 0 时无上界地增大。因此 ℓ(θ) 没有最大值，EM 在这一步之前停下；请重新初始化该分量，或把 reg 设为大于 0。"),
    ("btn-reinit", "Re-initialise component {k}", "重新初始化分量 {k}"),
    ("collapse-explain-floor", "The M-step would put component {k} on the single point x = {x} alone (σ² = {value}). The variance floor reg = {reg} would keep σ² above 0, but it is tiny against this data's spread, so this one point's density 1/√(2πσ²) would outweigh the rest of the data and EM stopped before that step; re-initialise the component or raise reg.", "M 步会让分量 {k} 只落在单个数据点 x = {x} 上（σ² = {value}）。方差下限 reg = {reg} 使 σ² 不为 0，但它相对这组数据的分布范围太小，这一个点的密度 1/√(2πσ²) 会压倒其余数据，EM 在这一步之前停下；请重新初始化该分量，或调大 reg。"),
    ("collapse-explain-2d-floor", "The M-step would put component {k} on the single point x = {x} alone (smallest covariance eigenvalue {value}). The variance floor reg = {reg} would keep it above 0, but it is tiny against this data's spread, so this one point's density would outweigh the rest of the data and EM stopped before that step; re-initialise the component or raise reg.", "M 步会让分量 {k} 只落在单个数据点 x = {x} 上（协方差最小特征值 {value}）。方差下限 reg = {reg} 使它不为 0，但它相对这组数据的分布范围太小，这一个点的密度会压倒其余数据，EM 在这一步之前停下；请重新初始化该分量，或调大 reg。"),
    ("collapse-explain-2d", "The M-step would put component {k} on the single point x = {x} alone (smallest covariance eigenvalue {value}): a Gaussian squeezed onto one point has a density there that grows without bound. So ℓ(θ) has no maximum and EM stopped before that step; re-initialise the component or set reg above 0.", "M 步会让分量 {k} 只落在单个数据点 x = {x} 上（协方差最小特征值 {value}）：被压缩到一个点上的高斯分布在该点的密度无上界地增大。因此 ℓ(θ) 没有最大值，EM 在这一步之前停下；请重新初始化该分量，或把 reg 设为大于 0。"),
    ("reinit-done-2d", "Component {k} starts again at x = {x} with the data's covariance.", "分量 {k} 已从 x = {x} 以数据协方差重新开始。"),
    ("reinit-done", "Component {k} starts again from x = {x} with the data's variance.", "分量 {k} 已从 x = {x} 以数据方差重新开始。"),
    ("floor-at-work", "The variance floor is at work: component {k} has variance {value}, held up by reg = {reg}; with reg = 0 it would collapse onto one point.", "方差下限正在起作用：分量 {k} 的方差为 {value}，被 reg = {reg} 托住；若 reg = 0，它会塌缩到一个点上。"),
    // Your data in every model: the model menu, two columns, coin text, clicks on the plane
    ("data-model", "Model", "模型"),
    ("model-gmm1d", "1-D Gaussian mixture", "一维高斯混合模型"),
    ("model-gmm2d", "2-D Gaussian mixture", "二维高斯混合模型"),
    ("model-kmeans", "k-means (hard EM)", "k 均值（硬 EM）"),
    ("model-coins", "Coin mixture", "硬币混合模型"),
    ("data-column-x", "x₁ column", "x₁ 列"),
    ("data-column-y", "x₂ column", "x₂ 列"),
    ("data-paste-label-2d", "Paste or type two or more columns of numbers (CSV or TSV), then pick the columns for x₁ and x₂:", "粘贴或输入两列或更多列数字（CSV 或 TSV），再选择作为 x₁ 和 x₂ 的列："),
    ("data-paste-label-coins", "Paste or type coin tosses, one set per line: H/T (or 1/0) like HTTH, or heads,tosses like 5,10:", "粘贴或输入抛硬币结果，每行一组：H/T（H 为正面，T 为反面；或 1/0），如 HTTH；或 正面次数,抛掷次数，如 5,10："),
    ("click-mode-2d", "Clicking on the plane:", "点击平面："),
    ("click-hint-none-coins", "Coin data is not edited by clicking: change the lines above and click “Use this data”.", "硬币数据不能通过点击编辑：请修改上方的文本，再点击“使用这些数据”。"),
    ("data-added-2d", "Added ({x}, {y}); EM starts again from the current θ.", "已添加 ({x}, {y})；EM 从当前 θ 重新开始。"),
    ("data-added-2d-means", "Added ({x}, {y}); the current θ is no start for the new data, so EM starts again from its means with equal weights and the data's covariance.", "已添加 ({x}, {y})；当前 θ 不能作为新数据的起点，EM 从其均值以相等权重和数据协方差重新开始。"),
    ("data-removed-2d", "Removed ({x}, {y}); EM starts again from the current θ.", "已删除 ({x}, {y})；EM 从当前 θ 重新开始。"),
    ("data-removed-2d-means", "Removed ({x}, {y}); the current θ is no start for the data left, so EM starts again from its means with equal weights and the data's covariance.", "已删除 ({x}, {y})；当前 θ 不能作为剩余数据的起点，EM 从其均值以相等权重和数据协方差重新开始。"),
    ("data-k-reduced-2d", "Distinct points so far: {distinct}. Using K = {used} until there are {k}.", "目前只有 {distinct} 个不同的点：在达到 {k} 个之前暂用 K = {used}。"),
    ("data-summary-coins", "{n} sets of tosses", "{n} 组抛掷"),
    ("data-used-coins", "Using your data: {n} sets of tosses.", "正在使用你的数据：{n} 组抛掷。"),
    ("data-summary-coins-one", "{n} set of tosses", "{n} 组抛掷"),
    ("data-used-coins-one", "Using your data: {n} set of tosses.", "正在使用你的数据：{n} 组抛掷。"),
    ("data-empty-state-coins", "No data: type or paste coin tosses under “Your data”, or open a file.", "没有数据：请在“你的数据”中输入或粘贴抛硬币结果，或打开文件。"),
    // 2-D and coin figures
    ("fig-scatter", "Data coloured by responsibilities", "按响应度着色的数据"),
    ("fig-scatter-hard", "Data coloured by hard assignment (argmax q)", "按硬分配（argmax q）着色的数据"),
    ("fig-kmeans", "k-means: hard assignments", "k 均值：硬分配"),
    ("axis-x1", "x₁", "x₁"),
    ("axis-x2", "x₂", "x₂"),
    ("legend-mean2d", "mean μ{k}", "均值 μ{k}"),
    ("legend-centre", "centre μ{k}", "中心 μ{k}"),
    ("legend-sigma1", "1σ ellipse", "1σ 椭圆"),
    ("legend-sigma2", "2σ ellipse", "2σ 椭圆"),
    ("coin-col-tosses", "tosses", "抛掷结果"),
    ("coin-col-posterior", "q = P(coin | tosses)", "q = P(硬币 | 抛掷结果)"),
    ("coin-col-credit", "credited to coin {k}", "记入硬币 {k}"),
    ("coin-counts", "{h} heads / {n}", "{n} 次中 {h} 次正面"),
    ("coin-face-h", "H", "正"),
    ("coin-face-t", "T", "反"),
    ("coin-credit", "{h} H, {t} T", "{h} 正，{t} 反"),
    ("coin-total", "total", "合计"),
    ("coin-more", "+{n} more sets (counted in the total)", "另有 {n} 组（已计入合计）"),
    ("coin-m-step", "M-step", "M 步"),
    ("coin-weights-learned", "π ← mean of q", "π ← q 的均值"),
    ("coin-weights-value", "π ← mean of q = {value}", "π ← q 的均值 = {value}"),
    ("coin-weights-fixed", "π fixed", "π 固定不变"),
    ("coin-theta-new", "θ{k} ← {h} / {n} = {value}", "θ{k} ← {h} / {n} = {value}"),
    ("coin-theta-short", "θ{k} ← {value}", "θ{k} ← {value}"),
    ("axis-theta", "θ{k} = P(heads | coin {k})", "θ{k} = P(正面 | 硬币 {k})"),
    ("legend-path", "θ after each M-step", "每次 M 步后的 θ"),
    ("legend-start", "start", "起点"),
    ("legend-current", "current θ", "当前 θ"),
    ("legend-ident", "πθ1 + (1−π)θ2 = {value}", "πθ1 + (1−π)θ2 = {value}"),
    // Errors
    ("err-empty", "The data set is empty: give at least one number.", "数据集为空：请至少提供一个数。"),
    ("err-only-header", "“{text}” is not a number: it was read as column names, and no numbers follow it. Give at least one number.", "“{text}” 不是数字：它被当作列名，其后没有数字。请至少提供一个数。"),
    ("err-too-many", "Too many points: the page holds at most {max}.", "数据点太多：页面最多容纳 {max} 个。"),
    ("err-not-a-number", "Line {line}, column {column}: “{text}” is not a number.", "第 {line} 行第 {column} 列：“{text}” 不是数字。"),
    ("err-non-finite", "Line {line}, column {column}: “{text}” is not a finite number (NaN or infinity).", "第 {line} 行第 {column} 列：“{text}” 不是有限数（NaN 或无穷）。"),
    ("err-out-of-range", "Line {line}, column {column}: “{text}” is too large for a 64-bit number.", "第 {line} 行第 {column} 列：“{text}” 超出 64 位浮点数范围。"),
    ("err-field-count", "Line {line} has {got} fields; expected {expected}.", "第 {line} 行有 {got} 个字段，应为 {expected} 个。"),
    ("err-field-count-one", "Line {line} has 1 field; expected {expected}.", "第 {line} 行只有 1 个字段，应为 {expected} 个。"),
    ("err-coin-line", "Line {line}, column {column}: “{text}” is not H, T, 1 or 0.", "第 {line} 行第 {column} 列：“{text}” 不是 H、T、1、0、正或反。"),
    ("err-coin-count-large", "Line {line}: a set of more than {max} tosses is too large for the page; count a smaller sample.", "第 {line} 行：一组抛掷超过 {max} 次，页面无法处理；请用更小的样本计数。"),
    ("err-coin-counts", "Line {line}: heads must be a whole number between 0 and tosses, and tosses at least 1.", "第 {line} 行：正面次数须为 0 到抛掷次数之间的整数，抛掷次数至少为 1。"),
    ("err-too-few-sets", "K = {k} coins need at least {k} different sets of tosses; the data has {distinct}. Lower K or add data.", "K = {k} 枚硬币至少需要 {k} 组不同的抛掷结果；数据只有 {distinct} 组。请减小 K 或增加数据。"),
    ("err-too-few-distinct", "K = {k} components need at least {k} distinct values; the data has {distinct}. Lower K or add data.", "K = {k} 个分量至少需要 {k} 个不同的值；数据只有 {distinct} 个。请减小 K 或增加数据。"),
    ("err-k-range", "K = {k} is out of range: choose 1 to {max}.", "K = {k} 超出范围：请选择 1 到 {max}。"),
    ("err-wrong-length", "“{what}” needs one entry per component, {expected}; it has {got}.", "“{what}” 有 {got} 个值，应为 {expected} 个。"),
    ("err-param-not-finite", "{what} of component {k} is not a finite number.", "分量 {k} 的 {what} 不是有限数。"),
    ("err-variance", "Variance of component {k} is {value}; it must be positive.", "分量 {k} 的方差为 {value}，必须为正。"),
    ("err-negative-weight", "Weight of component {k} is {value}; weights cannot be negative.", "分量 {k} 的权重为 {value}，权重不能为负。"),
    ("err-weights-sum", "The weights sum to {sum}; they must sum to 1.", "权重之和为 {sum}，必须为 1。"),
    ("err-probability", "Probability of component {k} is {value}; it must lie between 0 and 1.", "分量 {k} 的概率为 {value}，必须在 0 与 1 之间。"),
    ("err-not-symmetric", "Covariance of component {k} is not symmetric.", "分量 {k} 的协方差矩阵不对称。"),
    ("err-not-pd", "Covariance of component {k} is not positive definite.", "分量 {k} 的协方差矩阵不是正定的。"),
    ("err-not-diagonal", "Covariance of component {k} has terms off the diagonal, but the covariance type is diagonal: make them 0, or choose the full type.", "分量 {k} 的协方差矩阵有非对角元素，但协方差类型是对角的：请把它们设为 0，或选择完整类型。"),
    ("err-not-spherical", "Covariance of component {k} is not σ² times the identity, but the covariance type is spherical: give it equal diagonal terms and 0 off the diagonal, or choose another type.", "分量 {k} 的协方差矩阵不是 σ² 乘单位矩阵，但协方差类型是球形的：请让对角元素相等、非对角元素为 0，或选择其他类型。"),
    ("err-option-max", "Option {name} = {value} is not allowed: it must be a number from 0 to {max}.", "选项 {name} = {value} 无效：必须是 0 到 {max} 之间的数。"),
    ("err-option", "Option {name} = {value} is not allowed: it must be a finite number ≥ 0.", "选项 {name} = {value} 无效：必须是 ≥ 0 的有限数。"),
    ("err-unknown-preset", "There is no preset called “{name}”.", "没有名为 “{name}” 的预设数据。"),
    ("err-unknown-model", "There is no model called “{name}”.", "没有名为 “{name}” 的模型。"),
    ("err-reader-finished", "This reader has finished its file (finish() was called): make a new DataReader for more text.", "这个读取器已读完它的文件（已调用 finish()）：如需读取更多文本，请新建一个 DataReader。"),
    ("err-reader-not-finished", "The file is not read to its end yet: call the reader's finish() first.", "文件还没有读完：请先调用读取器的 finish()。"),
    ("err-unknown-language", "EM Lab speaks no language “{code}”: use en or zh (with a region too, e.g. zh-CN).", "EM 实验室不支持语言 “{code}”：请用 en 或 zh（也可带地区，如 zh-CN）。"),
    ("err-shape", "The parameters are not in the expected form: {what}.", "参数格式不对：{what}。"),
    ("err-session-unreadable", "This saved session cannot be read (technical detail: {detail}).", "无法读取这个保存的会话（技术细节：{detail}）。"),
    ("err-link-unreadable", "This link cannot be read: it was cut short or changed (technical detail: {detail}).", "无法读取此链接：它被截断或被改动过（技术细节：{detail}）。"),
    ("err-twin-too-far", "Side by side, the other model would first have to take the {steps} half-steps taken since the start, on {n} points: too long to do at once. Reset, then compare from the start.", "并排比较时，另一个模型须先在 {n} 个点上补做自起点以来的 {steps} 个半步，一次做完太久。请先重置，再从起点开始比较。"),
    ("err-session-other-data", "This saved session belongs to other data: on the data given, its θ does not give the values it was saved with.", "这个保存的会话属于另一组数据：在给定的数据上，其 θ 得不到保存时的数值。"),
    ("err-session-too-long", "The session cannot be saved in {max} characters: even without its undo steps it takes {needed}.", "会话无法保存在 {max} 个字符以内：即使不含撤销步骤也需要 {needed} 个。"),
    ("shape-covariance", "covariance must be full, diag or spherical", "covariance 必须是 full、diag 或 spherical"),
    ("shape-covariance-type", "covariance type “{variant}” (full, diag or spherical)", "协方差类型 “{variant}”（应为 full、diag 或 spherical）"),
    ("shape-weights", "weights “{variant}” (fixed or free)", "权重 “{variant}”（应为 fixed 或 free）"),
    ("shape-fix-weights", "fixWeights must be true or false", "fixWeights 必须是 true 或 false"),
    ("shape-plain", "plain data only: no Proxy, no function", "只能是普通数据：不能有 Proxy 或函数"),
    ("shape-threw", "reading it threw “{why}”", "读取时抛出了 “{why}”"),
    ("shape-options", "the options must be an object", "选项必须是一个对象"),
    ("shape-frame", "the frame must be {n} numbers from −{max} to {max}, each smallest before its largest, as dataExtent() gives", "frame 必须是 {n} 个介于 −{max} 与 {max} 之间的数，每对中较小者在前，与 dataExtent() 给出的一样"),
    ("shape-params", "θ must be an object with {fields}", "θ 必须是含有 {fields} 的对象"),
    ("shape-number", "“{name}” must be a number", "“{name}” 必须是数字"),
    ("shape-numbers", "“{name}” must be an array of numbers", "“{name}” 必须是数字数组"),
    ("shape-only-numbers", "“{name}” must hold only numbers", "“{name}” 只能包含数字"),
    ("shape-array", "“{name}” must be an array", "“{name}” 必须是数组"),
    ("shape-entry-numbers", "each entry of “{name}” must be an array of {n} numbers", "“{name}” 的每一项必须是含 {n} 个数的数组"),
    ("shape-entry-2x2", "each entry of “{name}” must be a 2×2 array", "“{name}” 的每一项必须是 2×2 数组"),
    ("shape-missing", "“{name}” is missing", "缺少 “{name}”"),
    ("shape-fixed-field", "“{name}” is 1/K = {value} for each component here and cannot be set: leave it out or give that", "“{name}” 在此对每个分量固定为 1/K = {value}，不能设置：请省略它或给出该值"),
    ("shape-unknown-field", "“{name}” is not a part of θ here (its parts are {fields})", "“{name}” 不是这里 θ 的组成部分（θ 的组成部分为 {fields}）"),
    ("shape-wrong", "“{name}” has the wrong shape", "“{name}” 的形状不对"),
    ("err-collapsed-floor", "The M-step would shrink component {k} onto data point {point} (variance {value}): the variance floor reg = {reg} holds it up, but so far below the data's spread that this one point's density outweighs the rest; EM stopped before that step.", "M 步会让分量 {k} 收缩到第 {point} 个数据点上（方差 {value}）：方差下限 reg = {reg} 托住了它，但远小于数据的分布范围，这一个点的密度压倒了其余数据；EM 在这一步之前停下。"),
    ("err-collapsed", "The M-step would collapse component {k} onto data point {point} (variance {value}): the likelihood grows without bound, so EM stopped before that step.", "M 步会让分量 {k} 塌缩到第 {point} 个数据点上（方差 {value}）：似然函数无上界地增长，EM 在这一步之前停下。"),
    ("err-no-such-point", "There is no data point {index}; the data set has {len}.", "没有第 {index} 个数据点；数据集共有 {len} 个。"),
    ("err-too-narrow", "The data's values differ too little to compute a variance (values up to {value}): rescale it, e.g. change its units.", "数据的值相差太小，无法计算方差（数值最大为 {value}）：请缩放数据，例如换一个单位。"),
    ("err-too-spread", "The data spread too widely to compute a variance (values up to {value}): rescale it, e.g. change its units.", "数据分布过广，无法计算方差（数值高达 {value}）：请缩放数据，例如换一个单位。"),
    ("err-no-such-column", "There is no column {column}; the data has {columns}.", "没有第 {column} 列；数据共有 {columns} 列。"),
    ("err-not-finite-arg", "“{name}” must be a finite number; got {value}.", "“{name}” 必须是有限数；收到的是 {value}。"),
    ("err-not-budget", "“{name}” must be a number of milliseconds ≥ 0 (Infinity: no limit); got {value}.", "“{name}” 必须是 ≥ 0 的毫秒数（Infinity 表示不限）；收到的是 {value}。"),
    ("err-not-direction", "direction must be 1 (the next point) or −1 (the previous one); got {value}.", "direction 必须是 1（下一个点）或 −1（上一个点）；收到的是 {value}。"),
    ("err-point", "A data point must be a finite number; got {value}.", "数据点必须是有限数；收到的是 {value}。"),
    ("err-no-such-component", "There is no component at index {index}: the model has {count}, at indices 0 to {last}.", "没有索引为 {index} 的分量：模型共有 {count} 个，索引为 0 到 {last}。"),
    ("err-not-for-model", "“{action}” is not available for the {model}.", "{model}不支持“{action}”。"),
    ("action:add a point", "add a point", "添加数据点"),
    ("action:keep a frame", "keep a frame", "保持坐标范围"),
    ("action:draw the path of θ", "draw the path of θ", "绘制 θ 的路径"),
    ("action:remove a point", "remove a point", "删除数据点"),
    ("action:change the data", "change the data", "更改数据"),
    ("action:choose a covariance type", "choose a covariance type", "选择协方差类型"),
    ("action:compare with k-means", "compare with k-means", "与 k 均值并排比较"),
    ("action:fix the weights", "fix the weights", "固定权重"),
    ("action:load this preset", "load this preset", "载入此预设数据"),
    ("action:load this state", "load this state", "载入此状态"),
    ("action:re-initialise a component", "re-initialise a component", "重新初始化分量"),
    ("action:read a table", "read a table", "读取表格"),
    ("err-params-unusable", "With these parameters some data point has zero (or infinite) density under every component, so ℓ(θ) is not a finite number: move the means nearer the data or widen the variances.", "在这组参数下某个数据点在所有分量下的密度都为零（或无穷大），ℓ(θ) 不是有限数：请让均值靠近数据或增大方差。"),
    ("note-axis-cut", "Axis cut to a finite window: some values are beyond it", "坐标轴已截断为有限范围：部分数值超出显示范围"),
    ("err-m-step-again", "q has not changed since the last M-step, so θ cannot move: take an E-step first.", "自上次 M 步以来 q 没有变化，θ 不会再变：请先做 E 步。"),
    ("err-e-step-again", "θ has not changed since the last E-step, so q would be the same: take an M-step first.", "自上次 E 步以来 θ 没有变化，q 不会改变：请先做 M 步。"),
    ("err-e-step-again-hard", "No centre has moved since the last assignment, so every point would keep its centre: take an update step (M-step) first.", "自上次分配以来中心没有移动，每个点都会留在原来的中心：请先做更新步（M 步）。"),
    ("err-m-step-again-hard", "No point has been reassigned since the last update, so the centres cannot move: take an assignment step (E-step) first.", "自上次更新以来没有点被重新分配，中心不会再移动：请先做分配步（E 步）。"),
    ("err-m-step-unassigned", "No point is assigned to a centre yet, so the centres have nothing to average: take an E-step first.", "还没有点被分配给任何中心，中心没有可以求平均的点：请先做 E 步。"),
    ("status-symmetric", "Every component is now the same: the M-step from the uniform start (q = 1/K) gives each component the same data. EM cannot break a symmetry it starts in — every later E-step gives the uniform q again — which is why EM begins with an E-step from components set apart.", "现在所有分量完全相同：从均匀起点（每个点的 q = 1/K）做 M 步，每个分量得到的数据都一样。EM 无法打破它起始时就处于的对\u{2060}称\u{2060}——之后每次 E 步都会再次得到均匀的 q——这正是 EM 要从彼此分开的分量出发、先做 E 步的原因。"),
    ("status-symmetric-fell", "Every component is now the same, and ℓ fell: the M-step from the uniform start (q = 1/K) maximised a bound that did not touch ℓ (only an E-step makes it touch), and gave each component the same data. EM cannot break a symmetry it starts in, which is why EM begins with an E-step from components set apart.", "现在所有分量完全相同，且 ℓ 下降了：从均匀起点（每个点的 q = 1/K）做 M 步，最大化的是一个并不与 ℓ 相切的下界（只有 E 步才使它相切），而且每个分量得到的数据都一样。EM 无法打破它起始时就处于的对称，这正是 EM 要从彼此分开的分量出发、先做 E 步的原因。"),
    ("status-symmetric-start", "Every component is the same: this start puts them in the same place, so each E-step gives them the same q and each M-step the same update. EM cannot break a symmetry it starts in — a start with the components apart ends elsewhere.", "所有分量完全相同：这个初值把它们放在同一处，于是每次 E 步给它们相同的 q，每次 M 步给出相同的更新。EM 无法打破它起始时就处于的对\u{2060}称\u{2060}——分量分开的初值会收敛到别处。"),
    ("btn-break-symmetry", "Start again: E-step first", "重新开始：先做 E 步"),
    ("err-params-unusable-kmeans", "With these centres a distance to some data point is too large for a 64-bit number: move the centres nearer the data.", "在这组中心下，某个数据点到中心的距离超出 64 位浮点数的范围：请让中心靠近数据。"),
    ("err-params-unusable-coins", "With these parameters some set of tosses has probability 0 under every coin, so ℓ(θ) is not a finite number: use heads probabilities strictly between 0 and 1.", "在这组参数下某组抛掷结果在所有硬币下的概率都为 0，ℓ(θ) 不是有限数：请让正面概率严格介于 0 与 1 之间。"),
    ("err-component-nothing", "Component {k} gives every data point probability 0 (its weight is 0, or it lies too far from all the data or is too narrow), so it could never take part: give it a positive weight, or move it nearer the data.", "分量 {k} 给每个数据点的概率都为 0（其权重为 0，或离所有数据太远、太窄），因此永远不会起作用：请给它正的权重，或让它靠近数据。"),
    ("err-component-nothing-kmeans", "Centre {k} is too far from every data point to compute a distance: move it nearer the data.", "中心 {k} 离所有数据点太远，无法计算距离：请让它靠近数据。"),
    ("err-component-nothing-coins", "Coin {k} gives every set of tosses probability 0 (its weight is 0, or its heads probability is 0 or 1 while every set shows both faces): give it a positive weight and a heads probability strictly between 0 and 1.", "硬币 {k} 给每组抛掷结果的概率都为 0（其权重为 0，或正面概率为 0 或 1 而每组都有正反两面）：请给它正的权重，并让正面概率严格介于 0 与 1 之间。"),
    ("err-point-impossible", "Component {k} gives data point {point} probability 0, so the lower bound L(q, θ) would be −∞ at the start: widen its variance or move it nearer the data.", "分量 {k} 给第 {point} 个数据点的概率为 0，因此初始下界 L(q, θ) 为 −∞：请增大其方差或让它靠近数据。"),
    ("err-point-impossible-coins", "Coin {k} gives set {point} probability 0 (its heads probability is 0 or 1, and the set shows the other face), so the lower bound L(q, θ) would be −∞ at the start: use a heads probability strictly between 0 and 1.", "硬币 {k} 给第 {point} 组的概率为 0（其正面概率为 0 或 1，而该组出现了另一面），因此初始下界 L(q, θ) 为 −∞：请让正面概率严格介于 0 与 1 之间。"),
    ("err-params-overflow", "With these parameters the log-likelihood or its lower bound is {value}, too large to compute or draw reliably: move the components nearer the data.", "在这组参数下对数似然或其下界为 {value}，数值过大，无法可靠地计算或绘制：请让各分量靠近数据。"),
    ("err-params-overflow-kmeans", "With these centres the objective J is {value}, too large to compute or draw reliably: move the centres nearer the data.", "在这组中心下目标 J 为 {value}，数值过大，无法可靠地计算或绘制：请把中心移近数据。"),
    ("err-not-integer", "{name} must be a whole number from {min} to {max}; got {value}.", "{name} 必须是 {min} 到 {max} 之间的整数；收到的是 {value}。"),
    ("err-unknown-option", "“{name}” is not an option EM Lab knows (it knows reg, tol, covariance, fixWeights).", "EM 实验室没有名为 “{name}” 的选项（可用的有 reg、tol、covariance、fixWeights）。"),
    ("err-no-such-start", "There is no start at index {index}: this lesson has {count}, at indices 0 to {last}.", "没有索引为 {index} 的起点：本课共有 {count} 个，索引为 0 到 {last}。"),
    ("err-no-starts", "There is no start at index {index}: this lesson has none of its own.", "没有索引为 {index} 的起点：本课没有自带的起点。"),
    ("err-underflow", "Line {line}, column {column}: “{text}” is too small for a 64-bit number (it would be read as 0).", "第 {line} 行第 {column} 列：“{text}” 太小，超出 64 位浮点数范围（会被读成 0）。"),
    ("err-hex", "Line {line}, column {column}: “{text}” is not a decimal number (hexadecimal is not read).", "第 {line} 行第 {column} 列：“{text}” 不是十进制数（不读取十六进制）。"),
    ("err-numerical", "The next step would leave the range of 64-bit numbers (ℓ would not be finite), so EM stopped here.", "下一步将超出 64 位浮点数的范围（ℓ 不再是有限数），因此 EM 在此停下。"),
    // The page never freezes, never bricks, never loses data (www/: data.js, storage.js, app.js)
    ("restore-kept", "A saved session this browser could not open is kept aside: download it as a text file, or start over to delete it.", "此浏览器中一份无法打开的保存进度被保留了下来：可以下载为文本文件，或从头开始将其删除。"),
    ("restore-failed", "Your saved session could not be opened, so the page started afresh. It is kept in this browser: download it as a text file, or start over to delete it.", "无法打开你保存的进度，页面已重新开始。它仍保存在此浏览器中：可以下载为文本文件，或从头开始将其删除。"),
    ("btn-restore-download", "Download it (text file)", "下载（文本文件）"),
    ("storage-full-session", "Browser storage is full: the latest changes are not saved, so a reload would go back to the last saved state. The page keeps working.", "浏览器存储已满：最近的更改未能保存，刷新后会回到上次保存的状态。页面仍可继续使用。"),
    ("storage-full-draft", "Browser storage is full: the text in the box is not saved.", "浏览器存储已满：文本框中的内容未能保存。"),
    ("other-tab-data", "Another tab saved a different data set. This tab keeps its own data and steps (a reload of this tab brings them back); a new tab opens the other tab's.", "另一个标签页保存了不同的数据集。本标签页保留自己的数据和步骤（刷新本标签页即可恢复）；新标签页将打开另一个标签页的数据。"),
    ("data-columns-capped", "The text has {n} columns; the menu lists the first {max}.", "文本共有 {n} 列；菜单只列出前 {max} 列。"),
    ("err-k-input", "K = “{text}” is not a whole number: choose 1 to {max}.", "K = “{text}” 不是整数：请选择 1 到 {max}。"),
    ("err-not-number", "“{name}” must be a number; got {got}.", "“{name}” 必须是数字；传入的是 {got}。"),
    ("err-not-text-file", "Line {line} holds characters that are not text: this looks like an image, a spreadsheet's own file or another binary file. Save the data as CSV or plain text.", "第 {line} 行含有非文本字符：这看起来是图片、电子表格自身格式或其他二进制文件。请把数据存为 CSV 或纯文本。"),
    ("err-no-floor", "This model has no variance floor: “reg” applies to the Gaussian mixtures only.", "该模型没有方差下限：“reg” 只适用于高斯混合模型。"),
    ("err-not-bool", "“{name}” must be true or false; got {got}.", "“{name}” 必须是 true 或 false；传入的是 {got}。"),
    ("err-not-text", "“{name}” must be text (a string); got {got}.", "“{name}” 必须是文本（字符串）；传入的是 {got}。"),
    ("err-not-canvas", "The figures are drawn on a <canvas> element; this is not one.", "图形画在 <canvas> 元素上；传入的不是 canvas。"),
    ("err-bins-input", "Bins = “{text}” is not usable: choose a whole number from {min} to {max}.", "直方图箱数 = “{text}” 不可用：请选择 {min} 到 {max} 之间的整数。"),
    ("err-seed-input", "Seed = “{text}” is not usable: choose a whole number from 0 to {max}.", "种子 = “{text}” 不可用：请选择 0 到 {max} 之间的整数。"),
    // The formulas of every model (src/core/formulas.rs and the end of each model's file)
    ("formula-empty", "no responsibility: it keeps its old values", "没有分到任何响应度：保持原来的值"),
    ("formula-kept", "keeps its old value", "保持原来的值"),
    ("formula-fixed", "(fixed)", "（固定）"),
    ("formula-diag", "Diagonal covariances: the off-diagonal term is dropped.", "对角协方差：去掉非对角项。"),
    ("formula-spherical", "Spherical covariances: both variances are replaced by their mean.", "球形协方差：两个方差都换成它们的平均值。"),
    ("formula-assigned", "the number of points assigned to k", "分配给 k 的点数"),
    ("formula-hard", "k-means: q is 1 for the nearest centre and 0 for the others.", "k 均值：最近的中心对应的 q 为 1，其余中心为 0。"),
    ("formula-q-uniform", "Before the first E-step q is uniform.", "第一次 E 步之前 q 是均匀的。"),
    ("formula-unassigned", "Before the first E-step no point is assigned: the M-step waits for one.", "第一次 E 步之前没有点被分配：M 步要等 E 步之后才能做。"),
    ("btn-converge", "Run to convergence", "运行至收敛"),
    ("label-speed", "Speed", "速度"),
    ("speed-rate", "{n} half-steps/s", "每秒 {n} 个半步"),
    ("speed-rate-one", "{n} half-step/s", "每秒 {n} 个半步"),
    ("speed-max", "as fast as it draws", "绘制多快就多快"),
    ("status-converged-rule", "Converged: |\u{2060}Δℓ\u{2060}|\u{2060}/\u{2060}N < {tol} over a full iteration (E then M).", "已收敛：一次完整迭代（先 E 步后 M 步）中 |\u{2060}Δℓ\u{2060}|\u{2060}/\u{2060}N < {tol}。"),
    ("run-converged", "Converged already: Run has nothing left to do. E-step and M-step still step on; Reset goes back to the start.", "已经收敛：运行已无事可做。E 步和 M 步仍可继续；重置回到起点。"),
    ("status-converged-rule-fell", "Converged: |\u{2060}Δℓ\u{2060}|\u{2060}/\u{2060}N < {tol} over a full iteration (E then M), although ℓ fell a little: the variance floor added to every variance moves θ off the bound's maximum.", "已收敛：一次完整迭代（先 E 步后 M 步）中 |\u{2060}Δℓ\u{2060}|\u{2060}/\u{2060}N < {tol}，尽管 ℓ 略有下降：加在每个方差上的方差下限使 θ 偏离了下界的最大值。"),
    ("status-converged-rule-hard", "Converged: |\u{2060}ΔJ\u{2060}|\u{2060}/\u{2060}N < {tol} over a full iteration (assign then update).", "已收敛：一次完整迭代（先分配后更新）中 |\u{2060}ΔJ\u{2060}|\u{2060}/\u{2060}N < {tol}。"),
    ("status-cap", "Stopped after {n} more iterations without converging.", "又运行了 {n} 次迭代仍未收敛，已停止。"),
    ("err-run-too-long", "This run is longer than the {max} half-steps the page keeps: its start is gone, so a link cannot replay it. Save the session instead, or Reset and share a shorter run.", "本次运行超过了页面保留的 {max} 个半步：起点已不在其中，链接无法重放。请改为保存会话，或重置后分享更短的运行。"),
    ("err-twin-start-gone", "Side by side needs this run's start, and the run is longer than the {max} half-steps the page keeps. Reset, then compare from the start.", "并排比较需要本次运行的起点，但运行超过了页面保留的 {max} 个半步。请先重置，再从起点开始比较。"),
    ("err-link-too-long", "This data is too long for a link ({got} characters of text; a link carries at most {max}). Save the data as a file and share that instead.", "数据太长，无法放进链接（文本 {got} 个字符；链接最多 {max} 个）。请把数据存成文件再分享。"),
    ("click-hint-none", "This data is not edited by clicking: change the lines above and click “Use this data”.", "这种数据不能通过点击编辑：请修改上方的文本，再点击“使用这些数据”。"),
    // The Poisson mixture (src/core/poisson.rs, src/figures/counts.rs)
    ("err-count", "Line {line}, column {column}: “{text}” is not a count: use a whole number from 0 to {max}.", "第 {line} 行第 {column} 列：“{text}” 不是计数：请使用 0 到 {max} 之间的整数。"),
    ("err-rate", "Rate λ of component {k} is {value}; it must be positive.", "分量 {k} 的速率 λ 为 {value}，必须为正。"),
    ("fig-counts", "Counts and the Poisson mixture", "计数与泊松混合分布"),
    ("axis-count", "count x", "计数 x"),
    ("axis-proportion", "proportion of observations", "观测所占比例"),
    ("axis-frequency", "number of observations", "观测个数"),
    ("axis-proportion-short", "proportion", "比例"),
    ("axis-frequency-short", "observations", "个数"),
    ("legend-poisson-component", "π{k} Poisson(x | λ{k})", "π{k} Poisson(x | λ{k})"),
    ("counts-binned", "{width} counts per bar (per-count average)", "每根柱含 {width} 个计数值（按每个计数值平均）"),
    // The Poisson mixture on the page.
    ("model-poisson", "Poisson mixture (counts)", "泊松混合（计数）"),
    ("group-poisson", "Poisson mixture (counts)", "泊松混合（计数）"),
    ("preset-death-notices", "Deaths a day (Times, 1910–12)", "每日讣告数（泰晤士报，1910–12）"),
    ("col-rate", "Rate λ", "速率 λ"),
    ("data-paste-label-counts", "Paste or type counts: one whole number per line, or count,frequency lines (e.g. 3,185 = 185 days with 3).", "粘贴或输入计数：每行一个整数，或“计数,频数”行（如 3,185 表示有 185 天为 3）。"),
    ("data-summary-counts", "{n} counts", "{n} 个计数"),
    ("data-used-counts", "Using your data: {n} counts.", "正在使用你的数据：{n} 个计数。"),
    ("data-summary-counts-one", "{n} count", "{n} 个计数"),
    ("data-used-counts-one", "Using your data: {n} count.", "正在使用你的数据：{n} 个计数。"),
    ("data-empty-state-counts", "No data: type or paste counts under “Your data”, or open a file.", "没有数据：请在“你的数据”中输入或粘贴计数，或打开文件。"),
    ("lesson-death-notices-converged", "Converged by the rule |\u{2060}Δℓ\u{2060}|\u{2060}/\u{2060}N < {tol}, yet the likelihood is so flat here that the published fit (π₁ = 0.3599, λ = 1.2561, 2.6634) is reached only under a rule 10,000 times stricter, after about 1,900 iterations: EM can converge very slowly.", "已按规则 |\u{2060}Δℓ\u{2060}|\u{2060}/\u{2060}N < {tol} 收敛，但这里的似然函数非常平坦：文献中的拟合（π₁ = 0.3599，λ = 1.2561、2.6634）要在严格一万倍的规则下、约 1900 次迭代后才能达到。EM 可能收敛得很慢。"),
    ("lesson-death-notices", "The likelihood is very flat here: with the default rule (|\u{2060}Δℓ\u{2060}|\u{2060}/\u{2060}N < 1e\u{2212}10) EM stops after about 1,000 iterations at π₁ ≈ 0.359; the published fit (π₁ = 0.3599, λ = 1.2561, 2.6634) is reached only under a rule 10,000 times stricter (|\u{2060}Δℓ\u{2060}|\u{2060}/\u{2060}N < 1e\u{2212}14), after about 1,900 iterations. EM can converge very slowly.", "这里的似然函数非常平坦：按默认规则（|\u{2060}Δℓ\u{2060}|\u{2060}/\u{2060}N < 1e\u{2212}10）EM 大约 1000 次迭代后停在 π₁ ≈ 0.359；文献中的拟合（π₁ = 0.3599，λ = 1.2561、2.6634）只有在严格一万倍的规则（|\u{2060}Δℓ\u{2060}|\u{2060}/\u{2060}N < 1e\u{2212}14）下、约 1900 次迭代后才能达到。EM 可能收敛得很慢。"),
    ("btn-link", "Copy link", "复制链接"),
    ("link-label", "Link to this picture", "指向此画面的链接"),
    ("link-copied", "Link copied: it opens on this picture (data, K, start, options and every half-step).", "链接已复制：打开后就是这个画面（数据、K、初值、选项和每个半步）。"),
    ("link-select", "The link is selected in its box: copy it with Ctrl+C (Esc leaves the box).", "链接已在链接框中选中：请按 Ctrl+C 复制（按 Esc 离开链接框）。"),
    // Exports (src/web/export.rs, www/export.js)
    ("err-unknown-figure", "There is no figure “{figure}”: the figures are {figures}.", "没有名为“{figure}”的图：可用的图有 {figures}。"),
    ("err-figure-not-for-model", "The {model} model has no “{figure}” figure: it draws {figures}.", "{model} 模型没有“{figure}”图：它绘制的图有 {figures}。"),
    ("export-title", "Export", "导出"),
    ("label-export-figure", "Figure", "图"),
    ("btn-export-svg", "SVG", "SVG"),
    ("btn-export-png", "PNG (2×)", "PNG（2 倍）"),
    ("btn-export-csv", "Trace as CSV", "轨迹导出为 CSV"),
    ("err-png-failed", "The browser could not make a PNG of this figure.", "浏览器无法生成此图的 PNG。"),
    ("btn-cancel", "Cancel", "取消"),
    ("status-converging", "Running to convergence… iteration {n}", "正在运行至收敛……第 {n} 次迭代"),
    ("status-cancelled", "Stopped: run to convergence was cancelled.", "已停止：运行至收敛已取消。"),
    ("load-progress", "Reading {name}: {done} of {total} MB, {rows} rows so far…", "正在读取 {name}：已读 {done} / {total} MB，已有 {rows} 行……"),
    ("load-building", "Building the model on {rows} rows…", "正在用 {rows} 行数据建立模型……"),
    ("load-cancelled", "Opening {name} was cancelled; the data on the page is unchanged.", "已取消打开 {name}；页面上的数据没有改变。"),
    ("storage-too-large", "Your data ({n} points) is too large for the browser's storage: it is not saved, so a reload goes back to the data saved before. The page keeps working.", "你的数据（{n} 个点）超出浏览器存储的容量，未能保存：刷新后会回到之前保存的数据。页面仍可继续使用。"),
    ("data-decimal-comma", "Decimal comma (1,5 = 1.5)", "小数逗号（1,5 = 1.5）"),
    ("data-thousands-spaced", "Every line looks like “12 345.6”: read as columns (12 and 345.6). If the spaces set thousands apart (12345.6), remove them.", "每一行都形如“12 345.6”：已按多列（12 和 345.6）读取。如果空格是千位分隔（12345.6），请删去空格。"),
    ("data-thousands-ambiguous", "Every line looks like “1,000.5”: read as two columns (1 and 0.5). If the comma separates thousands (1000.5), remove the commas.", "每一行都形如“1,000.5”：已按两列（1 和 0.5）读取。如果逗号是千位分隔符（1000.5），请删去逗号。"),
    ("data-comma-ambiguous", "Every line looks like “1,5”: read as two columns (1 and 5). If the comma is a decimal mark (1.5), tick “Decimal comma”.", "每一行都形如“1,5”：已按两列（1 和 5）读取。如果逗号是小数点（1.5），请勾选“小数逗号”。"),
];

/// Every message as (id, English, Simplified Chinese), in the table's order (read from it once).
pub fn messages() -> &'static [(&'static str, &'static str, &'static str)] {
    static ALL: std::sync::OnceLock<Vec<(&str, &str, &str)>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        TABLE
            .split_terminator('\u{0}')
            .map(|m| {
                let mut fields = m.split('\u{1}');
                let mut next = || fields.next().unwrap_or("");
                (next(), next(), next())
            })
            .collect()
    })
}

/// The message `id` in `lang`; an unknown id comes back as itself so a gap is visible, not silent.
pub fn get(lang: Lang, id: &str) -> &str {
    match messages().iter().find(|(key, _, _)| *key == id) {
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
    fn the_table_reads_back_as_three_fields_a_message() {
        let entries: Vec<&str> = TABLE.split_terminator('\u{0}').collect();
        assert_eq!(entries.len(), messages().len());
        assert!(entries.len() > 300, "{} messages", entries.len());
        for entry in entries {
            assert_eq!(entry.split('\u{1}').count(), 3, "{entry:?}");
        }
        assert_eq!(get(Lang::Zh, "btn-e-step"), "E 步");
        assert_eq!(get(Lang::En, "app-title"), "EM Lab");
    }

    #[test]
    fn ids_are_unique_and_both_languages_are_filled() {
        let mut ids: Vec<_> = messages().iter().map(|m| m.0).collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), before, "duplicate message id");
        for (id, en, zh) in messages() {
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
        for (id, en, zh) in messages() {
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
