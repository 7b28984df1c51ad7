//! `docs/reliability.md#coverage` names, for every case of the reliability checklist, the tests
//! that prove it. This keeps the table honest: every case has a row, and every test it names
//! exists (a renamed or deleted test fails here instead of leaving a claim behind).

use std::collections::BTreeSet;

/// Cases per part of the checklist: A (bad input) to F (load).
const PARTS: [(char, usize); 6] = [('A', 6), ('B', 6), ('C', 9), ('D', 6), ('E', 4), ('F', 3)];

/// `(case, cited tests)` of each row of the coverage table.
fn rows() -> Vec<(String, Vec<String>)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/reliability.md");
    let reliability = std::fs::read_to_string(path).expect("docs/reliability.md");
    let (_, after) = reliability
        .split_once(r#"<a id="coverage"></a>"#)
        .expect("the coverage anchor");
    let table = after
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2); // the header and the |---| line
    table
        .map(|row| {
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            let tests = cells[3].split('`').skip(1).step_by(2);
            let tests = tests.filter(|span| span.contains("::")).map(str::to_owned);
            (cells[1].to_owned(), tests.collect())
        })
        .collect()
}

/// Whether `api/file.rs::name` (or `slow/`, `src/`) is a function in that file.
fn exists(test: &str) -> bool {
    let (file, name) = test.split_once("::").expect("file::name");
    let file = match file.split_once('/') {
        Some(("api", rest)) => format!("tests/api/{rest}"),
        Some(("slow", rest)) => format!("tests/slow/{rest}"),
        Some(("src", rest)) => format!("src/{rest}"),
        _ => return false,
    };
    let path = format!("{}/{file}", env!("CARGO_MANIFEST_DIR"));
    let source = std::fs::read_to_string(path).unwrap_or_default();
    source.contains(&format!("fn {name}("))
}

#[test]
fn every_case_of_the_checklist_has_a_row_and_every_test_it_names_exists() {
    let rows = rows();

    let cases: Vec<&str> = rows.iter().map(|(case, _)| case.as_str()).collect();
    let expected: Vec<String> = PARTS
        .iter()
        .flat_map(|&(part, count)| (1..=count).map(move |n| format!("{part}{n}")))
        .collect();
    assert_eq!(cases, expected, "one row per case, in order");
    let mut missing = BTreeSet::new();
    for (case, tests) in &rows {
        // F1 is the ten-minute soak, a job of its own rather than a test of this suite.
        assert!(case == "F1" || !tests.is_empty(), "{case} names no test");
        missing.extend(tests.iter().filter(|test| !exists(test)).cloned());
    }
    assert!(missing.is_empty(), "tests named but not found: {missing:?}");
}
