//! The part of Go's text/template that `--format` needs most: `{{.Field.Path}}`, `{{json .X}}`,
//! `{{.X | json}}`, and literal text around them, over the JSON Docker would have printed.

use serde_json::Value;

/// Renders `template` against `data`; errors use Go's template wording.
pub fn render(template: &str, data: &Value) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            return Err("template: :1: unclosed action".to_string());
        };
        let action = after[..end].trim().trim_start_matches('-').trim_end_matches('-').trim();
        out.push_str(&evaluate(action, data)?);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    // Go's templates turn the two-character `\n` in a shell argument into nothing special; Docker
    // users write real newlines, so keep the text as is.
    Ok(out)
}

fn evaluate(action: &str, data: &Value) -> Result<String, String> {
    let (function, path) = if let Some(path) = action.strip_prefix("json ") {
        (Some("json"), path.trim())
    } else if let Some((path, function)) = action.split_once('|') {
        (Some(function.trim()), path.trim())
    } else {
        (None, action)
    };
    let value = lookup(path, data)?;
    match function {
        Some("json") => Ok(serde_json::to_string(&value).unwrap_or_default()),
        Some("upper") => Ok(go_print(&value).to_uppercase()),
        Some("lower") => Ok(go_print(&value).to_lowercase()),
        Some(other) => Err(format!("template: :1: function \"{other}\" not defined")),
        None => Ok(go_print(&value)),
    }
}

fn lookup(path: &str, data: &Value) -> Result<Value, String> {
    if path == "." {
        return Ok(data.clone());
    }
    let Some(path) = path.strip_prefix('.') else {
        return Err(format!("template: :1: function \"{path}\" not defined"));
    };
    let mut current = data.clone();
    for field in path.split('.') {
        current = match current {
            Value::Object(map) => match map.get(field) {
                Some(value) => value.clone(),
                None => return Err(format!("template: :1:{}: executing \"\" at <.{path}>: map has no entry for key \"{field}\"", 3)),
            },
            Value::Null => return Ok(Value::Null),
            _ => return Err(format!("template: :1:3: executing \"\" at <.{path}>: can't evaluate field {field}")),
        };
    }
    Ok(current)
}

/// How Go's `fmt.Print` shows decoded JSON values: `[a b]`, `map[k:v]`, `<nil>`.
fn go_print(value: &Value) -> String {
    match value {
        Value::Null => "<nil>".into(),
        Value::String(text) => text.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => format!("[{}]", items.iter().map(go_print).collect::<Vec<_>>().join(" ")),
        Value::Object(map) => {
            let mut entries: Vec<String> = map.iter().map(|(k, v)| format!("{k}:{}", go_print(v))).collect();
            entries.sort();
            format!("map[{}]", entries.join(" "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_json_and_go_printing() {
        let data = json!({"State": {"ExitCode": 137, "OOMKilled": true}, "Config": {"Env": ["A=1", "B=2"], "Labels": null}});
        assert_eq!(render("{{.State.ExitCode}} {{.State.OOMKilled}}", &data).unwrap(), "137 true");
        assert_eq!(render("{{.Config.Env}}", &data).unwrap(), "[A=1 B=2]");
        assert_eq!(render("{{json .Config.Env}}", &data).unwrap(), "[\"A=1\",\"B=2\"]");
        assert_eq!(render("{{.Config.Env | json}}", &data).unwrap(), "[\"A=1\",\"B=2\"]");
        assert_eq!(render("{{.Config.Labels}}", &data).unwrap(), "<nil>");
        assert!(render("{{.Nope}}", &data).unwrap_err().contains("map has no entry for key \"Nope\""));
        assert!(render("{{.State", &data).is_err());
    }
}
