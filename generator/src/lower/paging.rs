//! Which list operations `items()` can page through, and how: detected from
//! the parameters and the response shape only when the evidence is clear,
//! or as the generator config declares (or vetoes) it.

use super::Lowerer;
use crate::config::PagingRule;
use crate::diagnostics::Kind;
use crate::ir::{
    Field, FieldStep, ItemsAt, NextAt, PageParam, PageSize, PageStyle, Pagination, Param, ParamLocation, RequestBody,
    ResponseContent, SuccessResponse, TotalAt, Type, TypeKind,
};

/// Page size when the caller sets none and the spec gives no bound.
const DEFAULT_PAGE_SIZE: u64 = 100;

/// Query parameters that carry a page token, compared without case or `_`.
const TOKEN_PARAMS: &[&str] = &["pagetoken", "cursor", "nexttoken", "continuationtoken", "after"];

/// Body fields that hold the next page's URL, compared without case or `_`.
const NEXT_URL_FIELDS: &[&str] = &["nextpageurl", "nextpageuri", "nexturl", "nextlink"];

/// Body fields that hold the next page's token, compared without case or `_`.
const NEXT_TOKEN_FIELDS: &[&str] = &["nextpagetoken", "nexttoken", "nextcursor", "continuationtoken"];

/// Query parameters that number pages, and those that size them.
const PAGE_NUMBER_PARAMS: &[&str] = &["page", "pagenumber"];
const PAGE_SIZE_PARAMS: &[&str] = &["pagesize", "perpage", "size"];

/// The item field a search-after sort ends with, unique to each item.
const SEARCH_AFTER_TIEBREAK: &str = "id";

/// How deep unions and aliases are followed to find an item's field: a
/// spec's types can refer to themselves.
const MAX_TYPE_DEPTH: usize = 16;

fn normalised(name: &str) -> String {
    name.chars().filter(|c| *c != '_' && *c != '-').flat_map(char::to_lowercase).collect()
}

impl Lowerer<'_> {
    /// The operation's paging: as the config declares it, else as detected.
    pub(crate) fn pagination(
        &mut self,
        operation_id: &str,
        pointer: &str,
        params: &[Param],
        body: Option<&RequestBody>,
        success: &SuccessResponse,
    ) -> Option<Pagination> {
        let mut pagination = self.declared_or_detected(operation_id, pointer, params, body, success)?;
        // SailPoint's lists report their total in `X-Total-Count`; no other API's do.
        if pagination.total == TotalAt::Nowhere && self.sailpoint.is_some() {
            pagination.total = TotalAt::CountHeader;
        }
        Some(pagination)
    }

    /// As the config declares it, else as detected.
    fn declared_or_detected(
        &mut self,
        operation_id: &str,
        pointer: &str,
        params: &[Param],
        body: Option<&RequestBody>,
        success: &SuccessResponse,
    ) -> Option<Pagination> {
        match self.paging_rules.remove(operation_id) {
            Some(PagingRule::None) => None,
            Some(rule) => {
                let declared = self.declared(&rule, params, body, success);
                if let Err(reason) = &declared {
                    let message = format!(
                        "the generator config declares paging for `{operation_id}`, but {reason}: it has no `items()`"
                    );
                    self.warn(Kind::Dropped, pointer, message);
                }
                declared.ok()
            }
            None => self.detected(params, body, success),
        }
    }

    /// Clear evidence only: a token parameter (the request side of token
    /// paging), with the next token or URL from the body when its schema has
    /// that field, else from the `Link` header (RFC 8288), which specs rarely
    /// declare; SCIM's `startIndex` and `count`; a JSON body with `sort` and
    /// `searchAfter` arrays whose items have an `id`, or for SailPoint's
    /// APIs are free-form objects (search-after, before limit and offset,
    /// which such servers cap); `limit` and `offset`; or a
    /// page number and size whose first page the spec states (a minimum or
    /// default of 0 or 1). A page that names no next page, or the same one
    /// again, ends the stream, so a server that sends neither gives one
    /// page, never a loop.
    fn detected(&self, params: &[Param], body: Option<&RequestBody>, success: &SuccessResponse) -> Option<Pagination> {
        let ResponseContent::Json { ty, .. } = &success.content else { return None };
        let query = |names: &[&str], fits: fn(&Type) -> bool| {
            params.iter().find(|p| {
                p.location == ParamLocation::Query && names.contains(&normalised(&p.wire_name).as_str()) && fits(&p.ty)
            })
        };
        let integer = |ty: &Type| matches!(ty, Type::I32 | Type::I64);
        let (items, item) = self.items_of(ty, None)?;
        if let Some(token) = query(TOKEN_PARAMS, |ty| *ty == Type::String) {
            let in_body = match items {
                ItemsAt::Field(_) => self.next_in(ty),
                ItemsAt::Body => None,
            };
            let next = in_body.unwrap_or(NextAt::LinkHeader);
            return Some(Pagination {
                style: PageStyle::Cursor { token: token.into(), next },
                items,
                item,
                total: TotalAt::Nowhere,
            });
        }
        // SCIM (RFC 7644 §3.4.2.4): `startIndex` from 1 and `count`, the total in `totalResults`.
        if let (Some(start), Some(count), ItemsAt::Field(_)) =
            (query(&["startindex"], integer), query(&["count"], integer), &items)
        {
            let total = self.integer_field(ty, "totalResults")?;
            let style = PageStyle::LimitOffset {
                limit: count.into(),
                offset: start.into(),
                count: None,
                page_size: page_size(count),
                first_index: 1,
            };
            return Some(Pagination { style, items, item, total: TotalAt::Field(total) });
        }
        let search_after = |body: &RequestBody| {
            let (sort, after) =
                self.search_fields(body, |name| normalised(name) == "sort", |name| normalised(name) == "searchafter")?;
            // Without a unique key, items that tie on every sort key could
            // straddle two pages and be skipped: no search-after then.
            // SailPoint's search documents all have `id`, which its docs name
            // as the key to sort on last, but the spec declares them as
            // `type: object` beside `oneOf`/`allOf`, which parses as a
            // free-form object: for its APIs, such an item is trusted to have one.
            let unique = self.has_field(&item, SEARCH_AFTER_TIEBREAK, 0)
                || (self.sailpoint.is_some() && self.is_free_form_object(&item, 0));
            unique.then(|| {
                search_after_style(params, body, sort, after, SEARCH_AFTER_TIEBREAK, query(&["limit"], integer))
            })
        };
        if let Some(style) = body.and_then(search_after) {
            return Some(Pagination { style, items, item, total: TotalAt::Nowhere });
        }
        if let (Some(limit), Some(offset)) = (query(&["limit"], integer), query(&["offset"], integer)) {
            return Some(Pagination {
                style: limit_offset(params, limit, offset),
                items,
                item,
                total: TotalAt::Nowhere,
            });
        }
        if let (Some(page), Some(size)) = (query(PAGE_NUMBER_PARAMS, integer), query(PAGE_SIZE_PARAMS, integer)) {
            let first = first_page(page)?;
            let style =
                PageStyle::PageNumber { page: page.into(), size: size.into(), first, page_size: page_size(size) };
            return Some(Pagination { style, items, item, total: TotalAt::Nowhere });
        }
        None
    }

    /// The paging a config rule declares, checked against the operation.
    fn declared(
        &self,
        rule: &PagingRule,
        params: &[Param],
        body: Option<&RequestBody>,
        success: &SuccessResponse,
    ) -> Result<Pagination, String> {
        let ResponseContent::Json { ty, .. } = &success.content else {
            return Err("its success response is not JSON".to_owned());
        };
        let query = |name: &str, fits: fn(&Type) -> bool| {
            params
                .iter()
                .find(|p| p.location == ParamLocation::Query && p.wire_name == name && fits(&p.ty))
                .ok_or_else(|| format!("it has no query parameter `{name}` of the right type"))
        };
        let integer = |ty: &Type| matches!(ty, Type::I32 | Type::I64);
        let items_field = match rule {
            PagingRule::LimitOffset { items, .. }
            | PagingRule::PageNumber { items, .. }
            | PagingRule::Cursor { items, .. }
            | PagingRule::SearchAfter { items, .. } => items.as_deref(),
            PagingRule::None => None,
        };
        let (items, item) = self
            .items_of(ty, items_field)
            .ok_or_else(|| "its response body is not an array, nor an object with one array field".to_owned())?;
        let style = match rule {
            PagingRule::None => unreachable!("a veto declares nothing"),
            PagingRule::LimitOffset { limit, offset, .. } => {
                limit_offset(params, query(limit, integer)?, query(offset, integer)?)
            }
            PagingRule::PageNumber { page, size, first, .. } => {
                let size = query(size, integer)?;
                PageStyle::PageNumber {
                    page: query(page, integer)?.into(),
                    size: size.into(),
                    first: *first,
                    page_size: page_size(size),
                }
            }
            PagingRule::Cursor { token, next_token, next_url, next_link, .. } => {
                let token = query(token, |ty| *ty == Type::String)?.into();
                let path = |dotted: &str| {
                    self.field_path(ty, dotted).ok_or_else(|| format!("its response has no string field `{dotted}`"))
                };
                let next = match (next_token, next_url, next_link) {
                    (Some(dotted), None, false) => NextAt::Token(path(dotted)?),
                    (None, Some(dotted), false) => NextAt::Url(path(dotted)?),
                    (None, None, true) => NextAt::LinkHeader,
                    _ => {
                        return Err("a cursor needs exactly one of `next-token`, `next-url` and `next-link`".to_owned())
                    }
                };
                PageStyle::Cursor { token, next }
            }
            PagingRule::SearchAfter { sort, after, tiebreak, limit, .. } => {
                let body = body.ok_or_else(|| "it has no request body".to_owned())?;
                let (sort_field, after_field) =
                    self.search_fields(body, |name| name == sort, |name| name == after).ok_or_else(|| {
                        format!(
                            "its request body is not a JSON object with string array fields `{sort}` and `{after}` \
                             (optional, it needs a model whose fields all are)"
                        )
                    })?;
                // The config's word covers items the spec leaves free-form.
                if !self.has_field(&item, tiebreak, 0) && !self.is_free_form_object(&item, 0) {
                    return Err(format!("its items have no field `{tiebreak}`"));
                }
                let limit = limit.as_deref().map(|limit| query(limit, integer)).transpose()?;
                search_after_style(params, body, sort_field, after_field, tiebreak, limit)
            }
        };
        Ok(Pagination { style, items, item, total: TotalAt::Nowhere })
    }

    /// The sort and search-after fields (arrays of strings) of a JSON body
    /// object, found by name. An optional body must have a model whose
    /// fields all are optional: `items()` then starts from its `Default`
    /// when the caller gives none, and no required field is made up.
    fn search_fields(
        &self,
        body: &RequestBody,
        is_sort: impl Fn(&str) -> bool,
        is_after: impl Fn(&str) -> bool,
    ) -> Option<(FieldStep, FieldStep)> {
        let RequestBody::Json { ty, required, .. } = body else { return None };
        let fields = self.struct_fields(ty)?;
        if !required && !fields.iter().all(Field::is_optional) {
            return None;
        }
        let strings = |field: &&Field| {
            matches!(unwrap_nullable(&field.ty), Type::Array(item) if **item == Type::String) && !field.boxed
        };
        let sort = fields.iter().filter(strings).find(|field| is_sort(&field.wire_name))?;
        let after = fields.iter().filter(strings).find(|field| is_after(&field.wire_name))?;
        Some((step(sort), step(after)))
    }

    /// Whether every value of `ty` has the scalar field `wire`: a struct's,
    /// or, for a union, every variant's; through aliases.
    fn has_field(&self, ty: &Type, wire: &str, depth: usize) -> bool {
        let Type::Named(name) = unwrap_nullable(ty) else { return false };
        let Some(def) = self.types.get(name).filter(|_| depth < MAX_TYPE_DEPTH) else { return false };
        match &def.kind {
            TypeKind::Struct { fields } => fields.iter().any(|field| {
                field.wire_name == wire && matches!(unwrap_nullable(&field.ty), Type::String | Type::I32 | Type::I64)
            }),
            TypeKind::Union { variants, .. } => {
                !variants.is_empty() && variants.iter().all(|variant| self.has_field(&variant.ty, wire, depth + 1))
            }
            TypeKind::Alias { ty } => self.has_field(ty, wire, depth + 1),
            TypeKind::Enum { .. } => false,
        }
    }

    /// Whether `ty` is a free-form JSON object (a map of any values), through aliases.
    fn is_free_form_object(&self, ty: &Type, depth: usize) -> bool {
        match unwrap_nullable(ty) {
            Type::Map(values) => **values == Type::Any,
            Type::Named(name) if depth < MAX_TYPE_DEPTH => match self.types.get(name).map(|def| &def.kind) {
                Some(TypeKind::Alias { ty }) => self.is_free_form_object(ty, depth + 1),
                _ => false,
            },
            _ => false,
        }
    }

    /// The fields of a named struct, through aliases.
    fn struct_fields(&self, ty: &Type) -> Option<&[crate::ir::Field]> {
        let mut ty = ty;
        loop {
            let Type::Named(name) = ty else { return None };
            match &self.types.get(name)?.kind {
                TypeKind::Struct { fields } => return Some(fields),
                TypeKind::Alias { ty: aliased } => ty = aliased,
                _ => return None,
            }
        }
    }

    /// Where the items are: the body itself when it is an array, else the
    /// named field, else the one array field of the body object.
    fn items_of(&self, ty: &Type, field: Option<&str>) -> Option<(ItemsAt, Type)> {
        if let (Type::Array(item), None) = (ty, field) {
            return Some((ItemsAt::Body, item.as_ref().clone()));
        }
        let fields = self.struct_fields(ty)?;
        let array = |f: &&crate::ir::Field| matches!(unwrap_nullable(&f.ty), Type::Array(_)) && !f.boxed;
        let chosen = match field {
            Some(wire) => fields.iter().filter(array).find(|f| f.wire_name == wire)?,
            None => {
                let mut arrays = fields.iter().filter(array);
                let only = arrays.next()?;
                if arrays.next().is_some() {
                    return None;
                }
                only
            }
        };
        let Type::Array(item) = unwrap_nullable(&chosen.ty) else { return None };
        Some((ItemsAt::Field(step(chosen)), item.as_ref().clone()))
    }

    /// The next URL or token field of a body object, at the top or one
    /// object down (`meta.next_page_url`); `None` unless exactly one is found.
    fn next_in(&self, ty: &Type) -> Option<NextAt> {
        let fields = self.struct_fields(ty)?;
        let mut found = Vec::new();
        let mut look = |prefix: Vec<FieldStep>, fields: &[crate::ir::Field]| {
            for field in fields.iter().filter(|f| *unwrap_nullable(&f.ty) == Type::String) {
                let name = normalised(&field.wire_name);
                let mut path = prefix.clone();
                path.push(step(field));
                if NEXT_URL_FIELDS.contains(&name.as_str()) {
                    found.push(NextAt::Url(path));
                } else if NEXT_TOKEN_FIELDS.contains(&name.as_str()) {
                    found.push(NextAt::Token(path));
                }
            }
        };
        look(Vec::new(), fields);
        for field in fields {
            if let Some(inner) = self.struct_fields(unwrap_nullable(&field.ty)) {
                look(vec![step(field)], inner);
            }
        }
        (found.len() == 1).then(|| found.remove(0))
    }

    /// The top-level integer field `wire` of a body object.
    fn integer_field(&self, ty: &Type, wire: &str) -> Option<Vec<FieldStep>> {
        let field = self.struct_fields(ty)?.iter().find(|f| f.wire_name == wire)?;
        matches!(unwrap_nullable(&field.ty), Type::I32 | Type::I64).then(|| vec![step(field)])
    }

    /// A dotted path of string fields by wire name (`meta.next_page_url`).
    fn field_path(&self, ty: &Type, dotted: &str) -> Option<Vec<FieldStep>> {
        let mut ty = ty.clone();
        let mut path = Vec::new();
        for wire in dotted.split('.') {
            let field = self.struct_fields(&ty)?.iter().find(|f| f.wire_name == wire)?;
            path.push(step(field));
            ty = unwrap_nullable(&field.ty).clone();
        }
        (ty == Type::String).then_some(path)
    }
}

fn unwrap_nullable(ty: &Type) -> &Type {
    match ty {
        Type::Nullable(inner) => inner,
        other => other,
    }
}

fn step(field: &Field) -> FieldStep {
    FieldStep { field: field.rust_name.clone(), optional: field.is_optional() }
}

fn limit_offset(params: &[Param], limit: &Param, offset: &Param) -> PageStyle {
    PageStyle::LimitOffset {
        limit: limit.into(),
        offset: offset.into(),
        count: count_param(params).map(Into::into),
        page_size: page_size(limit),
        first_index: 0,
    }
}

/// A boolean `count` query parameter, which asks for `X-Total-Count`.
fn count_param(params: &[Param]) -> Option<&Param> {
    params.iter().find(|p| p.location == ParamLocation::Query && p.wire_name == "count" && p.ty == Type::Bool)
}

fn search_after_style(
    params: &[Param],
    body: &RequestBody,
    sort: FieldStep,
    after: FieldStep,
    tiebreak: &str,
    limit: Option<&Param>,
) -> PageStyle {
    let offset = params.iter().find(|p| {
        p.location == ParamLocation::Query
            && normalised(&p.wire_name) == "offset"
            && matches!(p.ty, Type::I32 | Type::I64)
    });
    PageStyle::SearchAfter {
        sort,
        after,
        body_required: body.is_required_value(),
        tiebreak: tiebreak.to_owned(),
        limit: limit.map(|limit| PageSize { param: limit.into(), default: page_size(limit) }),
        offset: offset.map(Into::into),
        count: count_param(params).map(Into::into),
    }
}

/// The largest page the spec allows, else its default, else 100.
fn page_size(size: &Param) -> u64 {
    let default = size.default.as_ref().and_then(|default| match default {
        serde_json::Value::String(text) => text.parse::<u64>().ok(),
        value => value.as_u64(),
    });
    let maximum = size.bounds.maximum.as_ref().and_then(serde_json::Number::as_u64);
    maximum.or(default).filter(|size| *size > 0).unwrap_or(DEFAULT_PAGE_SIZE)
}

/// The first page's number, when the spec states it: a minimum or default
/// of 0 or 1. Without one, 0 and 1 are both guesses, and a wrong guess
/// skips or repeats a page: no paging then.
fn first_page(page: &Param) -> Option<u64> {
    let minimum = page.bounds.minimum.as_ref().and_then(serde_json::Number::as_u64);
    let default = page.default.as_ref().and_then(serde_json::Value::as_u64);
    minimum.or(default).filter(|first| *first <= 1)
}

impl From<&Param> for PageParam {
    fn from(param: &Param) -> Self {
        Self {
            field: param.field_name.clone(),
            wire_name: param.wire_name.clone(),
            ty: param.ty.clone(),
            required: param.required,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{PageStyle, Pagination};

    /// A search operation: `query` (YAML) holds its query parameters, `body`
    /// its request body's schema, `items` the schema of one result.
    fn search(id: &str, query: &str, body: &str, body_required: bool, items: &str) -> String {
        format!(
            "  /{id}:\n    post:\n      operationId: {id}\n      parameters: {query}\n      requestBody:\n        \
             required: {body_required}\n        content:\n          application/json:\n            schema: {body}\n      \
             responses:\n        '200':\n          description: Found.\n          content:\n            \
             application/json:\n              schema: {{type: array, items: {items}}}\n"
        )
    }

    /// The paging of each operation of a spec served at `server`, lowered
    /// with the config `config`; and the warnings.
    fn paging(server: &str, paths: &[String], config: &str) -> (Vec<(String, Option<Pagination>)>, Vec<String>) {
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: Search, version: '1'}}\nservers: [{{url: '{server}'}}]\npaths:\n{}\
             components:\n  schemas:\n{SCHEMAS}",
            paths.concat()
        );
        let source = crate::MemorySource::new([("openapi.yaml", spec)]);
        let loaded = crate::load::load(&source, "openapi.yaml").unwrap();
        let parsed = crate::parse::parse(&loaded).unwrap();
        let paging = crate::config::Config::parse("generator.yaml", config).unwrap().paging;
        let options = super::super::LowerOptions { paging, ..Default::default() };
        let lowered = super::super::lower(&parsed.spec, &loaded.source_map, &options).unwrap();
        let operations = lowered.api.operations.into_iter().map(|op| (op.operation_id, op.pagination)).collect();
        (operations, lowered.warnings.iter().map(ToString::to_string).collect())
    }

    const SCHEMAS: &str = "    Search:\n      type: object\n      properties:\n        \
        sort: {type: array, items: {type: string}}\n        searchAfter: {type: array, items: {type: string}}\n        \
        query: {type: string}\n    \
        Strict:\n      type: object\n      required: [query]\n      properties:\n        \
        sort: {type: array, items: {type: string}}\n        search_after: {type: array, items: {type: string}}\n        \
        query: {type: string}\n    \
        Doc:\n      oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]\n    \
        DocAlias: {allOf: [{$ref: '#/components/schemas/Doc'}]}\n    \
        Loose:\n      oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/C'}]\n    \
        A: {type: object, required: [id], properties: {id: {type: string}, name: {type: string}}}\n    \
        B: {type: object, properties: {id: {type: integer}, title: {type: string}}}\n    \
        C: {type: object, properties: {name: {type: string}}}\n    \
        Keyed: {type: object, properties: {key: {type: string}}}\n    \
        Free: {type: object}\n";

    const EXAMPLE: &str = "https://api.example.com";

    const LIMIT_OFFSET: &str = "[{name: limit, in: query, schema: {type: integer, maximum: 10000, default: 250}}, \
                                {name: offset, in: query, schema: {type: integer}}, \
                                {name: count, in: query, schema: {type: boolean}}]";

    fn style(pagination: &Option<Pagination>) -> Option<&PageStyle> {
        pagination.as_ref().map(|pagination| &pagination.style)
    }

    #[test]
    fn a_body_sort_and_search_after_with_a_unique_id_pages_by_search_after() {
        let search_ref = "{$ref: '#/components/schemas/Search'}";
        let strict_ref = "{$ref: '#/components/schemas/Strict'}";
        let paths = [
            search("union", LIMIT_OFFSET, search_ref, true, "{$ref: '#/components/schemas/DocAlias'}"),
            search("noLimit", "[]", strict_ref, true, "{$ref: '#/components/schemas/A'}"),
            search("optionalBody", "[]", search_ref, false, "{$ref: '#/components/schemas/A'}"),
            // Fall through to limit and offset, or to nothing:
            search("variantWithoutId", LIMIT_OFFSET, search_ref, true, "{$ref: '#/components/schemas/Loose'}"),
            search("withoutId", "[]", search_ref, true, "{$ref: '#/components/schemas/C'}"),
            search("optionalStrictBody", LIMIT_OFFSET, strict_ref, false, "{$ref: '#/components/schemas/A'}"),
        ];
        let (operations, warnings) = paging(EXAMPLE, &paths, "{}");
        assert!(warnings.is_empty(), "{warnings:?}");
        let by_id = |id: &str| &operations.iter().find(|(operation, _)| operation == id).unwrap().1;
        let Some(PageStyle::SearchAfter { sort, after, body_required, tiebreak, limit, offset, count }) =
            style(by_id("union"))
        else {
            panic!("{:?}", by_id("union"))
        };
        assert_eq!((sort.field.as_str(), after.field.as_str(), tiebreak.as_str()), ("sort", "search_after", "id"));
        assert!(*body_required && sort.optional && after.optional);
        assert_eq!(limit.as_ref().map(|size| (size.param.wire_name.as_str(), size.default)), Some(("limit", 10000)));
        assert_eq!(offset.as_ref().map(|offset| offset.wire_name.as_str()), Some("offset"));
        assert_eq!(count.as_ref().map(|count| count.wire_name.as_str()), Some("count"));
        assert!(
            matches!(style(by_id("noLimit")), Some(PageStyle::SearchAfter { limit: None, offset: None, after, .. }) if after.field == "search_after")
        );
        assert!(matches!(style(by_id("optionalBody")), Some(PageStyle::SearchAfter { body_required: false, .. })));
        for id in ["variantWithoutId", "optionalStrictBody"] {
            assert!(matches!(style(by_id(id)), Some(PageStyle::LimitOffset { .. })), "{id}: {:?}", by_id(id));
        }
        assert_eq!(by_id("withoutId"), &None);
    }

    #[test]
    fn the_config_declares_search_after_by_wire_names_and_says_why_it_cannot() {
        let paths = [
            search(
                "keyed",
                "[]",
                "{$ref: '#/components/schemas/Strict'}",
                true,
                "{$ref: '#/components/schemas/Keyed'}",
            ),
            search(
                "detected",
                LIMIT_OFFSET,
                "{$ref: '#/components/schemas/Search'}",
                true,
                "{$ref: '#/components/schemas/A'}",
            ),
            search("noKey", "[]", "{$ref: '#/components/schemas/Search'}", true, "{$ref: '#/components/schemas/C'}"),
        ];
        let config = "paging:\n  keyed: {style: search-after, sort: sort, after: search_after, tiebreak: key}\n  \
                      detected: {style: none}\n  \
                      noKey: {style: search-after, sort: sort, after: searchAfter, tiebreak: id, limit: limit}\n";
        let (operations, warnings) = paging(EXAMPLE, &paths, config);
        assert!(
            matches!(&operations[0].1, Some(Pagination { style: PageStyle::SearchAfter { tiebreak, .. }, .. }) if tiebreak == "key")
        );
        assert_eq!((&operations[1].1, &operations[2].1), (&None, &None), "vetoed, and declared wrongly");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains("`noKey`") && warnings[0].contains("its items have no field `id`"),
            "{warnings:?}"
        );
    }

    #[test]
    fn free_form_items_page_by_search_after_only_for_sailpoint_or_when_declared() {
        let paths = [search(
            "free",
            LIMIT_OFFSET,
            "{$ref: '#/components/schemas/Search'}",
            true,
            "{$ref: '#/components/schemas/Free'}",
        )];
        let is_search_after =
            |pagination: &Option<Pagination>| matches!(style(pagination), Some(PageStyle::SearchAfter { .. }));
        // Anyone's free-form item may lack `id`: limit and offset, as before.
        let (operations, _) = paging(EXAMPLE, &paths, "{}");
        assert!(matches!(style(&operations[0].1), Some(PageStyle::LimitOffset { .. })), "{operations:?}");
        // SailPoint's search documents are free-form to the generator, and all have `id`.
        let (operations, _) = paging("https://{tenant}.api.identitynow.com", &paths, "{}");
        assert!(is_search_after(&operations[0].1), "{operations:?}");
        let config = "paging:\n  free: {style: search-after, sort: sort, after: searchAfter, tiebreak: id}\n";
        let (operations, warnings) = paging(EXAMPLE, &paths, config);
        assert!(is_search_after(&operations[0].1) && warnings.is_empty(), "{operations:?} {warnings:?}");
    }
}
