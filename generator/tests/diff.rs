//! `generator::diff`: one small spec, changed one way per test, and the
//! change (or none) each must report, with its level and the bump.

use generator::diff::{bumped, diff, Bump, Level, Report};
use generator::MemorySource;

/// The base spec: a list with `limit`, a get by id, a model with an enum.
const BASE: &str = r##"
openapi: 3.0.3
info: {title: Widgets, version: "1"}
paths:
  /widgets:
    get:
      operationId: listWidgets
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Widget"}}}}}
  /widgets/{id}:
    get:
      operationId: getWidget
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Widget"}}}}
        "404": {description: missing, content: {application/json: {schema: {$ref: "#/components/schemas/Problem"}}}}
components:
  schemas:
    Widget:
      type: object
      required: [id]
      properties:
        id: {type: string}
        size: {type: integer}
        color: {type: string, enum: [red, blue]}
    Problem:
      type: object
      properties:
        detail: {type: string}
"##;

fn api(files: &[(&str, &str)]) -> generator::ir::Api {
    let files: Vec<(String, String)> =
        files.iter().map(|(name, text)| ((*name).to_owned(), (*text).to_owned())).collect();
    let source = MemorySource::new(files);
    generator::lower_spec(&source, "openapi.yaml", &generator::Options::default()).unwrap()
}

/// The report from `BASE` to `BASE` with `from` replaced by `to`.
fn changed(from: &str, to: &str) -> Report {
    assert!(BASE.contains(from), "the base spec has no {from:?}");
    diff(&api(&[("openapi.yaml", BASE)]), &api(&[("openapi.yaml", &BASE.replacen(from, to, 1))]))
}

/// The single change of a report.
fn only(report: &Report) -> (Level, String) {
    assert_eq!(report.changes.len(), 1, "{report:#?}");
    let change = &report.changes[0];
    (change.level, format!("{}: {}", change.subject, change.message))
}

#[test]
fn reformatting_reordering_and_moving_a_schema_to_another_file_change_nothing() {
    // Flow style to block style, properties reordered, a schema moved out.
    let moved = BASE
        .replace(
            "        id: {type: string}\n        size: {type: integer}\n        color: {type: string, enum: [red, blue]}\n",
            "        color:\n          type: string\n          enum: [red, blue]\n        size: {type: integer}\n        id: {type: string}\n",
        )
        .replace(
            "    Problem:\n      type: object\n      properties:\n        detail: {type: string}\n",
            "    Problem:\n      $ref: ./problem.yaml\n",
        );
    let problem = "type: object\nproperties:\n  detail:\n    type: string\n";
    let report = diff(&api(&[("openapi.yaml", BASE)]), &api(&[("openapi.yaml", &moved), ("problem.yaml", problem)]));
    assert!(report.changes.is_empty(), "{report:#?}");
    assert_eq!(report.bump(), Bump::Patch);
}

#[test]
fn operations_added_and_removed() {
    let added = changed(
        "components:\n",
        "  /gadgets:\n    get:\n      operationId: listGadgets\n      responses:\n        \"204\": {description: ok}\ncomponents:\n",
    );
    assert_eq!(only(&added), (Level::Additive, "operation `list_gadgets`: added (`GET /gadgets`)".to_owned()));
    let moved = changed("    get:\n      operationId: getWidget", "    delete:\n      operationId: getWidget");
    assert_eq!(
        only(&moved),
        (Level::Patch, "operation `get_widget`: now `DELETE /widgets/{id}` (was `GET /widgets/{id}`)".to_owned())
    );
    let start = BASE.find("  /widgets/{id}:").unwrap();
    let end = BASE.find("components:").unwrap();
    let removed = changed(&BASE[start..end], "");
    assert_eq!(removed.changes[0].level, Level::Breaking);
    assert_eq!(removed.changes[0].message, "removed (`GET /widgets/{id}`)");
}

#[test]
fn parameters_added_removed_and_made_required() {
    let optional = changed(
        "        - {name: limit,",
        "        - {name: q, in: query, schema: {type: string}}\n        - {name: limit,",
    );
    assert_eq!(only(&optional), (Level::Additive, "operation `list_widgets`: optional parameter `q` added".to_owned()));
    let required = changed("        - {name: limit, in: query,", "        - {name: limit, in: query, required: true,");
    assert_eq!(only(&required).0, Level::Breaking);
    assert!(only(&required).1.contains("`limit` is now required"));
    let retyped = changed(
        "        - {name: limit, in: query, schema: {type: integer}}",
        "        - {name: limit, in: query, schema: {type: string}}",
    );
    assert_eq!(only(&retyped).0, Level::Breaking);
    let removed =
        changed("{name: limit, in: query, schema: {type: integer}}", "{name: q, in: query, schema: {type: string}}");
    assert_eq!(removed.level(), Level::Breaking);
    assert!(removed.changes.iter().any(|c| c.message == "parameter `limit` removed"), "{removed:#?}");
}

#[test]
fn fields_added_removed_and_retyped() {
    let optional =
        changed("        size: {type: integer}\n", "        size: {type: integer}\n        weight: {type: number}\n");
    assert_eq!(only(&optional), (Level::Additive, "model `Widget`: optional field `weight` added".to_owned()));
    let required = changed("      required: [id]", "      required: [id, size]");
    assert_eq!(only(&required), (Level::Breaking, "model `Widget`: field `size` is now required".to_owned()));
    let retyped = changed("        size: {type: integer}", "        size: {type: string}");
    assert_eq!(only(&retyped).0, Level::Breaking);
    let removed = changed("        size: {type: integer}\n", "");
    assert_eq!(only(&removed), (Level::Breaking, "model `Widget`: field `size` removed".to_owned()));
}

#[test]
fn enum_values_added_and_removed() {
    let added = changed("enum: [red, blue]", "enum: [red, blue, green]");
    assert_eq!(only(&added), (Level::Additive, "model `WidgetColor`: value `green` added".to_owned()));
    let removed = changed("enum: [red, blue]", "enum: [red]");
    assert_eq!(only(&removed), (Level::Breaking, "model `WidgetColor`: value `blue` removed".to_owned()));
}

#[test]
fn responses_models_and_errors() {
    let returns = changed(
        "\"200\": {description: ok, content: {application/json: {schema: {$ref: \"#/components/schemas/Widget\"}}}}\n        \"404\"",
        "\"204\": {description: gone}\n        \"404\"",
    );
    assert!(
        returns.changes.iter().any(|c| c.level == Level::Breaking && c.message.starts_with("returns nothing")),
        "{returns:#?}"
    );
    let error_added = changed(
        "        \"404\": {description: missing,",
        "        \"409\": {description: clash}\n        \"404\": {description: missing,",
    );
    assert_eq!(only(&error_added), (Level::Additive, "operation `get_widget`: error `Conflict` added".to_owned()));
    let model_removed = changed(
        "        \"404\": {description: missing, content: {application/json: {schema: {$ref: \"#/components/schemas/Problem\"}}}}\n",
        "",
    );
    assert_eq!(model_removed.level(), Level::Breaking, "{model_removed:#?}");
    assert!(model_removed
        .changes
        .iter()
        .any(|c| c.subject == "operation `get_widget`" && c.message == "error `NotFound` removed"));
}

#[test]
fn paging_added_is_additive() {
    let paged = changed(
        "        - {name: limit,",
        "        - {name: offset, in: query, schema: {type: integer}}\n        - {name: limit,",
    );
    assert!(paged.changes.iter().all(|c| c.level == Level::Additive), "{paged:#?}");
    let offset_added = paged.changes.iter().any(|c| c.message == "optional parameter `offset` added");
    let items_added = paged.changes.iter().any(|c| c.message == "`items()` added");
    assert!(offset_added && items_added, "{paged:#?}");
}

#[test]
fn versions_bump_as_cargo_reads_them() {
    let version = |text: &str| semver::Version::parse(text).unwrap();
    assert_eq!(bumped(&version("0.3.4"), Bump::Major), version("0.4.0"));
    assert_eq!(bumped(&version("0.3.4"), Bump::Minor), version("0.3.5"));
    assert_eq!(bumped(&version("0.3.4"), Bump::Patch), version("0.3.5"));
    assert_eq!(bumped(&version("1.3.4"), Bump::Major), version("2.0.0"));
    assert_eq!(bumped(&version("1.3.4"), Bump::Minor), version("1.4.0"));
    assert_eq!(bumped(&version("1.3.4"), Bump::Patch), version("1.3.5"));
    let report = changed("enum: [red, blue]", "enum: [red]");
    let markdown = report.to_markdown(&version("0.3.4"));
    assert!(markdown.contains("**Verdict: breaking**: version 0.3.4 → 0.4.0"), "{markdown}");
    assert!(markdown.contains("## Breaking\n\n- model `WidgetColor`: value `blue` removed"), "{markdown}");
}
