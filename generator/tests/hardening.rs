//! Bad specs end in diagnostics, never in a panic, a hang or a stack
//! overflow: property tests over mutated copies of `spec/`, and hand-made
//! worst cases. Failing cases proptest finds are kept in
//! `proptest-regressions/` and replayed first on every run.

use generator::diagnostics::Kind;
use generator::{Diagnostic, MemorySource, SpecErrors};
use proptest::prelude::*;

mod common;

/// `spec/` as `(relative path, contents)` pairs, in path order.
fn project_spec() -> Vec<(String, String)> {
    common::spec_files(&common::project_spec_folder())
}

/// Every diagnostic names a file of the spec, a JSON pointer, and says something.
fn assert_located(files: &[(String, String)], diagnostic: &Diagnostic) -> Result<(), TestCaseError> {
    let known = files.iter().any(|(path, _)| *path == diagnostic.location.file);
    prop_assert!(known, "unknown file in {diagnostic}");
    prop_assert!(diagnostic.location.pointer.is_empty() || diagnostic.location.pointer.starts_with('/'));
    prop_assert!(!diagnostic.message.is_empty());
    Ok(())
}

/// Runs the whole pipeline; a panic fails the test. Only the three fatal
/// causes may stop it (a file that cannot be read, text that is not YAML,
/// a document that is not OpenAPI 3.0); otherwise every generated Rust file
/// parses, and every warning is located.
fn assert_handled(files: &[(String, String)]) -> Result<(), TestCaseError> {
    let source = MemorySource::new(files.iter().cloned());
    match generator::generate(&source, "openapi.yaml") {
        Ok(generated) => {
            for file in generated.files.iter().filter(|file| file.path.ends_with(".rs")) {
                let parsed = syn::parse_file(&file.contents);
                prop_assert!(parsed.is_ok(), "{} is not Rust: {:?}", file.path, parsed.err());
            }
            for diagnostic in generated.warnings.iter().chain(&generated.skipped) {
                assert_located(files, diagnostic)?;
            }
        }
        Err(SpecErrors(diagnostics)) => {
            prop_assert!(!diagnostics.is_empty());
            for diagnostic in &diagnostics {
                assert_located(files, diagnostic)?;
                prop_assert_eq!(diagnostic.kind, Kind::Fatal);
                let fatal = [
                    "cannot read",
                    "invalid YAML",
                    "only Swagger 2.0 and OpenAPI",
                    "keys must be strings",
                    "nesting deeper",
                ];
                prop_assert!(
                    fatal.iter().any(|cause| diagnostic.message.contains(cause)),
                    "generation stopped for a reason that is not fatal: {}",
                    diagnostic
                );
            }
        }
    }
    Ok(())
}

/// Values a mutation writes in place of a line's value.
const REPLACEMENTS: &[&str] = &[
    "",
    "null",
    "42",
    "-1.5e300",
    "true",
    "[]",
    "{}",
    "[[[[",
    "'unterminated",
    "&anchor x",
    "*missing_alias",
    "{$ref: './nowhere.yaml'}",
    "{$ref: '#/does/not/exist'}",
    "{$ref: '../../outside.yaml'}",
    "{$ref: 'https://example.com/x.yaml'}",
    "{$ref: '/etc/passwd'}",
    "{$ref: './openapi.yaml'}",
    "{$ref: '#'}",
    "{$ref: 42}",
    "{type: array}",
    "{type: object, additionalProperties: {$ref: '#/components/schemas/Nope'}}",
    "{oneOf: []}",
    "{allOf: [{type: string}, {type: integer}]}",
    "{enum: [null, null]}",
    "\"\\u0000\\u001f\"",
];

#[derive(Debug, Clone)]
enum Mutation {
    /// Replaces the value after the first `:` of a line.
    ReplaceValue { line: usize, with: usize },
    /// Deletes a line.
    DeleteLine { line: usize },
    /// Repeats a line.
    DuplicateLine { line: usize },
    /// Cuts the file short.
    Truncate { at: usize },
    /// Shifts a line's indentation.
    Indent { line: usize, spaces: usize },
    /// Writes arbitrary bytes (lossily as text) into a line.
    Garbage { line: usize, bytes: Vec<u8> },
    /// Points a `$ref` of the file back at the file itself.
    SelfReference { nth: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0..REPLACEMENTS.len()).prop_map(|(line, with)| Mutation::ReplaceValue { line, with }),
        any::<usize>().prop_map(|line| Mutation::DeleteLine { line }),
        any::<usize>().prop_map(|line| Mutation::DuplicateLine { line }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        (any::<usize>(), 0usize..12).prop_map(|(line, spaces)| Mutation::Indent { line, spaces }),
        (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..24))
            .prop_map(|(line, bytes)| Mutation::Garbage { line, bytes }),
        any::<usize>().prop_map(|nth| Mutation::SelfReference { nth }),
    ]
}

fn apply(text: &str, own_name: &str, mutation: &Mutation) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    if lines.is_empty() {
        return text.to_owned();
    }
    let count = lines.len();
    match mutation {
        Mutation::ReplaceValue { line, with } => {
            let line = &mut lines[line % count];
            if let Some(colon) = line.find(':') {
                line.truncate(colon + 1);
                line.push(' ');
                line.push_str(REPLACEMENTS[*with]);
            }
        }
        Mutation::DeleteLine { line } => {
            lines.remove(line % count);
        }
        Mutation::DuplicateLine { line } => {
            let copy = lines[line % count].clone();
            lines.insert(line % count, copy);
        }
        Mutation::Truncate { at } => {
            let mut cut = at % text.len().max(1);
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            return text[..cut].to_owned();
        }
        Mutation::Indent { line, spaces } => {
            let line = &mut lines[line % count];
            *line = format!("{}{}", " ".repeat(*spaces), line.trim_start());
        }
        Mutation::Garbage { line, bytes } => {
            lines[line % count] = String::from_utf8_lossy(bytes).into_owned();
        }
        Mutation::SelfReference { nth } => {
            let refs: Vec<usize> = (0..count).filter(|&i| lines[i].contains("$ref")).collect();
            if let Some(&index) = refs.get(nth % refs.len().max(1)) {
                let indent = lines[index].len() - lines[index].trim_start().len();
                let own = own_name.rsplit('/').next().unwrap_or(own_name);
                lines[index] = format!("{}$ref: './{own}'", " ".repeat(indent));
            }
        }
    }
    lines.join("\n")
}

proptest! {
    // 256 cases by default; `PROPTEST_CASES=20000 cargo test -p generator --test hardening` fuzzes longer.
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(proptest::test_runner::FileFailurePersistence::SourceParallel("proptest-regressions"))),
        ..ProptestConfig::default()
    })]

    /// One to four mutations anywhere in `spec/`.
    #[test]
    fn mutated_specs_give_diagnostics_not_panics(
        mutations in proptest::collection::vec((any::<usize>(), mutation()), 1..5)
    ) {
        let mut files = project_spec();
        for (file, mutation) in &mutations {
            let index = file % files.len();
            let (name, text) = files[index].clone();
            files[index].1 = apply(&text, &name, mutation);
        }
        assert_handled(&files)?;
    }
}

fn single(text: String) -> Result<(), String> {
    let source = MemorySource::new([("openapi.yaml".to_owned(), text)]);
    generator::generate(&source, "openapi.yaml").map(|_| ()).map_err(|errors| errors.to_string())
}

const HEAD: &str = "openapi: 3.0.1\ninfo: {title: t, version: '1'}\n";

#[test]
fn deeply_nested_yaml_is_refused_with_a_message() {
    let depth = 100_000;
    let text = format!("{HEAD}paths: {}{}\n", "[".repeat(depth), "]".repeat(depth));
    let error = single(text).unwrap_err();
    assert!(error.contains("openapi.yaml"), "{error}");
}

#[test]
fn deeply_nested_schemas_generate_without_overflow() {
    for depth in [50, 120, 300, 2_000] {
        let mut schema = String::from("{type: string}");
        for _ in 0..depth {
            schema = format!("{{type: array, items: {schema}}}");
        }
        let text = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Deep: {schema}\n");
        let source = MemorySource::new([("openapi.yaml".to_owned(), text)]);
        match generator::generate(&source, "openapi.yaml") {
            // Below the nesting limit the schema is kept whole.
            Ok(generated) if depth < generator::load::MAX_DEPTH => {
                assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
                let models = generated.files.iter().find(|file| file.path == "src/models.rs").unwrap();
                assert!(models.contents.matches("Vec<").count() >= depth, "depth {depth}");
            }
            // Above it, the part beyond the limit is dropped with a warning.
            Ok(generated) => {
                assert!(generated.warnings.iter().any(|w| w.message.contains("nesting deeper")), "depth {depth}");
            }
            // The YAML parser's own recursion limit refuses the deepest text.
            Err(errors) => assert!(depth >= 100 && errors.to_string().contains("YAML"), "depth {depth}: {errors}"),
        }
    }
}

#[test]
fn a_long_chain_of_files_is_followed_or_refused_without_overflow() {
    let mut files = vec![(
        "openapi.yaml".to_owned(),
        format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Start: {{$ref: './s0.yaml'}}\n"),
    )];
    for index in 0..3_000 {
        files.push((
            format!("s{index}.yaml"),
            format!("type: object\nproperties:\n  next: {{$ref: './s{}.yaml'}}\n", index + 1),
        ));
    }
    files.push(("s3000.yaml".to_owned(), "type: string\n".to_owned()));
    let source = MemorySource::new(files);
    let generated = generator::generate(&source, "openapi.yaml").expect("a long chain is cut, not refused");
    let models = generated.files.iter().find(|file| file.path == "src/models.rs").unwrap();
    assert!(models.contents.contains("pub struct Start"), "the chain's start is kept");
    assert!(models.contents.contains("pub struct S30 {"), "files below the nesting limit are kept");
    let cut = generated.warnings.iter().find(|w| w.message.contains("nesting deeper")).expect("the cut is reported");
    assert!(cut.location.file.starts_with('s') && cut.location.file.ends_with(".yaml"), "{cut}");
}

#[test]
fn circular_references_between_files_end() {
    let files = [
        ("openapi.yaml", format!("{HEAD}paths:\n  /a: {{$ref: './a.yaml'}}\n")),
        ("a.yaml", "$ref: './b.yaml'\n".to_owned()),
        ("b.yaml", "$ref: './a.yaml'\n".to_owned()),
    ];
    let source = MemorySource::new(files);
    let generated = generator::generate(&source, "openapi.yaml").expect("a cycle drops only what it holds");
    let cycle = generated.warnings.iter().find(|w| w.message.contains("circular")).expect("the cycle is reported");
    assert!(cycle.location.file.ends_with(".yaml") && cycle.location.pointer.ends_with("/$ref"), "{cycle}");
    assert_eq!(generated.skipped.len(), 1, "{:?}", generated.skipped);
    assert!(generated.skipped[0].message.contains("path `/a` left out"), "{}", generated.skipped[0]);
}

#[test]
fn a_huge_document_is_handled() {
    let mut text = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n");
    for index in 0..5_000 {
        text.push_str(&format!(
            "    Model{index}:\n      type: object\n      properties:\n        field{index}: {{type: string}}\n"
        ));
    }
    single(text).unwrap();
}
