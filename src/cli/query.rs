//! `--query`: a JMESPath expression over a command's result, compiled when the arguments are
//! parsed (a malformed expression is a usage error, before anything is sent) and applied by
//! [`super::output`] where the AWS CLI applies it.
//!
//! The `jmespath` crate is the JMESPath project's own Rust implementation of the specification
//! the AWS CLI's jmespath.py implements (it passes the specification's compliance suite). Its
//! objects keep keys sorted where Python's keep their order, so the result's objects get their
//! order back ([`KeyOrders`]): JSON output prints keys where the AWS CLI prints them.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use jmespath::ast::Ast;
use serde_json::{Map, Value};

/// A compiled `--query` expression.
#[derive(Clone)]
pub struct Query(Arc<jmespath::Expression<'static>>);

impl std::fmt::Debug for Query {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Query").field(&self.0.as_str()).finish()
    }
}

impl Query {
    /// Compiles `text`; the error shows where the expression went wrong.
    pub fn parse(text: &str) -> Result<Query, String> {
        jmespath::compile(text)
            .map(|expression| Query(Arc::new(expression)))
            .map_err(|e| format!("not a JMESPath expression: {e}"))
    }

    /// The expression's result on `data` (JSON `null` when nothing matches). Fails when a
    /// function meets an argument of the wrong type, as in the AWS CLI.
    pub fn search(&self, data: &Value) -> Result<Value, String> {
        let found = self.0.search(data).map_err(|e| format!("--query {e}"))?;
        let mut result =
            serde_json::to_value(&*found).map_err(|e| format!("--query result: {e}"))?;
        KeyOrders::for_result(&result, self.0.as_ast(), data).restore(&mut result);
        Ok(result)
    }
}

/// The order the AWS CLI prints an object's keys in, by the object's set of keys: an object a
/// multiselect hash (`{Id: Id, Title: EngagementTitle}`) builds keeps the expression's order,
/// one picked from the data the order it has there (the service's).
struct KeyOrders(HashMap<BTreeSet<String>, Vec<String>>);

impl KeyOrders {
    /// The orders of the key sets `result` has: the expression's hashes first, then the first
    /// object of the data with the same keys.
    fn for_result(result: &Value, query: &Ast, data: &Value) -> KeyOrders {
        let mut wanted = HashMap::new();
        each_object(result, &mut |object| {
            wanted
                .entry(object.keys().cloned().collect::<BTreeSet<_>>())
                .or_insert(None);
        });
        if wanted.is_empty() {
            return KeyOrders(HashMap::new());
        }
        let sizes: BTreeSet<usize> = wanted.keys().map(BTreeSet::len).collect();
        let mut found = |keys: Vec<String>| {
            if let Some(order @ None) =
                wanted.get_mut(&keys.iter().cloned().collect::<BTreeSet<_>>())
            {
                *order = Some(keys);
            }
        };
        each_hash(query, &mut found);
        each_object(data, &mut |object| {
            if sizes.contains(&object.len()) {
                found(object.keys().cloned().collect());
            }
        });
        KeyOrders(
            wanted
                .into_iter()
                .filter_map(|(keys, order)| Some((keys, order?)))
                .collect(),
        )
    }

    /// Puts the keys of every object in `value` in their order (unknown sets stay sorted).
    fn restore(&self, value: &mut Value) {
        match value {
            Value::Object(object) => {
                let keys: BTreeSet<String> = object.keys().cloned().collect();
                if let Some(order) = self.0.get(&keys) {
                    let mut sorted = std::mem::take(object);
                    *object = order
                        .iter()
                        .filter_map(|key| sorted.remove_entry(key))
                        .collect::<Map<String, Value>>();
                }
                object.values_mut().for_each(|v| self.restore(v));
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.restore(v)),
            _ => {}
        }
    }
}

/// Calls `visit` with every object in `value`, outermost first.
fn each_object(value: &Value, visit: &mut impl FnMut(&Map<String, Value>)) {
    match value {
        Value::Object(object) => {
            visit(object);
            object.values().for_each(|v| each_object(v, visit));
        }
        Value::Array(items) => items.iter().for_each(|v| each_object(v, visit)),
        _ => {}
    }
}

/// Calls `visit` with the keys of every multiselect hash in `ast`, in the expression's order.
fn each_hash(ast: &Ast, visit: &mut impl FnMut(Vec<String>)) {
    match ast {
        Ast::MultiHash { elements, .. } => {
            visit(elements.iter().map(|pair| pair.key.clone()).collect());
            elements
                .iter()
                .for_each(|pair| each_hash(&pair.value, visit));
        }
        Ast::Comparison { lhs, rhs, .. }
        | Ast::Projection { lhs, rhs, .. }
        | Ast::And { lhs, rhs, .. }
        | Ast::Or { lhs, rhs, .. }
        | Ast::Subexpr { lhs, rhs, .. } => {
            each_hash(lhs, visit);
            each_hash(rhs, visit);
        }
        Ast::Condition {
            predicate, then, ..
        } => {
            each_hash(predicate, visit);
            each_hash(then, visit);
        }
        Ast::Expref { ast: node, .. }
        | Ast::Flatten { node, .. }
        | Ast::Not { node, .. }
        | Ast::ObjectValues { node, .. } => each_hash(node, visit),
        Ast::Function { args: nodes, .. }
        | Ast::MultiList {
            elements: nodes, ..
        } => nodes.iter().for_each(|n| each_hash(n, visit)),
        Ast::Identity { .. }
        | Ast::Field { .. }
        | Ast::Index { .. }
        | Ast::Literal { .. }
        | Ast::Slice { .. } => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn projections_filters_and_functions_work() {
        let data = json!({"S": [{"Id": "a", "N": 1}, {"Id": "b", "N": 2}, {"Id": "c"}]});
        let search = |q: &str| Query::parse(q).unwrap().search(&data).unwrap();
        assert_eq!(search("S[].Id"), json!(["a", "b", "c"]));
        assert_eq!(search("S[?N > `1`].Id | [0]"), json!("b"));
        assert_eq!(search("length(S)"), json!(3));
        assert_eq!(search("S[0].{I: Id, N: N}"), json!({"I": "a", "N": 1}));
        assert_eq!(search("Missing"), Value::Null);
    }

    #[test]
    fn objects_keep_the_order_of_the_data_or_of_the_expression_that_builds_them() {
        let data: Value = serde_json::from_str(
            r#"{"S": [{"Zed": 1, "Id": "a", "Inner": {"Y": 1, "B": 2}}, {"Id": "b"}]}"#,
        )
        .unwrap();
        let printed = |q: &str| {
            let result = Query::parse(q).unwrap().search(&data).unwrap();
            serde_json::to_string(&result).unwrap()
        };
        assert_eq!(
            printed("S[0]"),
            r#"{"Zed":1,"Id":"a","Inner":{"Y":1,"B":2}}"#
        );
        assert_eq!(
            printed("S[].{Title: Id, Deep: Inner, A: Zed}"),
            r#"[{"Title":"a","Deep":{"Y":1,"B":2},"A":1},{"Title":"b","Deep":null,"A":null}]"#
        );
        assert_eq!(
            printed("{Z: S[0].Id, Y: length(S[?Id == 'b'].{Q: Id, P: Id})}"),
            r#"{"Z":"a","Y":1}"#
        );
    }

    #[test]
    fn malformed_expressions_and_type_errors_are_reported() {
        let err = Query::parse("S[?").unwrap_err();
        assert!(err.starts_with("not a JMESPath expression"), "{err}");
        let err = Query::parse("sum(S)")
            .unwrap()
            .search(&json!({"S": "x"}))
            .unwrap_err();
        assert!(err.contains("sum"), "{err}");
    }
}
