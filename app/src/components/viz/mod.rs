//! The visualizers: build and image layers, container lifecycle, network, namespaces and cgroups,
//! the architecture path of the last command, and volumes — each with a text alternative.
//!
//! Each view draws from `crate::viz_model` after every command (a memo on the terminal's
//! revision). The graphic is `aria-hidden`; a `<details data-testid="viz-text">` says the same
//! facts in words, for screen readers and for anyone who prefers a list.

mod architecture;
mod build;
mod lifecycle;
mod namespaces;
mod network;
mod volumes;

use leptos::prelude::*;

use crate::state::{LineKind, Terminal};

#[component]
pub fn VizPanel(terminal: RwSignal<Terminal, LocalStorage>, kind: String) -> impl IntoView {
    let revision = Memo::new(move |_| terminal.with(Terminal::revision));
    let view = match kind.as_str() {
        "build" => build::BuildView(build::BuildViewProps { terminal, revision }).into_any(),
        "lifecycle" => lifecycle::LifecycleView(lifecycle::LifecycleViewProps { terminal, revision }).into_any(),
        "network" => network::NetworkView(network::NetworkViewProps { terminal, revision }).into_any(),
        "namespaces" => namespaces::NamespacesView(namespaces::NamespacesViewProps { terminal, revision }).into_any(),
        "architecture" => architecture::ArchitectureView(architecture::ArchitectureViewProps { terminal, revision }).into_any(),
        "volumes" => volumes::VolumesView(volumes::VolumesViewProps { terminal, revision }).into_any(),
        other => view! { <p class="viz-empty">{format!("No visualization called {other}.")}</p> }.into_any(),
    };
    view! { <div class="viz" data-viz=kind>{view}</div> }
}

/// The text alternative: collapsed by default, the same facts as the graphic in words.
#[component]
fn TextAlternative(children: Children) -> impl IntoView {
    view! {
        <details class="viz-text" data-testid="viz-text">
            <summary>"Describe in words"</summary>
            {children()}
        </details>
    }
}

/// A text alternative's facts as a list; one function for every view keeps the code small.
fn fact_list(facts: Vec<String>) -> AnyView {
    view! { <ul>{facts.into_iter().map(|fact| view! { <li>{fact}</li> }).collect_view()}</ul> }.into_any()
}

/// Shown when there is nothing to draw yet, with a command to try.
#[component]
fn Empty(message: &'static str, hint: &'static str) -> impl IntoView {
    view! {
        <p class="viz-empty">{message} " Try " <code>{hint}</code> "."</p>
    }
}

/// The last command typed at the prompt and what it printed, for views that read them.
fn last_command_and_output(terminal: &Terminal) -> (String, Vec<String>) {
    let lines = terminal.lines();
    let Some(start) = lines.iter().rposition(|l| l.kind == LineKind::Input) else {
        return (String::new(), Vec::new());
    };
    let output = lines[start + 1..].iter().map(|l| l.text.clone()).collect();
    (lines[start].text.clone(), output)
}

/// A container picker shared by the views about one container: the newest unless one is chosen.
/// With `keep_removed`, a chosen container that was removed stays listed (the lifecycle view
/// shows it as `removed`) so the learner can still pick another.
#[component]
fn ContainerPicker(names: Signal<Vec<String>>, selected: RwSignal<String>, #[prop(optional)] keep_removed: bool) -> impl IntoView {
    let removed = move || {
        let wanted = selected.get();
        (keep_removed && !wanted.is_empty() && !names.with(|n| n.contains(&wanted))).then_some(wanted)
    };
    let current = move || removed().or_else(|| chosen(&names.get(), &selected.get())).unwrap_or_default();
    view! {
        <Show when=move || names.with(|n| n.len() > 1) || removed().is_some()>
            <label class="viz-picker">
                "Container "
                <select
                    data-testid="viz-container-picker"
                    on:change=move |ev| selected.set(event_target_value(&ev))
                    prop:value=current
                >
                    {move || {
                        let now = current();
                        let mut options: Vec<(String, String)> = names.get().into_iter().map(|n| (n.clone(), n)).collect();
                        if let Some(gone) = removed() {
                            options.push((gone.clone(), format!("{gone} (removed)")));
                        }
                        options
                            .into_iter()
                            .map(|(value, label)| {
                                let is_current = value == now;
                                view! { <option value=value selected=is_current>{label}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
        </Show>
    }
}

/// The chosen container: the picker's choice if it still exists, else the newest one.
fn chosen(names: &[String], selected: &str) -> Option<String> {
    if names.iter().any(|n| n == selected) { Some(selected.to_string()) } else { names.last().cloned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_picker_falls_back_to_the_newest_container() {
        let names = vec!["web".to_string(), "cache".to_string()];
        assert_eq!(chosen(&names, "web").as_deref(), Some("web"));
        assert_eq!(chosen(&names, "").as_deref(), Some("cache"));
        assert_eq!(chosen(&names, "gone").as_deref(), Some("cache"));
        assert_eq!(chosen(&[], ""), None);
    }

    #[test]
    fn the_last_command_is_the_last_echoed_input_and_what_followed() {
        let mut terminal = Terminal::new(1);
        terminal.submit("echo one");
        terminal.submit("echo two");
        assert_eq!(last_command_and_output(&terminal), ("echo two".to_string(), vec!["two".to_string()]));
    }
}
