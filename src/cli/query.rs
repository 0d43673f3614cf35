//! `--query`: a JMESPath expression over a command's result, compiled when the arguments are
//! parsed (a malformed expression is a usage error, before anything is sent) and applied by
//! [`super::output`] where the AWS CLI applies it.
//!
//! The `jmespath` crate is the JMESPath project's own Rust implementation of the specification
//! the AWS CLI's jmespath.py implements (it passes the specification's compliance suite). Its
//! objects keep keys sorted, so an object the query builds prints its keys in sorted order; the
//! text format sorts keys anyway.

use std::sync::Arc;

use serde_json::Value;

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
        serde_json::to_value(&*found).map_err(|e| format!("--query result: {e}"))
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
