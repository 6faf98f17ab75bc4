//! `docker compose config`: the canonical model as YAML (or JSON), or one list of names.

use super::{Context, Parsed};
use crate::compose::yaml::Value;
use crate::outcome::Outcome;
use crate::world::World;

pub(super) fn run(_world: &mut World, context: &Context, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let project = &context.loaded.project;
    if parsed.bool("quiet") {
        return outcome;
    }
    let lists: [(&str, Vec<String>); 4] = [
        ("services", project.services.keys().cloned().collect()),
        ("volumes", project.volumes.keys().cloned().collect()),
        ("networks", project.networks.keys().cloned().collect()),
        ("images", project.services.values().map(|s| s.image.clone().unwrap_or_else(|| format!("{}-{}", project.name, s.name))).collect()),
    ];
    for (flag, names) in lists {
        if parsed.bool(flag) {
            for name in names {
                outcome.out(name);
            }
            return outcome;
        }
    }
    if parsed.bool("profiles") {
        let mut profiles: Vec<String> = project.services.values().chain(project.disabled.values()).flat_map(|s| s.profiles.clone()).collect();
        profiles.sort();
        profiles.dedup();
        for profile in profiles {
            outcome.out(profile);
        }
        return outcome;
    }
    let mut canonical = context.loaded.canonical.clone();
    // Services a profile leaves out are not printed.
    if let Some(Value::Map(services)) = canonical.get_mut("services") {
        services.retain(|(name, _)| project.services.contains_key(name));
        let wanted = &parsed.args;
        if !wanted.is_empty() {
            for name in wanted {
                if !project.services.contains_key(name) {
                    return super::failure(format!("no such service: {name}"));
                }
            }
            services.retain(|(name, _)| wanted.contains(name));
        }
    }
    match parsed.value("format").unwrap_or("yaml") {
        "json" => {
            let json = serde_json::to_string_pretty(&to_json(&canonical)).unwrap_or_default();
            outcome.out_block(&json);
        }
        "yaml" => outcome.out_block(&crate::compose::to_yaml(&canonical)),
        other => return super::failure(format!("unsupported format {other:?}")),
    }
    outcome
}

fn to_json(value: &Value) -> serde_json::Value {
    use crate::compose::yaml::{scalar_type, Typed};
    match value {
        Value::Null | Value::Reset => serde_json::Value::Null,
        Value::Scalar { text, plain } => match scalar_type(text, *plain) {
            Typed::Bool(b) => b.into(),
            Typed::Int(n) => n.into(),
            Typed::Float(f) => serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, serde_json::Value::Number),
            Typed::Null => serde_json::Value::Null,
            Typed::Str => text.clone().into(),
        },
        Value::Seq(items) => items.iter().map(to_json).collect(),
        Value::Map(entries) => serde_json::Value::Object(entries.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()),
        Value::Override(inner) => to_json(inner),
    }
}
