//! The Chinese column speaks as the lecture notes do (李航《统计学习方法》, 周志华《机器学习》): no term the
//! textbooks do not use, and every message in both languages with the same {placeholders}.

use emlab::text::{get, messages, Lang};

/// Terms the textbooks do not use, each with the one they use instead.
const BANNED: &[(&str, &str)] = &[
    ("责任", "响应度 (the responsibilities q)"),
    ("隐藏变量", "隐变量"),
    ("潜变量", "隐变量"),
    ("期望最大算法", "期望最大化（EM）算法"),
    ("混合高斯", "高斯混合模型"),
];

/// The `{name}`s of a template, sorted.
fn placeholders(s: &str) -> Vec<&str> {
    let mut names: Vec<&str> = s
        .split('{')
        .skip(1)
        .filter_map(|p| p.split_once('}').map(|(n, _)| n))
        .collect();
    names.sort_unstable();
    names
}

#[test]
fn the_chinese_table_uses_the_textbook_terms() {
    for (id, _, zh) in messages() {
        for (banned, instead) in BANNED {
            assert!(
                !zh.contains(banned),
                "{id}: “{zh}” says {banned}; the textbooks say {instead}"
            );
        }
    }
}

#[test]
fn every_message_has_both_languages_with_the_same_placeholders() {
    for (id, en, zh) in messages() {
        assert!(
            !en.trim().is_empty() && !zh.trim().is_empty(),
            "{id} is missing a language"
        );
        assert_eq!(placeholders(en), placeholders(zh), "{id}");
        assert_eq!(get(Lang::En, id), *en);
        assert_eq!(get(Lang::Zh, id), *zh);
    }
}

#[test]
fn concave_is_said_once_with_its_shape() {
    // 凹函数 is read both ways in Chinese texts: the ln curve says which one it means (上凸).
    let concave: Vec<_> = messages()
        .iter()
        .filter(|(_, _, zh)| zh.contains("凹函数"))
        .collect();
    assert!(!concave.is_empty(), "the Jensen figure names ln as concave");
    assert!(
        concave
            .iter()
            .any(|(_, _, zh)| zh.contains("凹函数（上凸）")),
        "凹函数 comes with （上凸）"
    );
}

#[test]
fn q_is_only_the_responsibilities_in_the_coin_texts() {
    // Li Hang's coin-C probability is also called q: here the coins' heads probabilities are θ1, θ2, and
    // heads and tails are 正/反, so q on the coin screen means one thing.
    for id in ["legend-ident", "coin-credit", "axis-theta", "col-heads"] {
        let zh = get(Lang::Zh, id);
        assert!(
            !zh.contains('q') && !zh.contains(" H") && !zh.contains(" T"),
            "{id}: {zh}"
        );
    }
    assert_eq!(get(Lang::Zh, "coin-credit"), "{h} 正，{t} 反");
    assert!(get(Lang::Zh, "strip-label").contains("响应度"));
    assert!(get(Lang::Zh, "app-subtitle").contains("期望最大化（EM）算法"));
}
