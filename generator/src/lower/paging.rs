//! Which list operations `items()` can page through, and how: detected from
//! the parameters and the response shape only when the evidence is clear,
//! or as the generator config declares (or vetoes) it.

use super::Lowerer;
use crate::config::PagingRule;
use crate::diagnostics::Kind;
use crate::ir::{
    FieldStep, ItemsAt, NextAt, PageParam, PageStyle, Pagination, Param, ParamLocation, ResponseContent,
    SuccessResponse, TotalAt, Type, TypeKind,
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
        success: &SuccessResponse,
    ) -> Option<Pagination> {
        let mut pagination = self.declared_or_detected(operation_id, pointer, params, success)?;
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
        success: &SuccessResponse,
    ) -> Option<Pagination> {
        match self.paging_rules.remove(operation_id) {
            Some(PagingRule::None) => None,
            Some(rule) => {
                let declared = self.declared(&rule, params, success);
                if let Err(reason) = &declared {
                    let message = format!(
                        "the generator config declares paging for `{operation_id}`, but {reason}: it has no `items()`"
                    );
                    self.warn(Kind::Dropped, pointer, message);
                }
                declared.ok()
            }
            None => self.detected(params, success),
        }
    }

    /// Clear evidence only: a token parameter (the request side of token
    /// paging), with the next token or URL from the body when its schema has
    /// that field, else from the `Link` header (RFC 8288), which specs rarely
    /// declare; `limit` and `offset`; or a page number and size whose first
    /// page the spec states (a minimum or default of 0 or 1). A page that
    /// names no next page, or the same one again, ends the stream, so a
    /// server that sends neither gives one page, never a loop.
    fn detected(&self, params: &[Param], success: &SuccessResponse) -> Option<Pagination> {
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
    fn declared(&self, rule: &PagingRule, params: &[Param], success: &SuccessResponse) -> Result<Pagination, String> {
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
            | PagingRule::Cursor { items, .. } => items.as_deref(),
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
        };
        Ok(Pagination { style, items, item, total: TotalAt::Nowhere })
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

fn step(field: &crate::ir::Field) -> FieldStep {
    FieldStep { field: field.rust_name.clone(), optional: !field.required || matches!(field.ty, Type::Nullable(_)) }
}

fn limit_offset(params: &[Param], limit: &Param, offset: &Param) -> PageStyle {
    let count =
        params.iter().find(|p| p.location == ParamLocation::Query && p.wire_name == "count" && p.ty == Type::Bool);
    PageStyle::LimitOffset {
        limit: limit.into(),
        offset: offset.into(),
        count: count.map(Into::into),
        page_size: page_size(limit),
        first_index: 0,
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
